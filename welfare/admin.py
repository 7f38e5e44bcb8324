from . import admin_care  # noqa: F401
from .hardship import admin as hardship_admin  # noqa: F401
