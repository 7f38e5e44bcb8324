"""Password reset by email (allauth): the mail arrives, its link sets a new password, the old one stops working."""

import re

import pytest
from django.core import mail

from accounts.models import AccountInvitation
from members.services import accounts_create_for_members
from tests.conftest import PASSWORD
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-new-passw0rd-5"


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _request_reset(client, email):
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"


def _reset_link(message):
    match = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def _set_new_password(client, link, password=NEW_PASSWORD):
    response = client.get(link)
    # allauth moves the key out of the URL into the session, then shows the form.
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.post(form_url, {"password1": password, "password2": password})
    return response


def _can_log_in(client, login, password):
    response = client.post("/accounts/login/", {"login": login, "password": password})
    ok = response.status_code == 302
    if ok:
        client.post("/accounts/logout/")
    return ok


def test_it_mails_a_reset_link_that_sets_a_new_password(client, member_user):
    _request_reset(client, member_user.email)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member_user.email]
    response = _set_new_password(client, _reset_link(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/key/done/"
    assert _can_log_in(client, member_user.member.phone, NEW_PASSWORD)
    assert not _can_log_in(client, member_user.member.phone, PASSWORD)


def test_it_finds_the_account_by_the_email_typed_in_another_case(client, member_user):
    _request_reset(client, member_user.email.upper())
    assert len(mail.outbox) == 1


def test_it_finds_the_account_by_the_email_on_the_member_record(client, member_user):
    member = member_user.member
    member.email = "new.address@example.org"
    member.save()
    _request_reset(client, "new.address@example.org")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.address@example.org"]
    assert _set_new_password(client, _reset_link(mail.outbox[0])).status_code == 302
    assert _can_log_in(client, "member", NEW_PASSWORD)


def test_it_works_for_an_account_the_chair_created_with_a_mixed_case_email(client, chair):
    member = MemberFactory(email="Wang.Fang@Example.ORG")
    accounts_create_for_members(members=[member], actor=chair)
    mail.outbox.clear()
    _request_reset(client, "wang.fang@example.org")
    assert len(mail.outbox) == 1
    assert _set_new_password(client, _reset_link(mail.outbox[0])).status_code == 302
    assert _can_log_in(client, member.phone, NEW_PASSWORD)


def test_it_closes_open_activation_codes_after_a_reset(client, chair):
    member = MemberFactory(email="zhao@example.org")
    accounts_create_for_members(members=[member], actor=chair)
    mail.outbox.clear()
    _request_reset(client, "zhao@example.org")
    _set_new_password(client, _reset_link(mail.outbox[0]))
    assert not AccountInvitation.objects.filter(user__member=member, used_at__isnull=True,
                                                revoked_at__isnull=True).exists()


def test_it_sends_nothing_for_an_unknown_address_and_does_not_say_so(client, member_user):
    _request_reset(client, "stranger@example.org")
    assert mail.outbox == []


def test_it_sends_nothing_to_an_inactive_account(client, member_user):
    member_user.is_active = False
    member_user.save()
    _request_reset(client, member_user.email)
    assert mail.outbox == []


def test_it_refuses_a_used_reset_link(client, member_user):
    _request_reset(client, member_user.email)
    link = _reset_link(mail.outbox[0])
    assert _set_new_password(client, link).status_code == 302
    response = client.get(link, follow=True)
    assert "password1" not in response.content.decode()
    assert "invalid" in response.content.decode().lower()


def test_it_refuses_a_weak_new_password_and_keeps_the_old_one(client, member_user):
    _request_reset(client, member_user.email)
    response = _set_new_password(client, _reset_link(mail.outbox[0]), password="123456")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert _can_log_in(client, "member", PASSWORD)


def test_it_lifts_a_failed_login_lock_after_a_reset(client, member_user):
    for _ in range(6):
        client.post("/accounts/login/", {"login": "member", "password": "guess-passw0rd"})
    assert not _can_log_in(client, "member", PASSWORD)
    _request_reset(client, member_user.email)
    _set_new_password(client, _reset_link(mail.outbox[0]))
    assert _can_log_in(client, "member", NEW_PASSWORD)


def test_it_rate_limits_reset_requests_per_address(client, member_user):
    for _ in range(5):
        _request_reset(client, member_user.email)
    response = client.post("/accounts/password/reset/", {"email": member_user.email})
    assert response.status_code == 429
    assert "Wait a few minutes" in response.content.decode()
    assert len(mail.outbox) == 5


def test_it_still_asks_a_chair_for_the_totp_code_after_a_reset(client, chair):
    _request_reset(client, chair.email)
    _set_new_password(client, _reset_link(mail.outbox[0]))
    response = client.post("/accounts/login/", {"login": "chair", "password": NEW_PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
