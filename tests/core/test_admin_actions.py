"""core.admin_actions.confirm_action: permission first, a confirmation page, then one service call; a refusal is
shown on the page and nothing is done."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from core.admin_actions import CONFIRMED, ConfirmForm, confirm_action, listed
from core.models import Job
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class ReasonForm(forms.Form):
    reason = forms.CharField()


@pytest.fixture
def modeladmin():
    return admin.ModelAdmin(Job, admin.AdminSite())


@pytest.fixture
def user():
    return UserFactory(is_staff=True, is_superuser=True)


def _request(user, method="get", data=None):
    request = getattr(RequestFactory(), method)("/admin/core/job/", data or {})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


class Service:
    """Records its calls; refuses when told to."""

    def __init__(self, refusal=None):
        self.calls, self.refusal = [], refusal

    def __call__(self, data):
        if self.refusal:
            raise ValidationError(self.refusal)
        self.calls.append(data)
        return len(self.calls)


def _confirm(modeladmin, request, service, **kwargs):
    return confirm_action(modeladmin, request, **{
        "title": "Confirm it", "perform": service, "success": lambda count: f"done {count}", **kwargs})


def test_it_refuses_before_anything_without_the_permission(modeladmin):
    service = Service()
    outsider = UserFactory(is_staff=True)
    for permission in ("core.change_job", lambda request: False):
        with pytest.raises(PermissionDenied):
            _confirm(modeladmin, _request(outsider, "post"), service, permission=permission)
    assert service.calls == []


def test_it_asks_first_and_calls_the_service_once_answered(modeladmin, user):
    service = Service()
    page = _confirm(modeladmin, _request(user), service, permission="core.change_job", done_url="/done/")
    assert page.status_code == 200 and page.template_name == "admin/confirm_action.html"
    assert isinstance(page.context_data["form"], ConfirmForm) and not page.context_data["form"].is_bound
    assert service.calls == []

    request = _request(user, "post")
    response = _confirm(modeladmin, request, service, permission="core.change_job",
                        done_url=lambda count: f"/done/{count}/")
    assert (response.status_code, response["Location"]) == (302, "/done/1/")
    assert service.calls == [{}]
    assert [str(message) for message in get_messages(request)] == ["done 1"]


def test_it_shows_invalid_answers_and_refusals_on_the_page(modeladmin, user):
    service = Service()
    page = _confirm(modeladmin, _request(user, "post", {"reason": ""}), service, form_class=ReasonForm)
    assert page.status_code == 200 and page.context_data["form"].errors["reason"]
    assert service.calls == []

    refusing = Service(refusal="Not now.")
    request = _request(user, "post", {"reason": "because"})
    page = _confirm(modeladmin, request, refusing, form_class=ReasonForm, context=lambda: {"extra": 1})
    assert page.status_code == 200 and page.context_data["extra"] == 1
    assert page.context_data["form"].non_field_errors() == ["Not now."]
    assert list(get_messages(request)) == []

    page = _confirm(modeladmin, _request(user, "post", {"reason": "because"}), refusing, form_class=ReasonForm,
                    on_refusal=lambda refusal, form: {"refusal": refusal})
    assert page.context_data["refusal"].messages == ["Not now."] and not page.context_data["form"].errors


def test_a_bulk_action_posts_its_selection_back_and_returns_to_the_list(modeladmin, user):
    jobs = [Job.objects.create(kind="test") for _ in range(2)]
    selection = {"action": "do_it", admin.helpers.ACTION_CHECKBOX_NAME: [str(job.pk) for job in jobs]}
    service = Service()
    page = _confirm(modeladmin, _request(user, "post", selection), service, queryset=Job.objects.all(),
                    form_class=ReasonForm, form_kwargs={"initial": {"reason": "x"}})
    assert page.status_code == 200 and not page.context_data["form"].is_bound
    assert (page.context_data["action"], page.context_data["selected"], page.context_data["confirmed_field"]) \
        == ("do_it", selection[admin.helpers.ACTION_CHECKBOX_NAME], CONFIRMED)
    page.render()
    assert f'name="{CONFIRMED}"' in page.content.decode() and f'value="{jobs[1].pk}"' in page.content.decode()
    assert service.calls == []

    answer = _request(user, "post", {**selection, CONFIRMED: "yes", "reason": "because"})
    assert _confirm(modeladmin, answer, service, queryset=Job.objects.all(), form_class=ReasonForm) is None
    assert service.calls == [{"reason": "because"}]


def test_a_refusal_leaves_nothing_written(modeladmin, user):
    def writes_then_refuses(data):
        Job.objects.create(kind="test")
        raise ValidationError("No.")

    page = _confirm(modeladmin, _request(user, "post"), writes_then_refuses)
    assert page.context_data["form"].non_field_errors() == ["No."]
    assert not Job.objects.exists()


def test_it_shows_the_result_page_once_done_instead_of_going_back(modeladmin, user):
    service = Service()
    response = _confirm(modeladmin, _request(user, "post"), service,
                        result_page=lambda count: HttpResponse(f"codes {count}"))
    assert response.status_code == 200 and response.content == b"codes 1" and service.calls == [{}]


def test_the_page_says_how_many_and_lists_them_truncated_with_a_count(modeladmin, user):
    names = [f"会员{n}" for n in range(53)]
    page = _confirm(modeladmin, _request(user), Service(), context={
        "question": "将为 53 名会员登记", "listings": [listed(names, heading="名单 (53)"),
                                                 listed([], heading="跳过 (0)")]})
    text = page.render().content.decode()
    assert "将为 53 名会员登记" in text and "名单 (53)" in text and "跳过 (0)" not in text
    assert text.count("<li>会员") == 50 and "会员49" in text and "会员50" not in text
