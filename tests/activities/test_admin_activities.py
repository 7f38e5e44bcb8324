"""The chair's console for activities (issue §1): list columns and filters at a constant query count, the form
with questions and audience, publish and cancel, the registrations page and its .xlsx export (masked), the
read-only registration history, and who may do what (the auditor looks, never writes)."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import (
    Activity,
    ActivityType,
    Audience,
    Registration,
    RegistrationEvent,
    RegistrationQuestion,
)
from core.masking import mask_phone
from tests.factories import DepartmentFactory, MemberFactory, UnionGroupFactory
from tests.once import once

from .factories import ActivityFactory, QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/activities/activity/"
NOW = timezone.now()


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def url(activity, suffix=""):
    return f"{LIST_URL}{activity.pk}/{suffix}"


def _split(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def activity_form(activity=None, **changes):
    """The admin form's POST data for ``activity`` (or a new one), with its question inline."""
    starts = NOW + datetime.timedelta(days=20)
    values = {
        "title": "春季健步走", "activity_type": ActivityType.objects.get(code="sports").pk, "description": "",
        "place": "奥森公园", "organiser": "", "budget": "3000.00",
        "starts_at": starts, "ends_at": starts + datetime.timedelta(hours=4),
        "registration_opens_at": NOW - datetime.timedelta(days=1),
        "registration_closes_at": starts - datetime.timedelta(days=3), "cancellation_deadline": None,
        "capacity": "30", "family_takes_seats": "", "audience": Audience.ALL, "union_groups": [], "departments": [],
        "retirees_included": "on",
    }
    questions = []
    if activity is not None:
        values.update({
            "title": activity.title, "activity_type": activity.activity_type_id, "place": activity.place,
            "budget": str(activity.budget), "starts_at": activity.starts_at, "ends_at": activity.ends_at,
            "registration_opens_at": activity.registration_opens_at,
            "registration_closes_at": activity.registration_closes_at,
            "capacity": "" if activity.capacity is None else str(activity.capacity),
            "audience": activity.audience, "organiser": activity.organiser_id or "",
            "retirees_included": "on" if activity.retirees_included else "",
        })
        questions = list(activity.questions.all())
    values.update(changes)
    data = {}
    for name, value in values.items():
        if isinstance(value, datetime.datetime):
            data[f"{name}_0"], data[f"{name}_1"] = _split(value)
        elif value is None:
            data[f"{name}_0"], data[f"{name}_1"] = "", ""
        else:
            data[name] = value
    data.update({"questions-TOTAL_FORMS": str(len(questions)), "questions-INITIAL_FORMS": str(len(questions)),
                 "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000"})
    for index, question in enumerate(questions):
        data.update({f"questions-{index}-id": question.pk, f"questions-{index}-activity": activity.pk,
                     f"questions-{index}-label": question.label, f"questions-{index}-kind": question.kind,
                     f"questions-{index}-choices": question.choices, f"questions-{index}-sort_order": "0"})
    return data


def _activities_with_registrations(count, per_activity):
    for index in range(count):
        activity = ActivityFactory(capacity=per_activity)
        for n in range(per_activity):
            RegistrationFactory(activity=activity, checked_in_at=NOW if n % 2 else None)
        RegistrationFactory(activity=activity, status=Registration.Status.WAITLISTED)


# --- the list ------------------------------------------------------------------------------------------------------

def test_the_list_shows_status_seats_waitlist_and_check_ins(client, login, chair):
    outing = ActivityFactory(title="秋游香山", capacity=3)
    RegistrationFactory(activity=outing, seats=2, checked_in_at=NOW)
    RegistrationFactory(activity=outing)
    RegistrationFactory(activity=outing, status=Registration.Status.WAITLISTED)
    RegistrationFactory(activity=outing, status=Registration.Status.CANCELLED)
    login(chair)
    page = client.get(LIST_URL)
    assert page.status_code == 200
    row = page.context["cl"].result_list[0]
    admin = page.context["cl"].model_admin
    assert admin.status_display(row) == "registration open"
    assert admin.seats_display(row) == "3 / 3"
    assert (admin.waitlist_display(row), admin.checked_in_display(row)) == (1, 1)
    assert admin.attendance_display(row) == "—"  # not started yet: no rate
    Activity.objects.filter(pk=outing.pk).update(starts_at=NOW - datetime.timedelta(minutes=5))
    row = client.get(LIST_URL).context["cl"].result_list[0]
    assert (admin.status_display(row), admin.attendance_display(row)) == ("in progress", "50.0%")
    html = page.content.decode()
    assert "秋游香山" in html and "3 / 3" in html


