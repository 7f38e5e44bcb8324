"""Property test: no sequence of service calls — valid or not, plus attempts to go around them with the ORM — can
leave an unbalanced posted voucher, a gap in any year's numbering, or a changed posted voucher.

A hypothesis state machine drives finance.books.services / finance.spending / finance.budgets.services with random dates,
accounts (including unknown and inactive ones) and amounts (balanced or not); after every step the invariants are
checked against the database, posted vouchers against snapshots taken when they were posted.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.db.models.functions import ExtractMonth
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from finance.books import services
from finance.books.services import LineInput
from finance.budgets.services import budget_advance, budget_create, over_budget_approve
from finance.models import Account, Budget, FiscalYear, Voucher, VoucherLine, VoucherState
from finance.spending import spending_post, spending_record

pytestmark = [pytest.mark.django_db, pytest.mark.no_budget]  # the machine makes its own budget, or none

VALID_CODES = ["101", "102", "401", "402", "50102", "50105", "50301"]
CODES = VALID_CODES * 3 + ["999", "inactive"]  # mostly valid accounts, sometimes an unknown or inactive one
DATES = [datetime.date(year, month, day) for year in (2026, 2027) for month in (1, 2, 3) for day in (1, 28)]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
line_specs = st.lists(st.tuples(st.sampled_from(CODES), amounts, st.booleans()), min_size=1, max_size=4)


def snapshots():
    """Every posted or reviewed voucher's frozen fields and lines, in two queries."""
    vouchers = Voucher.objects.exclude(state=VoucherState.DRAFT).values_list(
        "pk", "fiscal_year_id", "number", "date", "summary", "attachments", "reverses_id", "posted_by_id",
        "posted_at", "created_at")
    lines = {}
    for line in (VoucherLine.objects.exclude(voucher__state=VoucherState.DRAFT).order_by("pk")
                 .values_list("voucher_id", "pk", "account_id", "debit", "credit", "summary")):
        lines.setdefault(line[0], []).append(line[1:])
    return {row[0]: (row[1:], tuple(lines.get(row[0], ()))) for row in vouchers}


