"""Two handlers submitting the same step on one item at the same instant: one wins, the other is refused, and the
item has one step, not two (the service locks the item's row). Threads on real PostgreSQL."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.voice.helpers import member_with_login
from voice.models import Item, ItemStep
from voice.tracker import services as s

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _race(step):
    barrier, outcomes, errors = threading.Barrier(2), [], []

    def submit():
        try:
            Item.objects.exists()  # open this thread's connection before the start
            barrier.wait(timeout=30)
            step()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return sorted(outcomes)


@pytest.mark.parametrize("kind", ["accept", "answer"])
def test_two_simultaneous_submits_of_one_step_record_it_once(chair, treasurer, kind, settings):
    if connection.vendor != "postgresql":
        pytest.fail("The race test needs PostgreSQL: run it with `make test`.")
    settings.LANGUAGE_CODE = "en"
    member = member_with_login()
    item, _code = s.item_submit(member=member, source=Item.Source.BOX, title="Canteen", text="Earlier, please.",
                                actor=member.user)
    if kind == "accept":
        step, expected = (lambda: s.item_accept(item=item, actor=chair)), ItemStep.Kind.ACCEPTED
    else:
        item = s.item_assign(item=s.item_accept(item=item, actor=chair), owner_user=treasurer, deadline=TOMORROW,
                             actor=chair)
        step, expected = (lambda: s.item_answer(item=item, answer="Opens at 7.", actor=treasurer)), \
            ItemStep.Kind.ANSWERED
    assert _race(step) == ["done", "refused"]
    assert item.steps.filter(kind=expected).count() == 1
    item.refresh_from_db()
    assert item.answer_count == (1 if kind == "answer" else 0)