def test_the_list_costs_the_same_queries_for_5_and_40_activities(client, login, chair):
    login(chair)
    _activities_with_registrations(5, 3)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST_URL).status_code == 200
    _activities_with_registrations(35, 8)
    with CaptureQueriesContext(connection) as many:
        page = client.get(LIST_URL)
    assert page.context["cl"].result_count == 40
    assert len(many) == len(few)


def test_it_filters_by_type_state_status_and_year_and_searches(client, login, chair):
    sports = ActivityType.objects.get(code="sports")
    walk = ActivityFactory(title="健步走", activity_type=sports)
    draft = ActivityFactory(title="草稿活动", state=Activity.State.DRAFT)
    last_year = ActivityFactory(title="去年秋游", starts_at=NOW - datetime.timedelta(days=400),
                                ends_at=NOW - datetime.timedelta(days=400) + datetime.timedelta(hours=3),
                                registration_opens_at=NOW - datetime.timedelta(days=430),
                                registration_closes_at=NOW - datetime.timedelta(days=410))
    login(chair)

    def titles(query):
        response = client.get(f"{LIST_URL}?{query}")
        assert response.status_code == 200, response
        return {a.title for a in response.context["cl"].result_list}

    assert titles(f"activity_type__id__exact={sports.pk}") == {"健步走"}
    assert titles("state__exact=draft") == {"草稿活动"}
    assert titles("status=open") == {"健步走"}
    assert titles("status=finished") == {"去年秋游"}
    year = timezone.localtime(last_year.starts_at).year
    assert titles(f"year={year}") == {"去年秋游"}
    assert titles("q=健步") == {"健步走"}
    assert walk.pk and draft.pk


# --- the form ------------------------------------------------------------------------------------------------------

