"""Property test: over random books — opening balances, vouchers between accounts of every kind, reversals — every
report's figures satisfy 上年结转 + 本年结余 = 结转下年 to the fen (issue 10, finding 7b), and each year brings
forward what the year before carried forward.

Vouchers booked straight onto a net-assets account (neither income nor spending) show as their own line, "net
assets booked directly"; without them the three figures add up alone.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.books import services
from finance.books.services import LineInput
from finance.models import VoucherLine
from finance.reports import writing
from finance.reports.documents import statement_figures

pytestmark = pytest.mark.django_db

ASSETS, LIABILITIES, NET_ASSETS = ["101", "102"], ["201"], ["301", "302"]
NOMINAL = ["401", "402", "50102", "50105", "50301"]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
dates = st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2027, 12, 31))
openings = st.fixed_dictionaries({code: st.one_of(st.just(Decimal("0")), amounts)
                                  for code in ASSETS + LIABILITIES + ["302"]})
vouchers = st.lists(st.tuples(st.sampled_from(ASSETS + LIABILITIES + NOMINAL + NOMINAL + NET_ASSETS),
                              st.sampled_from(ASSETS + LIABILITIES + NOMINAL + NET_ASSETS), amounts, dates,
                              st.booleans()), max_size=12)
ranges = st.lists(st.tuples(dates, dates), min_size=1, max_size=3)


def adds_up(figures):
    brought, surplus, carried = (Decimal(figures[name]) for name in ("opening_fund_balance", "surplus",
                                                                     "fund_balance"))
    other = Decimal(figures["other_net_assets"])
    assert brought + surplus + other == carried, figures
    return brought, surplus, carried, other


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(opening=openings, entries=vouchers, periods=ranges)
def test_brought_forward_plus_surplus_is_carried_forward_in_every_report(treasurer, opening, entries, periods):
    with transaction.atomic():
        balances = dict(opening)
        # 301 工会资金 takes what makes 资产 = 负债 + 净资产 (a negative fund is entered below zero).
        balances["301"] = (sum((balances[code] for code in ASSETS), Decimal("0"))
                           - sum((balances[code] for code in LIABILITIES + ["302"]), Decimal("0")))
        if any(balances.values()):
            services.opening_balances_book(year=2026, balances=balances, actor=treasurer)
        for debit, credit, amount, date, reverse in entries:
            if debit == credit:
                continue
            voucher = services.voucher_post(actor=treasurer, voucher=services.voucher_create(
                date=date, summary="随机凭证", actor=treasurer,
                lines=[LineInput(debit, debit=amount), LineInput(credit, credit=amount)]))
            if reverse:
                services.voucher_reverse(voucher=voucher, date=date, reason="更正", actor=treasurer)
        direct = VoucherLine.objects.filter(account__code__in=NET_ASSETS).exclude(
            voucher__opens_years__isnull=False).exists()
        years = {}
        for year in (2026, 2027):
            brought, surplus, carried, other = adds_up(writing.audit_figures(year))
            years[year] = (brought, carried)
            if not direct:
                assert other == 0 and brought + surplus == carried
        opened = sum((balances[code] for code in ASSETS), Decimal("0")) - sum(
            (balances[code] for code in LIABILITIES), Decimal("0"))
        assert years[2026][0] == opened  # the opening balances are what 2026 brings forward
        assert years[2027][0] == years[2026][1]  # and 2027 brings forward what 2026 carried
        for first, second in periods:
            date_from, date_to = min(first, second), max(first, second)
            adds_up(statement_figures(date_from=date_from, date_to=date_to))
        transaction.set_rollback(True)
