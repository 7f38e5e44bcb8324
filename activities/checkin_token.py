"""The check-in token behind a member's QR code on "my activities".

The token names one member and one activity and is signed with the site's SECRET_KEY (salted, so a token signed
for anything else is never accepted here). It is short (about 40 characters) so the QR code stays coarse and scans
quickly from a phone screen. It carries no expiry: it is only good for that one activity, and the check-in page
decides whether the member is registered and whether the activity is on.

    token = make_checkin_token(member, activity)
    read_checkin_token(token)  # -> CheckinToken(member_id=…, activity_id=…), or raises BadCheckinToken
"""

import io
from typing import NamedTuple

import qrcode
import qrcode.image.svg
from django.core import signing
from django.utils.safestring import mark_safe

SALT = "activities.checkin-token.v1"


class BadCheckinToken(ValueError):
    """The scanned text is not a check-in token of this portal (garbled, tampered with, or from elsewhere)."""


class CheckinToken(NamedTuple):
    member_id: int
    activity_id: int


def _signer():
    return signing.Signer(salt=SALT)


def make_checkin_token(member, activity):
    return _signer().sign(f"{member.pk}.{activity.pk}")


def read_checkin_token(token):
    """The member and activity a token names. Raises BadCheckinToken for anything this portal did not sign."""
    try:
        value = _signer().unsign((token or "").strip())
        member_id, activity_id = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError) as error:
        raise BadCheckinToken(str(error)) from error
    return CheckinToken(member_id=member_id, activity_id=activity_id)


def checkin_qr_svg(token):
    """The QR code of a check-in token as inline SVG (scales to any screen, no image request): "my activities"
    and the home's next-activity card show the same one."""
    image = qrcode.make(token, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return mark_safe(svg[svg.index("<svg"):])  # drop the XML declaration: not allowed inside HTML  # noqa: S308
