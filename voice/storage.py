"""Where notice attachments live: a private directory outside MEDIA_ROOT, never served by URL.

Files are read only through the audience-checked view (voice.notices.views.attachment_download).
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
        return str(Path(root) / "voice")

    @property
    def base_location(self):
        return self.location

    def url(self, name):
        raise ValueError("Notice attachments have no public URL; use the permission-checked view.")


def attachment_storage():
    return PrivateStorage()


def attachment_upload_to(instance, filename):
    """A random name: the original name is kept on the row only."""
    return f"notices/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"
