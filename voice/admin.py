"""The voice's admin: each sub-domain registers its ModelAdmins."""

from .bulletins import admin as bulletins_admin  # noqa: F401
from .notices import admin as notices_admin  # noqa: F401
from .surveys import admin as surveys_admin  # noqa: F401
from .tracker import admin as tracker_admin  # noqa: F401
