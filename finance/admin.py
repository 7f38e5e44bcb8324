from . import admin_books, admin_dues, admin_reports  # noqa: F401
