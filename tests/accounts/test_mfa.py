"""TOTP two-factor login (allauth MFA) is required for the chair, the treasurer and the auditor."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from accounts.models import Role
from tests.conftest import PASSWORD, current_totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

SETUP_URL = "/accounts/2fa/totp/activate/"


def _code_for(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def _password_login(client, user):
    response = client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _reauthenticate(client, next_url):
    """allauth asks for the password again before any change to two-factor settings, even right after login."""
    response = client.get(next_url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == next_url


def _open_set_up(client):
    _reauthenticate(client, SETUP_URL)
    response = client.get(SETUP_URL)
    assert response.status_code == 200
    return client.session["mfa.totp.secret"]


@pytest.fixture
def chair_without_totp(make_persona):
    return make_persona("newchair", Role.CHAIR, totp=False)


@pytest.mark.parametrize("role", [Role.CHAIR, Role.TREASURER, Role.AUDITOR, Role.WELFARE])
def test_it_sends_a_role_that_requires_two_factor_to_the_totp_set_up(client, make_persona, role):
    user = make_persona(f"new{role}", role, totp=False)
    _password_login(client, user)
    for path in ("/", "/members/me/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP_URL), path


@pytest.mark.parametrize("role", [Role.GROUP_LEADER, Role.MEMBER])
def test_it_does_not_require_two_factor_for_other_roles(client, make_persona, role):
    user = make_persona(f"new{role}", role, totp=False)
    _password_login(client, user)
    assert client.get("/").status_code == 200


def test_it_remembers_the_page_asked_for_in_the_set_up_link(client, chair_without_totp):
    _password_login(client, chair_without_totp)
    response = client.get("/members/me/?a=1&b=2")
    assert response["Location"] == SETUP_URL + "?next=%2Fmembers%2Fme%2F%3Fa%3D1%26b%3D2"


def test_it_requires_two_factor_when_one_of_several_roles_needs_it(client, make_persona):
    user = make_persona("welfarechair", Role.WELFARE, Role.AUDITOR, totp=False)
    _password_login(client, user)
    assert client.get("/")["Location"].startswith(SETUP_URL)


def test_it_lets_the_chair_reach_the_set_up_page_and_log_out(client, chair_without_totp):
    _password_login(client, chair_without_totp)
    assert _open_set_up(client)
    client.post("/accounts/logout/")
    assert not client.get("/healthz/").wsgi_request.user.is_authenticated


def test_it_lets_the_chair_through_after_setting_up_totp(client, chair_without_totp):
    _password_login(client, chair_without_totp)
    secret = _open_set_up(client)
    response = client.post(SETUP_URL, {"code": _code_for(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=chair_without_totp, type=Authenticator.Type.TOTP).exists()
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_it_refuses_a_wrong_code_at_set_up(client, chair_without_totp):
    _password_login(client, chair_without_totp)
    secret = _open_set_up(client)
    wrong = f"{(int(_code_for(secret)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP_URL, {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Authenticator.objects.filter(user=chair_without_totp).exists()
    assert client.get("/")["Location"].startswith(SETUP_URL)


def test_it_asks_for_the_code_at_the_next_login_after_set_up(client, chair_without_totp):
    _password_login(client, chair_without_totp)
    client.post(SETUP_URL, {"code": _code_for(_open_set_up(client))})
    client.post("/accounts/logout/")
    response = _password_login(client, chair_without_totp)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")


def test_it_refuses_a_wrong_totp_code_at_login(client, chair):
    _password_login(client, chair)
    wrong = f"{(int(current_totp_code(chair)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert not client.get("/healthz/").wsgi_request.user.is_authenticated


def test_it_refuses_the_same_totp_code_twice(client, chair):
    _password_login(client, chair)
    code = current_totp_code(chair)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    _password_login(client, chair)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert not client.get("/healthz/").wsgi_request.user.is_authenticated


def test_it_does_not_let_the_chair_switch_two_factor_off(client, login, chair):
    login(chair)
    _reauthenticate(client, "/accounts/2fa/totp/deactivate/")
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "cannot deactivate" in response.content.decode()
    assert Authenticator.objects.filter(user=chair, type=Authenticator.Type.TOTP).exists()


def test_it_lets_a_member_switch_optional_two_factor_off(client, login, member_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(member_user, generate_totp_secret())
    login(member_user)
    _reauthenticate(client, "/accounts/2fa/totp/deactivate/")
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=member_user, type=Authenticator.Type.TOTP).exists()


def test_it_requires_set_up_as_soon_as_a_member_becomes_treasurer(client, login, member_user):
    from accounts.services import user_set_roles

    login(member_user)
    assert client.get("/").status_code == 200
    user_set_roles(user=member_user, roles=list(Role.objects.filter(code__in=[Role.MEMBER, Role.TREASURER])),
                   actor=None)
    assert client.get("/")["Location"].startswith(SETUP_URL)


def test_it_does_not_let_the_admin_login_form_skip_two_factor(client, chair):
    response = client.post("/admin/login/", {"username": "chair", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not client.get("/healthz/").wsgi_request.user.is_authenticated
    assert client.get("/admin/members/member/").status_code == 302


def test_it_sends_the_admin_login_page_to_the_portal_login(client, db):
    response = client.get("/admin/login/?next=/admin/members/member/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fmembers%2Fmember%2F"


def test_it_requires_two_factor_of_a_superuser(client, db):
    from tests.factories import UserFactory

    root = UserFactory(username="root-mfa", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_a_login_finished_after_the_two_factor_step_names_the_portals_backend(client, login, chair):
    """allauth completes that login itself and would name its own backend in the session; the portal's reads the
    session's user with its two-factor need and member record in one query on every request (AccountAdapter)."""
    from django.contrib.auth import BACKEND_SESSION_KEY

    login(chair)
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.PhoneOrUsernameBackend"
    response = client.get("/admin/")
    user = response.wsgi_request.user
    assert user.holds_mfa_role is True and user.member == chair.member
