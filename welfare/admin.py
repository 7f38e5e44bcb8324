from . import admin_care, admin_hardship  # noqa: F401
