"""Files that must never be served by URL (hardship case files, notice attachments): a private directory outside
MEDIA_ROOT, read only through a permission-checked view of the owning app.

The root is ``settings.PRIVATE_MEDIA_ROOT`` when set, otherwise ``private/`` beside MEDIA_ROOT; each app keeps its
files in its own sub-directory and gives them random names (the original name, which may carry a person's name, is
kept on the row only).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """File system storage without a public URL: ``url()`` refuses, so no template can link a file directly."""

    def __init__(self, *, subdirectory, **kwargs):
        kwargs.pop("base_url", None)
        self.subdirectory = subdirectory
        super().__init__(**kwargs)

    @property
    def location(self):
        root = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or Path(settings.MEDIA_ROOT).parent / "private"
        return str(Path(root) / self.subdirectory)

    @property
    def base_location(self):
        return self.location

    def url(self, name):
        raise ValueError("Private files have no public URL; use the permission-checked view.")


def random_name(folder, filename):
    """``folder/<random hex><suffix>``: the stored name says nothing about the file."""
    return f"{folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"
