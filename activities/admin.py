from . import admin_plans  # noqa: F401  (work plans and interest groups)
