"""Members for the console's tests with ID numbers of their own (region 310104), so these tests do not draw on
tests.factories' shared ID sequence: other tests expect that sequence where the suite's order leaves it."""

import datetime
import itertools

from members.idcard import make_id_number
from tests.factories import MemberFactory

_numbers = itertools.count(1)


def console_member(**fields):
    n = next(_numbers) % 500
    return MemberFactory(id_number=make_id_number("310104", datetime.date(1985, 3, 12), n * 2 + 1), **fields)
