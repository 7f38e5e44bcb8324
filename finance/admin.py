from .books import admin as books_admin  # noqa: F401
from .budgets import admin as budgets_admin  # noqa: F401
from .dues import admin as dues_admin  # noqa: F401
from .reports import admin as reports_admin  # noqa: F401
