"""Forms that record money or send messages are submitted once: one-time form tokens.

Every such form carries a hidden ``form_token`` (``{% form_token %}`` from ``core/templatetags/idempotency.py``):
a random UUID, signed, issued each time the form is rendered. The view runs its service through
``submit_once``, which claims the token — a row of ``core.models.FormSubmission`` with a unique token — in the
same transaction as the service's writes, and keeps the address of what was recorded:

- the first POST claims the token, writes, and commits both together (a refusal of the service rolls the claim
  back with everything else, so the corrected form can be sent again with the same token);
- a second POST with the same token (a double click, a reload, a second tab) finds it claimed and raises
  ``AlreadySubmitted``: the view says so ("已提交过，未重复记录") and redirects to the record the first one made;
- two POSTs at the same instant: the second insert waits for the first transaction (PostgreSQL's unique index),
  then fails with ``IntegrityError`` and is answered as above; nothing of it is written;
- a POST without a valid token (a form rendered before the token existed, or not by the portal) is refused with a
  ``ValidationError`` and nothing is written: the form is shown again, filled in, with a fresh token.

Where the domain has a natural key the service checks it as well (one spending per payout, a dues month paid at
most what is owed, one open objection per member and case, a holiday gift once a year); the token is the one
mechanism for every form, in the portal and in the admin (``core.admin_actions.confirm_action(once=…)``).
"""

import re
import uuid

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from .models import FormSubmission

#: The hidden field's name.
FIELD = "form_token"
_SALT = "core.idempotency.form_token"
_KEY = re.compile(r"[0-9a-f]{32}")


def new_token() -> str:
    """A fresh token for a form being rendered: a random UUID with its signature."""
    return signing.Signer(salt=_SALT).sign(uuid.uuid4().hex)


def token_key(token) -> str | None:
    """The UUID of a token the portal issued, or None for anything else (missing, edited, forged)."""
    try:
        key = signing.Signer(salt=_SALT).unsign(str(token or "")[:200])
    except signing.BadSignature:
        return None
    return key if _KEY.fullmatch(key) else None


class AlreadySubmitted(Exception):
    """The form was submitted with this token before: nothing was written now. ``url``: what the first made."""

    def __init__(self, url=""):
        super().__init__(url)
        self.url = url

    @property
    def message(self):
        return _("This form was submitted already; nothing was recorded twice.")

    def response(self, request, *, fallback=None):
        """The answer to the repeated POST: the message, then the record the first submit made."""
        messages.info(request, self.message)
        return HttpResponseRedirect(self.url or fallback or request.get_full_path())


def submit_once(request, *, scope, perform, url):
    """Run ``perform()`` once per form token posted with ``request``, and return what it returns.

    ``scope``: which form this is (kept with the token, for the record). ``url``: where what was recorded is seen,
    a text or ``url(result)``; a second submit is sent there. Raises ``AlreadySubmitted`` for a token used before,
    ``ValidationError`` (code ``form_token``) for a missing or invalid one, and whatever ``perform`` raises (then
    the token stays unused).
    """
    key = token_key(request.POST.get(FIELD))
    if key is None:
        raise ValidationError(_("This form is out of date or was not opened from the portal, so nothing was "
                                "recorded: check it and submit it again."), code="form_token")
    first = FormSubmission.objects.filter(token=key).first()
    if first is not None:
        raise AlreadySubmitted(first.url)
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the outer transaction usable
                claim = FormSubmission.objects.create(token=key, scope=scope[:60], user=user)
        except IntegrityError:
            # Another request with this token committed while this one waited on the unique index.
            first = FormSubmission.objects.filter(token=key).first()
            raise AlreadySubmitted(first.url if first else "") from None
        result = perform()
        claim.url = (url(result) if callable(url) else url or "")[:300]
        claim.save(update_fields=["url"])
    return result
