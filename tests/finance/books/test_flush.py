"""A transactional test that posts vouchers can be flushed afterwards on either database, and the guards are
back for the next one."""

import pytest
from django.db import IntegrityError

from finance.models import VoucherLine

from .helpers import posted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("run", [1, 2])
def test_posted_vouchers_are_flushed_and_guarded_again(treasurer, run):
    voucher = posted(treasurer)
    assert voucher.number == 1
    with pytest.raises(IntegrityError, match="books:"):
        VoucherLine.objects.filter(voucher=voucher).delete()
