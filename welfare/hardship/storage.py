"""Where hardship attachments live: a private directory outside MEDIA_ROOT, never served by URL.

Files are read only through the permission-checked view (welfare.hardship.views.attachment_download).
The directory is ``settings.PRIVATE_MEDIA_ROOT`` when set, otherwise ``private/`` beside MEDIA_ROOT.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """File system storage without a public URL: ``url()`` refuses, so no template can link a file directly."""

    def __init__(self, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(**kwargs)

    @property
    def location(self):
        root = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or Path(settings.MEDIA_ROOT).parent / "private"
        return str(Path(root) / "hardship")

    @property
    def base_location(self):
        return self.location

    def url(self, name):
        raise ValueError("Hardship attachments have no public URL; use the permission-checked view.")


def attachment_storage():
    """Callable storage (Django evaluates it at model load; the location is read from settings when used)."""
    return PrivateStorage()


def attachment_upload_to(instance, filename):
    """A random name: the original name (which may carry a person's name) is kept on the row only."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"cases/{uuid.uuid4().hex}{suffix}"
