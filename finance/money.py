"""Moved to core.money (members prints amounts too, and may not import finance). This name stays only until every
branch that still imports it has merged; new code imports core.money."""

from core.money import CENT, MoneyAdminMixin, check_fen, money, money_column, to_fen  # noqa: F401
