"""Where notice attachments live: core's private storage, sub-directory ``voice`` (never served by URL).

Files are read only through the audience-checked view (voice.notices.views.notice_attachment). The two functions
are named by the migrations, so they stay here.
"""

from core.private_storage import PrivateStorage, random_name


def attachment_storage():
    return PrivateStorage(subdirectory="voice")


def attachment_upload_to(instance, filename):
    return random_name("notices", filename)


def tracker_upload_to(instance, filename):
    return random_name("tracker", filename)