class Books(RuleBasedStateMachine):
    treasurer = chair = None  # set by the test

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.snapshots = {}
        self.spending_sources = iter(range(10**6))

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def _try(self, call, *errors):
        try:
            with transaction.atomic():
                return call()
        except (ValidationError, PermissionDenied, *errors):
            return None

    @rule(specs=line_specs, date=st.sampled_from(DATES), balance=st.booleans(), post=st.booleans())
    def create(self, specs, date, balance, post):
        lines = [LineInput(code, debit=amount) if is_debit else LineInput(code, credit=amount)
                 for code, amount, is_debit in specs]
        if balance:
            difference = sum((line.debit - line.credit for line in lines), Decimal("0"))
            if difference:
                lines.append(LineInput("102", credit=difference) if difference > 0 else
                             LineInput("102", debit=-difference))
        voucher = self._try(lambda: services.voucher_create(date=date, summary="p", lines=lines,
                                                            actor=self.treasurer))
        if voucher is not None and post:
            self._try(lambda: services.voucher_post(voucher=voucher, actor=self.treasurer))

    @rule(index=st.integers(0, 50))
    def post_draft(self, index):
        drafts = list(Voucher.objects.filter(state=VoucherState.DRAFT).order_by("pk"))
        if drafts:
            self._try(lambda: services.voucher_post(voucher=drafts[index % len(drafts)], actor=self.treasurer))

    @rule(index=st.integers(0, 50), as_chair=st.booleans())
    def review(self, index, as_chair):
        vouchers = list(Voucher.objects.exclude(state=VoucherState.DRAFT).order_by("pk"))
        if vouchers:
            actor = self.chair if as_chair else self.treasurer
            self._try(lambda: services.voucher_review(voucher=vouchers[index % len(vouchers)], actor=actor))

    @rule(index=st.integers(0, 50), date=st.sampled_from(DATES))
    def reverse(self, index, date):
        vouchers = list(Voucher.objects.order_by("pk"))
        if vouchers:
            self._try(lambda: services.voucher_reverse(voucher=vouchers[index % len(vouchers)], date=date,
                                                       reason="更正", actor=self.treasurer))

    @rule(index=st.integers(0, 50), specs=line_specs, delete=st.booleans())
    def edit_or_delete(self, index, specs, delete):
        vouchers = list(Voucher.objects.order_by("pk"))  # drafts and posted alike: posted must be refused
        if not vouchers:
            return
        voucher = vouchers[index % len(vouchers)]
        if delete:
            self._try(lambda: services.voucher_delete_draft(voucher=voucher, actor=self.treasurer))
        else:
            lines = [LineInput(code, debit=amount) if is_debit else LineInput(code, credit=amount)
                     for code, amount, is_debit in specs]
            self._try(lambda: services.voucher_update_draft(voucher=voucher, date=voucher.date, summary="e",
                                                            lines=lines, actor=self.treasurer))

    @rule(date=st.sampled_from(DATES), close=st.booleans(), as_chair=st.booleans())
    def close_or_reopen(self, date, close, as_chair):
        period = services.period_for(date)
        actor = self.chair if as_chair else self.treasurer
        if close:
            self._try(lambda: services.period_close(period=period, actor=actor))
        else:
            self._try(lambda: services.period_reopen(period=period, reason="补记", actor=actor))

    @rule(amount=amounts, code=st.sampled_from(["50105", "50301", "50102"]), date=st.sampled_from(DATES))
    def spend_and_post(self, amount, code, date):
        source = Group.objects.create(name=f"payout {next(self.spending_sources)}")  # any saved row is a source
        spending = self._try(lambda: spending_record(source=source, amount=amount, account_code=code,
                                                     spent_on=date, summary="s", actor=self.treasurer))
        if spending is not None:
            self._try(lambda: spending_post(spendings=[spending], date=date, actor=self.treasurer))

    @rule(amount=amounts, approve=st.booleans())
    def budget(self, amount, approve):
        if not Budget.objects.exists():
            budget = self._try(lambda: budget_create(year=2027, title="b", lines={"501": amount},
                                                     actor=self.treasurer))
            if budget is not None:
                for reference in ("", "经审会"):
                    self._try(lambda: budget_advance(budget=budget, on=DATES[0], reference=reference,
                                                     actor=self.chair))
        elif approve:
            self._try(lambda: over_budget_approve(year=2027, account=Account.objects.get(code="501"),
                                                  amount=amount, reason="r", actor=self.chair))

    @rule(index=st.integers(0, 50), what=st.sampled_from(["summary", "line", "delete", "number", "unpost"]))
    def tamper(self, index, what):
        """Go around the services: the database must refuse every change to a posted voucher."""
        posted = list(Voucher.objects.exclude(state=VoucherState.DRAFT).order_by("pk"))
        if not posted:
            return
        voucher = posted[index % len(posted)]
        attempts = {
            "summary": lambda: Voucher.objects.filter(pk=voucher.pk).update(summary="bent"),
            "line": lambda: VoucherLine.objects.filter(voucher=voucher).update(debit=Decimal("0.01")),
            "delete": lambda: VoucherLine.objects.filter(voucher=voucher).delete(),
            "number": lambda: Voucher.objects.filter(pk=voucher.pk).update(number=voucher.number + 100),
            "unpost": lambda: Voucher.objects.filter(pk=voucher.pk).update(state="draft", number=None,
                                                                           posted_at=None),
        }
        with pytest.raises(IntegrityError), transaction.atomic():
            attempts[what]()

    @invariant()
    def posted_vouchers_balance(self):
        unbalanced = (Voucher.objects.exclude(state=VoucherState.DRAFT)
                      .annotate(d=Sum("lines__debit"), c=Sum("lines__credit")).values_list("pk", "d", "c"))
        for pk, debit, credit in unbalanced:
            assert debit == credit and debit > 0, (pk, debit, credit)

    @invariant()
    def numbers_have_no_gaps(self):
        numbers = {}
        for year_id, number in Voucher.objects.filter(number__isnull=False).values_list("fiscal_year_id", "number"):
            numbers.setdefault(year_id, []).append(number)
        for year_id, last in FiscalYear.objects.values_list("pk", "last_voucher_number"):
            assert sorted(numbers.get(year_id, [])) == list(range(1, last + 1)), year_id

    @invariant()
    def posted_vouchers_never_change(self):
        now = snapshots()
        for pk, before in self.snapshots.items():
            assert now.get(pk) == before, pk
        self.snapshots = now

    @invariant()
    def closed_periods_hold_no_new_vouchers(self):
        late = Voucher.objects.filter(fiscal_year__periods__closed_at__lt=F("posted_at"),
                                      fiscal_year__periods__month=ExtractMonth("date"))
        assert not late.exists()


def test_no_sequence_of_service_calls_bends_the_books(treasurer, chair):
    Account.objects.create(code="inactive", name="停用科目", kind="expense", is_active=False)
    Books.treasurer, Books.chair = treasurer, chair
    run_state_machine_as_test(Books, settings=settings(
        max_examples=50, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
