from .care import admin as care_admin  # noqa: F401
from .hardship import admin as hardship_admin  # noqa: F401
