"""Disallowed forms are not offered (issue 12 §1): each bulk action that writes appears in a change list's action
menu only for the roles that may run it, and the holiday distribution's form only for those who record gifts —
checked for every staff persona, against the permission each action declares."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db

STAFF = ["chair", "treasurer", "auditor", "welfare_officer"]

#: (change list, action, the permission that runs it)
ACTIONS = [
    ("/admin/members/member/", "create_accounts", "members.create_member_account"),
    ("/admin/members/member/", "change_group", "members.change_member"),
    ("/admin/accounts/user/", "issue_activation_codes", "members.create_member_account"),
    ("/admin/activities/activity/", "publish_selected", "activities.change_activity"),
    ("/admin/activities/interestgroupplan/", "approve_plans", "activities.change_interestgroupplan"),
    ("/admin/welfare/benefitpolicy/", "copy_to_next_year", "welfare.add_benefitpolicy"),
    ("/admin/finance/period/", "close_selected", "finance.close_period"),
    ("/admin/finance/spending/", "post_selected", "finance.post_spending"),
    ("/admin/voice/notice/", "publish", "voice.publish_notice"),
    ("/admin/voice/survey/", "publish", "voice.change_survey"),
]


def _menu(url, user):
    """The actions a change list's menu offers ``user`` (the admin builds the menu from ``get_actions``)."""
    app_label, model_name = url.strip("/").split("/")[1:3]
    modeladmin = next(ma for model, ma in admin.site._registry.items()
                      if (model._meta.app_label, model._meta.model_name) == (app_label, model_name))
    request = RequestFactory().get(url)
    request.user = user
    return modeladmin.get_actions(request)


@pytest.mark.parametrize("persona", STAFF)
def test_each_bulk_action_is_offered_only_to_the_roles_that_may_run_it(request, persona):
    user = request.getfixturevalue(persona)
    for url, action, permission in ACTIONS:
        assert (action in _menu(url, user)) == user.has_perm(permission), (url, action, persona)


def test_the_chair_is_offered_account_creation_and_the_auditor_no_writing_action(chair, auditor):
    assert "create_accounts" in _menu("/admin/members/member/", chair)
    assert not any(action in _menu(url, auditor) for url, action, _permission in ACTIONS)


@pytest.mark.parametrize("persona", STAFF)
def test_the_holiday_distribution_form_is_offered_only_to_those_who_record_gifts(request, login, persona):
    user = request.getfixturevalue(persona)
    page = login(user, use_client=Client()).get("/welfare/distributions/")
    if page.status_code != 200:
        return
    offered = 'action="/welfare/distributions/new/"' in page.content.decode()
    assert offered == user.has_perm("welfare.record_visit")
