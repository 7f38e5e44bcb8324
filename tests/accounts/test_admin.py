"""The accounts console: the chair manages roles and hands out fresh activation codes, nothing more."""

import re

import pytest

from accounts.models import AccountInvitation, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _issue(client, *users, confirmed="yes"):
    return client.post("/admin/accounts/user/", {"action": "issue_activation_codes", "confirmed": confirmed,
                                                 "_selected_action": [user.pk for user in users]})


def test_it_asks_before_issuing_codes_saying_whose_old_codes_stop_working(client, login, chair, member_user):
    login(chair)
    asked = client.post("/admin/accounts/user/", {"action": "issue_activation_codes",
                                                  "_selected_action": [member_user.pk]})
    text = asked.content.decode()
    assert "1 account will get a new activation code; its older code stops working. 0 skipped." in text
    assert member_user.username in text[text.index("New codes for (1)"):]
    assert not AccountInvitation.objects.filter(user=member_user).exists()


def test_it_lets_the_chair_issue_a_new_code_that_replaces_the_old_one(client, login, chair, member_user):
    login(chair)
    response = _issue(client, member_user)
    assert response.status_code == 200
    [(user, code)] = response.context["issued"]
    assert user == member_user
    assert re.search(rf'<code class="activation-code">{code}</code>', response.content.decode())
    client.post("/accounts/logout/")
    response = client.post("/accounts/activate/", {"code": code, "password1": "Renewed-passw0rd-3",
                                                   "password2": "Renewed-passw0rd-3"})
    assert response.status_code == 302
    member_user.refresh_from_db()
    assert member_user.check_password("Renewed-passw0rd-3")


def test_it_revokes_the_earlier_code_when_a_new_one_is_issued(client, login, chair, member_user):
    login(chair)
    first = _issue(client, member_user).context["issued"][0][1]
    second = _issue(client, member_user).context["issued"][0][1]
    assert first != second
    assert AccountInvitation.objects.filter(user=member_user, revoked_at__isnull=True).count() == 1


def test_it_issues_no_code_for_a_closed_account(client, login, chair, member_user):
    member_user.is_active = False
    member_user.save()
    login(chair)
    response = _issue(client, member_user)
    text = response.content.decode()
    assert "None of the selected accounts can get a new code." in text and "the account is closed" in text
    assert not AccountInvitation.objects.filter(user=member_user).exists()


def test_it_does_not_let_the_chair_take_over_a_superuser(client, login, chair):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    login(chair)
    response = _issue(client, root)
    assert "only a superuser can do this for a superuser" in response.content.decode()
    assert not AccountInvitation.objects.filter(user=root).exists()
    assert client.get(f"/admin/accounts/user/{root.pk}/change/").context["has_change_permission"] is False


@pytest.mark.parametrize("persona", ["treasurer", "auditor", "welfare_officer"])
def test_it_does_not_let_other_staff_issue_codes(request, client, login, persona, member_user):
    login(request.getfixturevalue(persona))
    _issue(client, member_user)
    assert not AccountInvitation.objects.filter(user=member_user).exists()


def test_it_does_not_let_the_chair_make_anyone_a_superuser(client, login, chair, member_user):
    login(chair)
    response = client.get(f"/admin/accounts/user/{member_user.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    assert "groups" in form.fields


def test_it_lets_the_chair_give_roles_in_the_admin(client, login, chair, member_user):
    login(chair)
    url = f"/admin/accounts/user/{member_user.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["groups"] = [Role.objects.get(code=code).group.pk for code in (Role.MEMBER, Role.WELFARE)]
    data["is_superuser"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member_user.refresh_from_db()
    assert member_user.has_role(Role.WELFARE)
    assert member_user.is_staff
    assert not member_user.is_superuser


def test_it_does_not_let_the_chair_type_someone_elses_password(client, login, chair, member_user):
    login(chair)
    response = client.post(f"/admin/accounts/user/{member_user.pk}/password/",
                           {"password1": "Chosen-by-chair-1", "password2": "Chosen-by-chair-1"})
    assert response.status_code == 403
    member_user.refresh_from_db()
    assert not member_user.check_password("Chosen-by-chair-1")
