"""Finance models, one module per area: books (accounts, periods, vouchers, spending, budgets), dues
(会费 and the payroll office's deduction lists) and reports (audit report, 财务公开, kept report files)."""

from .books import *  # noqa: F401,F403
from .dues import *  # noqa: F401,F403
from .reports import *  # noqa: F401,F403
