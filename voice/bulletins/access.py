"""Who may read an issue of the 工作简报: any signed-in user once it is published; a draft only those who write or
publish bulletins (the preview). Everyone else gets 404."""

from django.http import Http404

from ..models import Bulletin


def can_write_bulletins(user):
    return user.has_perm("voice.change_bulletin") or user.has_perm("voice.publish_bulletin")


def bulletin_for_user(*, user, pk):
    bulletin = Bulletin.objects.filter(pk=pk).first()
    if bulletin is None:
        raise Http404
    if bulletin.state != Bulletin.State.PUBLISHED and not can_write_bulletins(user):
        raise Http404
    return bulletin
