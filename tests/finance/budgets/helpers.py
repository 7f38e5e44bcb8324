"""Shared helpers for the budget tests (and the reports that print budget execution)."""

import datetime
from decimal import Decimal

from finance.budgets.services import budget_advance, budget_create

D = Decimal
DAY = datetime.date(2027, 1, 10)


def approved_budget(treasurer, chair, lines=None):
    budget = budget_create(year=2027, title="2027年度经费预算", actor=treasurer,
                           lines=lines or {"501": D("1000.00"), "50301": D("500.00"), "402": D("20000.00")})
    budget_advance(budget=budget, on=DAY, reference="", actor=chair)
    return budget_advance(budget=budget, on=DAY, reference="经审会2027-1号纪要", actor=chair)