def test_it_creates_an_activity_with_a_question_and_an_audience(client, login, chair):
    group = UnionGroupFactory(name="第一小组")
    department = DepartmentFactory(name="人事处")
    organiser = MemberFactory(name="罗组织")
    login(chair)
    data = activity_form(audience=Audience.CHOSEN, union_groups=[group.pk], departments=[department.pk],
                         organiser=organiser.pk)
    data.update({"questions-TOTAL_FORMS": "1", "questions-0-label": "T恤尺码", "questions-0-kind": "choice",
                 "questions-0-choices": "S\nM\nL", "questions-0-required": "on", "questions-0-sort_order": "1"})
    response = client.post(f"{LIST_URL}add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = Activity.objects.get(title="春季健步走")
    assert activity.state == Activity.State.DRAFT and activity.created_by == chair
    assert list(activity.union_groups.all()) == [group] and list(activity.departments.all()) == [department]
    assert activity.organiser == organiser
    question = activity.questions.get()
    assert (question.label, question.choice_list, question.required) == ("T恤尺码", ["S", "M", "L"], True)
    assert LogEntry.objects.get_for_object(activity).filter(actor=chair).exists()


def test_it_explains_dates_in_the_wrong_order(client, login, chair):
    login(chair)
    starts = NOW + datetime.timedelta(days=5)
    response = client.post(f"{LIST_URL}add/", activity_form(starts_at=starts,
                                                             ends_at=starts - datetime.timedelta(hours=1)))
    assert response.status_code == 200
    assert "must end after it starts" in str(response.context["adminform"].form.errors)


def test_it_refuses_fewer_seats_than_are_taken(client, login, chair):
    activity = ActivityFactory(capacity=5)
    for _ in range(4):
        RegistrationFactory(activity=activity)
    login(chair)
    response = client.post(url(activity, "change/"), activity_form(activity, capacity="3"))
    assert response.status_code == 200
    assert "4 seats are already taken" in str(response.context["adminform"].form.errors)


def test_more_seats_move_people_up_from_the_waitlist(client, login, chair):
    activity = ActivityFactory(capacity=1)
    RegistrationFactory(activity=activity)
    waiting = RegistrationFactory(activity=activity, status=Registration.Status.WAITLISTED)
    login(chair)
    response = client.post(url(activity, "change/"), activity_form(activity, capacity="2"))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert waiting.events.filter(kind=RegistrationEvent.Kind.PROMOTED, actor=chair).exists()


# --- publish and cancel --------------------------------------------------------------------------------------------

def test_it_publishes_a_draft_after_confirmation(client, login, chair):
    draft = ActivityFactory(state=Activity.State.DRAFT)
    login(chair)
    assert b"tool-publish" in client.get(url(draft, "change/")).content
    assert client.get(url(draft, "publish/")).status_code == 200
    draft.refresh_from_db()
    assert draft.state == Activity.State.DRAFT  # GET only asks
    response = client.post(url(draft, "publish/"), once())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Activity.State.PUBLISHED


def test_it_says_why_a_draft_cannot_be_published(client, login, chair):
    draft = ActivityFactory(state=Activity.State.DRAFT, audience=Audience.CHOSEN)
    login(chair)
    response = client.post(url(draft, "publish/"), once())
    assert response.status_code == 200
    assert "Choose the groups or departments" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == Activity.State.DRAFT


def test_it_publishes_several_drafts_from_the_list(client, login, chair):
    drafts = [ActivityFactory(state=Activity.State.DRAFT) for _ in range(2)]
    bad = ActivityFactory(state=Activity.State.DRAFT, audience=Audience.CHOSEN, title="没有对象")
    login(chair)
    chosen = {"action": "publish_selected", "_selected_action": [a.pk for a in [*drafts, bad]]}
    asked = client.post(LIST_URL, chosen).content.decode()
    assert "3 activities will be published" in asked and "没有对象" in asked
    assert not Activity.objects.filter(state=Activity.State.PUBLISHED).exists()
    # All or none: the draft without an audience is refused on the page, and nothing is published.
    refused = client.post(LIST_URL, once({**chosen, "confirmed": "yes"})).content.decode()
    assert "没有对象: " in refused and 'class="errornote"' in refused
    assert not Activity.objects.filter(state=Activity.State.PUBLISHED).exists()
    chosen["_selected_action"] = [a.pk for a in drafts]
    response = client.post(LIST_URL, once({**chosen, "confirmed": "yes"}), follow=True)
    assert "2 activities published." in response.content.decode()
    assert Activity.objects.filter(state=Activity.State.PUBLISHED).count() == 2


def test_it_cancels_with_a_reason_and_then_locks_the_activity(client, login, chair):
    activity = ActivityFactory()
    seat = RegistrationFactory(activity=activity)
    login(chair)
    page = client.get(url(activity, "cancel/"))
    assert page.status_code == 200 and page.context["live"] == 1
    refused = client.post(url(activity, "cancel/"), once(reason=""))
    assert refused.status_code == 200 and refused.context["form"].errors
    response = client.post(url(activity, "cancel/"), once(reason="天气预报有暴雨"))
    assert response.status_code == 302
    activity.refresh_from_db()
    seat.refresh_from_db()
    assert (activity.state, activity.cancelled_reason) == (Activity.State.CANCELLED, "天气预报有暴雨")
    assert seat.status == Registration.Status.CANCELLED
    # A cancelled activity is a closed record: it can be looked at, no longer changed.
    change = client.get(url(activity, "change/"))
    assert change.status_code == 200 and not change.context["has_change_permission"]
    assert b"tool-cancel" not in change.content
    assert client.post(url(activity, "change/"), activity_form(activity, title="改名")).status_code == 403


# --- the registrations page and its export --------------------------------------------------------------------------

@pytest.fixture
def registrations():
    activity = ActivityFactory(title="亲子游园", capacity=2)
    size = QuestionFactory(activity=activity, label="T恤尺码", sort_order=1)
    diet = QuestionFactory(activity=activity, label="饮食要求", sort_order=2)
    office = DepartmentFactory(name="办公室")
    people = {}
    for key, name, status, minutes in [("a", "张三明", "confirmed", 1), ("b", "李四", "confirmed", 2),
                                       ("w2", "后到", "waitlisted", 9), ("w1", "先到", "waitlisted", 5),
                                       ("c", "退出", "cancelled", 3)]:
        people[key] = RegistrationFactory(
            activity=activity, status=status, member=MemberFactory(name=name, department=office),
            queued_at=NOW - datetime.timedelta(minutes=60 - minutes),
            answers={str(size.pk): "XL", str(diet.pk): "=HYPERLINK(\"http://x\")"} if key == "a" else {})
    # 张三明 attended another activity this year: the page says how many.
    earlier = ActivityFactory(starts_at=activity.starts_at - datetime.timedelta(days=3),
                              ends_at=activity.starts_at - datetime.timedelta(days=3, hours=-2))
    RegistrationFactory(activity=earlier, member=people["a"].member, checked_in_at=earlier.starts_at)
    return activity, people


def test_the_registrations_page_lists_seats_waitlist_in_order_and_cancelled(client, login, chair, registrations,
                                                                               monkeypatch):
    activity, people = registrations
    login(chair)
    page = client.get(url(activity, "registrations/"))
    assert page.status_code == 200
    table = page.context["table"]
    # Seats in the roll's order (department, then pinyin); the waitlist in its queue order.
    assert [row["member"].name for row in table["confirmed"]] == ["李四", "张三明"]
    assert [(row["position"], row["member"].name) for row in table["waitlist"]] == [(1, "先到"), (2, "后到")]
    assert [row["member"].name for row in table["cancelled"]] == ["退出"]
    first = table["confirmed"][1]
    assert first["answers"] == ["XL", "=HYPERLINK(\"http://x\")"]
    assert first["phone"] == people["a"].member.phone  # the chair sees full numbers
    html = page.content.decode()
    assert "T恤尺码" in html and "饮食要求" in html


def test_it_shows_each_persons_attendance_this_year(client, login, chair, registrations):
    activity, people = registrations
    login(chair)
    table = client.get(url(activity, "registrations/")).context["table"]
    attended = {row["member"].name: row["attended"] for row in table["confirmed"]}
    assert attended == {"张三明": 0, "李四": 0}  # the earlier activity has not been held yet (it is in the future)
    earlier = Registration.objects.get(member=people["a"].member, activity__starts_at__lt=activity.starts_at)
    moment = NOW - datetime.timedelta(days=1)
    Activity.objects.filter(pk=earlier.activity_id).update(starts_at=moment, ends_at=moment)
    table = client.get(url(activity, "registrations/")).context["table"]
    assert table["year"] == timezone.localtime(activity.starts_at).year
    if timezone.localtime(moment).year == table["year"]:
        assert {row["member"].name: row["attended"] for row in table["confirmed"]}["张三明"] == 1


def test_the_registrations_page_masks_phones_without_the_permission(client, login, treasurer, registrations):
    activity, people = registrations
    login(treasurer)
    page = client.get(url(activity, "registrations/"))
    assert page.status_code == 200
    phone = people["a"].member.phone
    assert phone not in page.content.decode() and mask_phone(phone) in page.content.decode()


def test_the_registrations_page_costs_the_same_queries_for_5_and_60_people(client, login, chair):
    activity = ActivityFactory(capacity=None)
    QuestionFactory(activity=activity)
    login(chair)
    for _ in range(5):
        RegistrationFactory(activity=activity)
    client.get(url(activity, "registrations/"))
    with CaptureQueriesContext(connection) as few:
        client.get(url(activity, "registrations/"))
    for index in range(55):
        RegistrationFactory(activity=activity, status="waitlisted" if index % 3 else "confirmed",
                            member=MemberFactory(union_group=UnionGroupFactory()))
    with CaptureQueriesContext(connection) as many:
        client.get(url(activity, "registrations/"))
    assert len(many) == len(few)


def _rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_export_has_every_registration_and_the_answers_as_columns(client, login, chair, registrations):
    activity, people = registrations
    login(chair)
    rows = _rows(client.get(url(activity, "registrations/export/")))
    header = rows[0]
    assert header[:3] == ["No.", "Name", "Department"] and "T恤尺码" in header and "饮食要求" in header
    names = [row[1] for row in rows[1:]]
    assert names == ["李四", "张三明", "先到", "后到", "退出"]
    first = dict(zip(header, rows[2]))
    assert first["Mobile number"] == people["a"].member.phone
    assert first["T恤尺码"] == "XL"
    assert first["饮食要求"] == "=HYPERLINK(\"http://x\")"  # stored as text, never as a formula
    assert dict(zip(header, rows[3]))["Waitlist position"] == 1
    # A full export of mobile numbers is an access entry in the audit log.
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == chair and entry.additional_data["access"] == "activities.registrations_export_full"


def test_the_export_masks_phones_like_the_page(client, login, treasurer, registrations):
    activity, people = registrations
    login(treasurer)
    rows = _rows(client.get(url(activity, "registrations/export/")))
    phones = {row[1]: row[4] for row in rows[1:]}
    assert phones["张三明"] == mask_phone(people["a"].member.phone)
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_export_writes_formulas_as_text(client, login, chair, registrations):
    activity, _people = registrations
    login(chair)
    response = client.get(url(activity, "registrations/export/"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=HYPERLINK(\"http://x\")"]
    assert cells and all(cell.data_type == "s" for cell in cells)


# --- the registration history --------------------------------------------------------------------------------------

def test_the_registration_admin_is_read_only_history(client, login, chair, registrations):
    activity, people = registrations
    registration = people["a"]
    RegistrationEvent.objects.create(registration=registration, kind=RegistrationEvent.Kind.REGISTERED,
                                     reason="网上报名", actor=chair)
    login(chair)
    page = client.get(f"/admin/activities/registration/{registration.pk}/change/")
    assert page.status_code == 200
    assert not page.context["has_change_permission"] and not page.context["has_delete_permission"]
    html = page.content.decode()
    assert "网上报名" in html and "T恤尺码: XL" in html
    assert client.get("/admin/activities/registration/add/").status_code == 403
    assert client.post(f"/admin/activities/registration/{registration.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/activities/registration/{registration.pk}/change/", {}).status_code == 403
    assert client.get("/admin/activities/registration/?q=张三").status_code == 200


# --- who may ---------------------------------------------------------------------------------------------------------

def test_the_auditor_may_look_but_every_post_is_refused(client, login, auditor, registrations):
    activity, _people = registrations
    draft = ActivityFactory(state=Activity.State.DRAFT)
    login(auditor)
    for page in (LIST_URL, url(activity, "change/"), url(activity, "registrations/"),
                 f"/admin/activities/registration/{_people['a'].pk}/change/", "/admin/activities/activitytype/"):
        assert client.get(page).status_code == 200, page
    change = client.get(url(activity, "change/"))
    assert not change.context["has_change_permission"]
    assert b"tool-publish" not in client.get(url(draft, "change/")).content
    assert client.get(url(activity, "registrations/export/")).status_code == 200
    for page in (url(activity, "change/"), url(draft, "publish/"), url(activity, "cancel/"),
                 url(activity, "signin-sheet/"), f"{LIST_URL}add/", url(draft, "delete/"),
                 f"/admin/activities/registration/{_people['a'].pk}/change/"):
        assert client.post(page, {"reason": "x", "post": "yes"}).status_code == 403, page
    draft.refresh_from_db()
    activity.refresh_from_db()
    assert draft.state == Activity.State.DRAFT and activity.state == Activity.State.PUBLISHED
    assert client.get(url(draft, "publish/")).status_code == 403


@pytest.mark.parametrize("persona", ["member_user", "group_leader", "outsider"])
def test_people_without_a_console_role_cannot_open_it(client, login, request, persona, registrations):
    activity, _people = registrations
    login(request.getfixturevalue(persona))
    for page in (LIST_URL, url(activity, "registrations/"), url(activity, "signin-sheet/")):
        response = client.get(page)
        assert response.status_code == 302 and "/login/" in response["Location"], page


def test_only_a_draft_may_be_deleted(client, login, chair):
    published = ActivityFactory()
    draft = ActivityFactory(state=Activity.State.DRAFT)
    QuestionFactory(activity=draft)
    login(chair)
    assert client.post(url(published, "delete/"), {"post": "yes"}).status_code == 403
    assert client.post(url(draft, "delete/"), {"post": "yes"}).status_code == 302
    assert not Activity.objects.filter(pk=draft.pk).exists()
    assert not RegistrationQuestion.objects.filter(activity_id=draft.pk).exists()
