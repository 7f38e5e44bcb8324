import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.demo import build_demo_activity_costs
from activities.models import ActivityType
from finance.books import selectors
from finance.books.demo import build_demo_books, close_demo_books
from finance.models import Budget, OverBudgetApproval, Period, Spending, Voucher
from tests.activities.factories import ActivityFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.mark.unopened_books  # the demo opens its years on purpose (finance.books.demo)
def test_the_demo_books_balance_and_are_built_once(chair, treasurer):
    """The personas' usernames are the demo's (chair, treasurer)."""
    outing = ActivityFactory(activity_type=ActivityType.objects.get(code="spring_outing"), title="春季健步走",
                             starts_at=timezone.make_aware(datetime.datetime(2026, 4, 18, 8)),
                             registration_opens_at=timezone.make_aware(datetime.datetime(2026, 4, 1, 8)))
    created = build_demo_books(today=TODAY)
    created["vouchers"] += build_demo_activity_costs(today=TODAY)  # called by seed_demo right after the books
    assert created["vouchers"] > 20
    assert build_demo_books(today=TODAY) == {"vouchers": 0}
    assert build_demo_activity_costs(today=TODAY) == 0
    close_demo_books(today=TODAY)
    close_demo_books(today=TODAY)  # re-runnable
    from finance.books.demo import DECLINED_TRIP, HELD_TRAINING

    # Besides what was booked, the close leaves one draft held for the chair's budget confirmation, and one the
    # chair declined (still a draft, the refusal on record).
    drafts = [HELD_TRAINING, DECLINED_TRIP]
    assert Voucher.objects.filter(fiscal_year__year=2026).exclude(summary__in=drafts).count() == created["vouchers"]
    assert Voucher.objects.filter(fiscal_year__year=2026, summary=HELD_TRAINING).count() == 1
    [declined] = OverBudgetApproval.objects.declined()
    assert declined.held_voucher.summary == DECLINED_TRIP and declined.held_voucher.state == "draft"
    assert OverBudgetApproval.objects.pending().get().held_voucher.summary == HELD_TRAINING
    assert Budget.objects.get(fiscal_year__year=2026).state == "higher"
    assert Spending.objects.get().source == outing
    rows = selectors.account_balances(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 12, 31))
    assert sum(row.debit for row in rows if row.depth == 0) == sum(row.credit for row in rows if row.depth == 0)
    assert next(row for row in rows if row.account.code == "102").closing > Decimal("86523.40")
    assert Period.objects.filter(fiscal_year__year=2026, closed_at__isnull=False).count() == 9
    assert Voucher.objects.filter(reverses__isnull=False).count() == 1
    assert not any(row.over for row in selectors.budget_vs_actual(year=2026))
