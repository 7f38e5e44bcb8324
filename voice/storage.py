"""Where notice attachments live: core's private storage, sub-directory ``voice`` (never served by URL).

Files are read only through the audience-checked view (voice.notices.views.notice_attachment). The two functions
are named by the migrations, so they stay here.
"""

from django.http import FileResponse, Http404

from core.private_storage import PrivateStorage, random_name


def attachment_storage():
    return PrivateStorage(subdirectory="voice")


def attachment_upload_to(instance, filename):
    return random_name("notices", filename)


def tracker_upload_to(instance, filename):
    return random_name("tracker", filename)


def attachment_response(attachment):
    """Download a notice's or an item's attachment (already authorised by the caller) under its original name."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)
