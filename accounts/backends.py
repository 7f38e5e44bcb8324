from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from core.normalize import clean_compact, normalize_phone

from .models import Role


def _as_phone(login):
    """The mobile number in a typed login (“137-1234-5678”, “+86 137…”), or None if it is not one."""
    try:
        return normalize_phone(login)
    except ValidationError:
        return None


def user_for_login(login):
    """The account a typed login names: the 手机号 on a member record, or else a username; None if nobody.

    A phone number shared by two members (phones are not unique on the roll) names nobody rather than the
    wrong person; the username still works for both.
    """
    login = clean_compact(login)  # also turns full-width digits into ordinary ones
    if not login:
        return None
    User = get_user_model()
    phone = _as_phone(login)
    if phone:
        candidates = list(User.objects.filter(member__phone=phone)[:2])
        if len(candidates) == 1:
            return candidates[0]
    return User.objects.filter(username=login).first()


def login_attempt_key(login):
    """What failed logins are counted against: the typed login itself, normalised (a mobile number however it is
    typed — spaces, dashes, +86, full-width digits — counts as one), never the account it names. Counting a phone
    number against its account would answer "is this the number of an account?" (only the real one locks the
    username) and let a stranger lock a member out by guessing at their number."""
    login = clean_compact(login)
    if not login:
        return ""
    phone = _as_phone(login)
    return f"phone:{phone}" if phone else login


#: The backend named in every session (accounts.adapter.AccountAdapter.login).
SESSION_BACKEND = "accounts.backends.PhoneOrUsernameBackend"


class PhoneOrUsernameBackend(ModelBackend):
    """Log in with the 手机号 on the member's record, or with the username."""

    def get_user(self, user_id):
        """The user of a session, read in one query with whether a role of theirs requires two-factor login
        (``holds_mfa_role``: RequireMFAMiddleware asks on every request, and a role granted since the login is
        seen at once) and with their member record (``user.member``, the roll's reverse one-to-one, named by string
        so accounts imports nothing of members): the header names the person on every page, and the member pages
        and a registration need the record."""
        needs_mfa = Role.objects.filter(group__user=OuterRef("pk"), requires_mfa=True)
        user = (get_user_model()._default_manager.annotate(holds_mfa_role=Exists(needs_mfa))
                .select_related("member").filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = clean_compact(username)
        if not login or password is None:
            return None
        if _as_phone(login):
            user = user_for_login(login)
            if user is not None and user.username != login:
                if user.check_password(password) and self.user_can_authenticate(user):
                    return user
                return None
        return super().authenticate(request, username=login, password=password, **kwargs)
