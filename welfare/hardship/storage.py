"""Where hardship attachments live: core's private storage, sub-directory ``hardship`` (never served by URL).

Files are read only through the permission-checked view (welfare.hardship.views.attachment_download). The two
functions are named by the migrations, so they stay here.
"""

from core.private_storage import PrivateStorage, random_name


def attachment_storage():
    """Callable storage (Django evaluates it at model load; the location is read from settings when used)."""
    return PrivateStorage(subdirectory="hardship")


def attachment_upload_to(instance, filename):
    return random_name("cases", filename)
