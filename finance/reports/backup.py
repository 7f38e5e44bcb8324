"""What a backup's manifest records of the books (core.backup, registered in finance's ready()): the trial balance
(科目余额表) of every fiscal year, each account's six columns to the fen. A restore recomputes it from the restored
database and must find it equal."""

import datetime

from finance.models import FiscalYear

from .books import TRIAL_TOTALS, trial_balance


def trial_balances():
    """{year: {"accounts": {code: [six columns]}, "totals": [six columns]}} of every fiscal year, as strings."""
    years = {}
    for year in FiscalYear.objects.order_by("year").values_list("year", flat=True):
        report = trial_balance(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
        years[str(year)] = {
            "accounts": {row.account.code: [f"{getattr(row, name):.2f}" for name in TRIAL_TOTALS]
                         for row in report.rows if not row.is_empty},
            "totals": [f"{report.totals[name]:.2f}" for name in TRIAL_TOTALS],
        }
    return years
