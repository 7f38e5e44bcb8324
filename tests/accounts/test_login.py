"""Login with 手机号 or 用户名 + password, rate-limited failed attempts, closed sign-up."""

import re

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from members.services import accounts_create_for_members
from tests.conftest import PASSWORD
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _post_login(client, login, password):
    return client.post("/accounts/login/", {"login": login, "password": password})


def _logged_in_user(client):
    return client.get("/").wsgi_request.user


def test_it_logs_in_with_username(client, member_user):
    response = _post_login(client, "member", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user(client) == member_user


def test_it_logs_in_with_the_phone_number_on_the_member_record(client, member_user):
    response = _post_login(client, member_user.member.phone, PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user(client) == member_user


def test_it_accepts_a_phone_number_typed_with_spaces(client, member_user):
    phone = member_user.member.phone
    response = _post_login(client, f" {phone[:3]} {phone[3:7]} {phone[7:]} ", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user(client) == member_user


@pytest.mark.parametrize("typed", ["{p}", "{a}-{b}-{c}", "+86 {p}", "0086{p}", "\uff11{rest}"])
def test_it_accepts_the_phone_number_as_people_type_it(client, member_user, typed):
    phone = member_user.member.phone
    login = typed.format(p=phone, a=phone[:3], b=phone[3:7], c=phone[7:], rest=phone[1:])
    response = _post_login(client, login, PASSWORD)
    assert response.status_code == 302, login
    assert _logged_in_user(client) == member_user


def test_it_refuses_a_wrong_password_with_a_clear_error(client, member_user):
    response = _post_login(client, member_user.member.phone, "wrong-password-1")
    assert response.status_code == 200
    assert not _logged_in_user(client).is_authenticated
    assert response.context["form"].non_field_errors()


def test_it_refuses_a_phone_number_shared_by_two_accounts(client, member_user):
    other = UserFactory(username="twin")
    MemberFactory(user=other, phone=member_user.member.phone)
    response = _post_login(client, member_user.member.phone, PASSWORD)
    assert response.status_code == 200
    assert not _logged_in_user(client).is_authenticated


def test_it_refuses_an_inactive_account(client, member_user):
    member_user.is_active = False
    member_user.save()
    for login in ("member", member_user.member.phone):
        response = _post_login(client, login, PASSWORD)
        assert not _logged_in_user(client).is_authenticated
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"] == "/accounts/inactive/"


def test_it_refuses_login_before_the_account_is_activated(client, chair):
    member = MemberFactory()
    accounts_create_for_members(members=[member], actor=chair)
    member.refresh_from_db()
    response = _post_login(client, member.phone, "")
    assert response.status_code == 200
    response = _post_login(client, member.user.username, "anything-at-all-1")
    assert response.status_code == 200
    assert not _logged_in_user(client).is_authenticated


def test_it_asks_for_the_totp_code_before_logging_a_chair_in(client, chair):
    response = _post_login(client, "chair", PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert not _logged_in_user(client).is_authenticated


def test_it_logs_a_chair_in_with_the_phone_number_and_totp(client, login, chair):
    login(chair, login_name=chair.member.phone)
    assert _logged_in_user(client) == chair


def test_it_rate_limits_failed_logins_per_account(client, member_user):
    for _ in range(5):
        response = _post_login(client, "member", "wrong-password-1")
        assert "Too many failed login attempts" not in response.content.decode()
    response = _post_login(client, "member", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not _logged_in_user(client).is_authenticated


def test_it_counts_one_phone_number_however_it_is_typed(client, member_user):
    """Spaces, dashes, +86 or full-width digits do not make a fresh allowance for the same number."""
    phone = member_user.member.phone
    for typed in (phone, f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"+86 {phone}", f"{phone[:3]}-{phone[3:]}",
                  "".join(chr(ord(c) + 0xFEE0) for c in phone)):
        _post_login(client, typed, "wrong-password-1")
    response = _post_login(client, phone, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()


# --- no oracle (issue 11.2): failed attempts count per typed login and per address, whoever it names -------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _answer(login, password, address):
    """A login attempt from its own browser at ``address``: the status and the page with the typed login and the
    CSRF token blanked out (the only parts that may differ)."""
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/login/", {"login": login, "password": password},
                                                      REMOTE_ADDR=address)
    page = CSRF.sub("", response.content.decode()).replace(login, "LOGIN")
    return response.status_code, response.get("Location"), page


def test_a_real_and_an_unknown_phone_number_get_the_same_answer_also_after_the_limit(member_user):
    real, unknown = member_user.member.phone, "13900000000"
    assert not MemberFactory._meta.model.objects.filter(phone=unknown).exists()
    answers = []
    for attempt in range(7):
        here = _answer(real, "wrong-password-1", "10.0.1.1")
        there = _answer(unknown, "wrong-password-1", "10.0.2.2")
        assert here == there, f"attempt {attempt + 1}"
        answers.append(here)
    assert "Too many failed login attempts" not in answers[0][2]
    assert "Too many failed login attempts" in answers[-1][2]


def test_guessing_at_a_phone_number_never_locks_the_owner_out_of_their_username(client, member_user):
    for _ in range(12):
        _answer(member_user.member.phone, "wrong-password-1", "10.0.3.3")
    # Fewer than the limit at the username itself: the guesses at the phone number did not count against it.
    for _ in range(3):
        _post_login(client, "member", "wrong-password-1")
    response = _post_login(client, "member", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user(client) == member_user


def test_a_password_reset_lifts_the_lock_on_the_phone_number_too(client, member_user):
    for _ in range(5):
        _post_login(client, member_user.member.phone, "wrong-password-1")
    get_adapter().login_attempts_clear(RequestFactory().get("/"), member_user)
    assert _post_login(client, member_user.member.phone, PASSWORD).status_code == 302


def test_it_rate_limits_failed_logins_per_ip(client, db):
    for n in range(10):
        _post_login(client, f"nobody{n}", "wrong-password-1")
    response = _post_login(client, "nobody-else", "wrong-password-1")
    assert "Too many failed login attempts" in response.content.decode()


def test_it_does_not_count_successful_logins_against_the_limit(client, member_user):
    for _ in range(8):
        response = _post_login(client, "member", PASSWORD)
        assert response.status_code == 302
        client.post("/accounts/logout/")


def test_it_shows_that_sign_up_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "closed" in response.content.decode().lower()


def test_it_creates_no_account_through_the_sign_up_url(client, db):
    before = get_user_model().objects.count()
    response = client.post(
        "/accounts/signup/", {"username": "intruder", "password1": "Very-secret-99", "password2": "Very-secret-99"}
    )
    assert response.status_code == 200
    assert get_user_model().objects.count() == before
    assert not get_user_model().objects.filter(username="intruder").exists()


def test_it_offers_no_sign_up_link_on_the_login_page(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "/accounts/signup/" not in response.content.decode()


def test_it_labels_the_login_field_for_phone_or_username(client, db, settings):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Mobile number or username" in response.content.decode()


def test_it_logs_out(client, login, member_user):
    login(member_user)
    client.post("/accounts/logout/")
    assert not _logged_in_user(client).is_authenticated
