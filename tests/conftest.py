"""Shared fixtures: personas for every role, and helpers to log them in (with TOTP where required)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from accounts.models import Role

from .factories import MemberFactory, UnionGroupFactory, UserFactory

PASSWORD = "Secret-pass-123"


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; integration tests use a real worker (see tests/integration)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def make_persona(db):
    def make(username, *roles, member=True, totp=True, **member_fields):
        user = UserFactory(username=username, roles=list(roles) + ([Role.MEMBER] if member else []))
        if member:
            MemberFactory(user=user, email=user.email, **member_fields)
        if totp and Role.objects.filter(code__in=roles, requires_mfa=True).exists():
            TOTP.activate(user, generate_totp_secret())
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def chair(make_persona):
    return make_persona("chair", Role.CHAIR)


@pytest.fixture
def treasurer(make_persona):
    return make_persona("treasurer", Role.TREASURER)


@pytest.fixture
def auditor(make_persona):
    return make_persona("auditor", Role.AUDITOR)


@pytest.fixture
def welfare_officer(make_persona):
    return make_persona("welfare", Role.WELFARE)


@pytest.fixture
def group_leader(make_persona):
    user = make_persona("leader", Role.GROUP_LEADER)
    group = UnionGroupFactory(leader=user.member)
    user.member.union_group = group
    user.member.save()
    return user


@pytest.fixture
def member_user(make_persona):
    return make_persona("member", Role.MEMBER)


@pytest.fixture
def outsider(db):
    """Logged in, but not on the roll and without any role."""
    return UserFactory(username="outsider")


PERSONAS = ["chair", "treasurer", "auditor", "welfare_officer", "group_leader", "member_user", "outsider"]


def current_totp_code(user):
    """The code the user's authenticator app would show right now."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@pytest.fixture
def login(client):
    """Log a persona in through the real login form, answering the TOTP step when it appears."""

    def do_login(user, *, login_name=None, password=PASSWORD, use_client=None):
        c = use_client or client
        response = c.post("/accounts/login/", {"login": login_name or user.username, "password": password})
        if response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/"):
            response = c.post("/accounts/2fa/authenticate/", {"code": current_totp_code(user)})
        assert response.status_code == 302, response.content.decode()[:2000]
        return c

    return do_login
