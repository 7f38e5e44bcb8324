"""Check-in on the day (issue §3): who may open the page, search by name and pinyin initials, ticking in (once),
undoing (recorded), walk-ins (on the roll only), QR codes, the counts, and the page without JavaScript."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from activities import checkin
from activities.checkin_token import make_checkin_token, read_checkin_token
from activities.models import Activity, Audience, Registration, RegistrationEvent
from members.models import MemberStatus
from tests.factories import DepartmentFactory, MemberFactory

from .factories import ActivityFactory, RegistrationFactory, _english  # noqa: F401

pytestmark = pytest.mark.django_db
Kind = RegistrationEvent.Kind


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def organiser(make_persona):
    """A plain member (no staff role) who organises the outing."""
    return make_persona("organiser", Role.MEMBER, name="罗组织")


@pytest.fixture
def outing(organiser):
    now = timezone.now()
    return ActivityFactory(title="秋季登山", organiser=organiser.member, starts_at=now + datetime.timedelta(hours=1),
                           registration_opens_at=now - datetime.timedelta(days=10),
                           registration_closes_at=now - datetime.timedelta(days=1))


@pytest.fixture
def people(outing):
    """Three registrants and one colleague who did not register."""
    office = DepartmentFactory(name="办公室")
    names = {"zhang": "张三明", "li": "李四", "wang": "王五"}
    regs = {key: RegistrationFactory(activity=outing, member=MemberFactory(name=name, department=office))
            for key, name in names.items()}
    regs["colleague"] = MemberFactory(name="赵六", department=office)
    return regs


def page_url(activity, suffix=""):
    return f"/activities/{activity.pk}/check-in/{suffix}"


# --- who may ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["member_user", "outsider", "treasurer", "auditor", "welfare_officer",
                                     "group_leader"])
def test_it_hides_the_check_in_pages_from_everyone_else(client, login, request, outing, people, persona):
    login(request.getfixturevalue(persona))
    registration = people["zhang"]
    assert client.get(page_url(outing)).status_code == 404
    assert client.get(page_url(outing, "scan/")).status_code == 404
    assert client.get("/activities/check-in/").status_code == 404
    assert client.post(page_url(outing, "tick/"), {"registration": registration.pk}).status_code == 404
    assert client.post(page_url(outing, "undo/"), {"registration": registration.pk}).status_code == 404
    assert client.get(page_url(outing, f"walk-in/{people['colleague'].pk}/")).status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_it_sends_anonymous_visitors_to_the_login_page(client, outing):
    response = client.get(page_url(outing))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_opens_for_the_organiser_and_for_the_chair(client, login, organiser, chair, outing, people):
    login(organiser)
    page = client.get(page_url(outing))
    assert page.status_code == 200
    assert "张三明" in page.content.decode()
    assert list(client.get("/activities/check-in/").context["activities"]) == [outing]
    client.logout()
    login(chair)
    assert client.get(page_url(outing)).status_code == 200


def test_it_gives_an_organiser_no_access_to_other_activities(client, login, organiser, outing):
    other = ActivityFactory()
    login(organiser)
    assert client.get(page_url(other)).status_code == 404


# --- search --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["zsm", "ZS", "张三", "三明"])
def test_it_finds_registrants_by_name_or_pinyin_initials(outing, people, query):
    found = [r.member.name for r in checkin.checkin_registrations(activity=outing, query=query)]
    assert found == ["张三明"]


def test_it_lists_everyone_with_a_seat_without_a_query(outing, people):
    RegistrationFactory(activity=outing, status=Registration.Status.WAITLISTED)
    found = {r.member.name for r in checkin.checkin_registrations(activity=outing, query="")}
    assert found == {"张三明", "李四", "王五"}


def test_it_offers_people_without_a_seat_as_walk_ins(outing, people):
    gone = MemberFactory(name="赵七", status=MemberStatus.TRANSFERRED_OUT)
    others = {m.name: m for m in checkin.checkin_others(activity=outing, query="z")}
    assert "张三明" not in others  # has a seat: in the list above, not here
    assert "赵六" in others and gone.name not in others  # only who may take part (issue 11.11)
    assert checkin.checkin_others(activity=outing, query="") == []


def test_it_searches_as_you_type_with_a_small_fetch(client, login, organiser, outing, people):
    login(organiser)
    response = client.get(page_url(outing), {"q": "ls", "partial": "1"}, HTTP_X_REQUESTED_WITH="fetch")
    data = response.json()
    assert "李四" in data["results"] and "张三明" not in data["results"]
    assert data["counts"] == {"registered": 3, "checked_in": 0, "walk_ins": 0}


def test_it_searches_without_javascript_too(client, login, organiser, outing, people):
    login(organiser)
    page = client.get(page_url(outing), {"q": "ww"})
    assert [r.member.name for r in page.context["registrations"]] == ["王五"]
    assert 'value="ww"' in page.content.decode()


def test_the_page_costs_the_same_queries_for_5_and_100_registrants(client, login, organiser, outing):
    login(organiser)
    for _ in range(5):
        RegistrationFactory(activity=outing)
    client.get(page_url(outing))
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url(outing), {"q": "z"}).status_code == 200
    for _ in range(95):
        RegistrationFactory(activity=outing, checked_in_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        assert client.get(page_url(outing), {"q": "z"}).status_code == 200
    assert len(many) == len(few)


# --- ticking in and undoing ------------------------------------------------------------------------------------------

def test_it_checks_in_once_however_often_it_is_ticked(organiser, outing, people):
    registration = people["zhang"]
    first, newly = checkin.registration_check_in(registration=registration, actor=organiser)
    assert newly and first.checked_in_at is not None and first.checked_in_by == organiser
    again, newly_again = checkin.registration_check_in(registration=Registration.objects.get(pk=registration.pk),
                                                       actor=organiser)
    assert not newly_again and again.checked_in_at == first.checked_in_at
    assert list(registration.events.values_list("kind", flat=True)) == [Kind.CHECKED_IN]


def test_it_ticks_people_in_through_the_page(client, login, organiser, outing, people):
    login(organiser)
    registration = people["li"]
    response = client.post(page_url(outing, "tick/"), {"registration": registration.pk, "q": "ls"})
    assert response.status_code == 302 and response["Location"].endswith("?q=ls")
    response = client.post(page_url(outing, "tick/"), {"registration": registration.pk},
                           HTTP_X_REQUESTED_WITH="fetch")
    data = response.json()
    assert data["ok"] and "already" in data["message"]
    assert data["counts"] == {"registered": 3, "checked_in": 1, "walk_ins": 0}
    assert registration.events.filter(kind=Kind.CHECKED_IN, actor=organiser).count() == 1


def test_it_refuses_to_check_in_without_a_seat(organiser, outing):
    waiting = RegistrationFactory(activity=outing, status=Registration.Status.WAITLISTED)
    with pytest.raises(ValidationError) as error:
        checkin.registration_check_in(registration=waiting, actor=organiser)
    assert error.value.code == "not_confirmed"


@pytest.mark.parametrize("state, code", [(Activity.State.DRAFT, "not_published"),
                                         (Activity.State.CANCELLED, "cancelled")])
def test_it_refuses_to_check_in_at_a_draft_or_cancelled_activity(organiser, outing, people, state, code):
    Activity.objects.filter(pk=outing.pk).update(state=state)
    registration = Registration.objects.select_related("activity").get(pk=people["zhang"].pk)
    with pytest.raises(ValidationError) as error:
        checkin.registration_check_in(registration=registration, actor=organiser)
    assert error.value.code == code


def test_it_refuses_a_registration_of_another_activity(client, login, organiser, outing):
    elsewhere = RegistrationFactory()
    login(organiser)
    assert client.post(page_url(outing, "tick/"), {"registration": elsewhere.pk}).status_code == 404


def test_it_undoes_a_mistaken_check_in_and_records_it(client, login, organiser, outing, people):
    registration = people["wang"]
    checkin.registration_check_in(registration=registration, actor=organiser)
    login(organiser)
    response = client.post(page_url(outing, "undo/"), {"registration": registration.pk, "reason": "点错了人"},
                           HTTP_X_REQUESTED_WITH="fetch")
    assert response.json()["counts"]["checked_in"] == 0
    registration.refresh_from_db()
    assert registration.checked_in_at is None and registration.status == Registration.Status.CONFIRMED
    undo = registration.events.get(kind=Kind.CHECK_IN_UNDONE)
    assert (undo.actor, undo.reason) == (organiser, "点错了人")
    # Undoing again changes nothing and records nothing.
    assert checkin.registration_check_in_undo(registration=registration, actor=organiser) is False
    assert registration.events.filter(kind=Kind.CHECK_IN_UNDONE).count() == 1


# --- walk-ins --------------------------------------------------------------------------------------------------------

def test_it_adds_a_walk_in_from_the_roll(client, login, organiser, outing, people):
    colleague = people["colleague"]
    login(organiser)
    confirm = client.get(page_url(outing, f"walk-in/{colleague.pk}/"))
    assert confirm.status_code == 200 and "赵六" in confirm.content.decode()
    response = client.post(page_url(outing, f"walk-in/{colleague.pk}/"), {"reason": "临时调休"})
    assert response.status_code == 302
    registration = Registration.objects.get(activity=outing, member=colleague)
    assert registration.walk_in and registration.status == Registration.Status.CONFIRMED
    assert registration.checked_in_by == organiser
    walk_in = registration.events.get(kind=Kind.WALK_IN)
    assert walk_in.reason == "临时调休" and walk_in.actor == organiser
    assert checkin.checkin_counts(outing).as_dict() == {"registered": 3, "checked_in": 1, "walk_ins": 1,
                                                         "rate": 0}


def test_it_refuses_a_walk_in_who_is_not_on_the_roll(client, login, organiser, outing):
    gone = MemberFactory(name="钱八", status=MemberStatus.WITHDRAWN)
    login(organiser)
    page = client.get(page_url(outing, f"walk-in/{gone.pk}/"))
    assert page.status_code == 404 and "钱八" not in page.content.decode()
    response = client.post(page_url(outing, f"walk-in/{gone.pk}/"), {"reason": ""})
    assert response.status_code == 404 and "钱八" not in response.content.decode()
    assert not Registration.objects.filter(member=gone).exists()
    with pytest.raises(ValidationError) as error:
        checkin.checkin_walk_in(activity=outing, member=gone, actor=organiser)
    assert error.value.code == "not_on_roll"


# --- the walk-in lookup shows the roll only within the activity's audience, during check-in (issue 11.11) ----------

@pytest.fixture
def office_outing(outing, people):
    """The outing, for the 办公室 only (the people's department)."""
    outing.audience = Audience.CHOSEN
    outing.save()
    outing.departments.set([people["colleague"].department])
    return outing


def _hidden(response, name):
    return response.status_code == 404 and name not in response.content.decode()


def test_the_walk_in_page_is_not_found_for_a_member_outside_the_audience(client, login, organiser, office_outing,
                                                                           people):
    outsider = MemberFactory(name="周十", department=DepartmentFactory(name="财务处"))
    login(organiser)
    assert _hidden(client.get(page_url(office_outing, f"walk-in/{outsider.pk}/")), "周十")
    assert _hidden(client.post(page_url(office_outing, f"walk-in/{outsider.pk}/"), {"reason": ""}), "周十")
    assert not Registration.objects.filter(member=outsider).exists()
    assert client.get(page_url(office_outing, f"walk-in/{people['colleague'].pk}/")).status_code == 200
    with pytest.raises(ValidationError) as error:
        checkin.checkin_walk_in(activity=office_outing, member=outsider, actor=organiser)
    assert error.value.code == "not_in_chosen_groups"


def test_the_search_offers_only_the_audience_as_walk_ins(office_outing, people):
    MemberFactory(name="赵十一", department=DepartmentFactory(name="财务处"))
    MemberFactory(name="赵十二", department=people["colleague"].department, status=MemberStatus.WITHDRAWN)
    assert [m.name for m in checkin.checkin_others(activity=office_outing, query="赵")] == ["赵六"]


@pytest.mark.parametrize("when", ["before", "after"])
def test_the_walk_in_lookup_is_closed_outside_the_check_in_window(client, login, organiser, outing, people, when):
    now = timezone.now()
    if when == "before":
        Activity.objects.filter(pk=outing.pk).update(starts_at=now + datetime.timedelta(days=1),
                                                     ends_at=now + datetime.timedelta(days=1, hours=3))
    else:
        Activity.objects.filter(pk=outing.pk).update(starts_at=now - datetime.timedelta(days=2),
                                                     ends_at=now - datetime.timedelta(days=2) + datetime.timedelta(hours=3))
    outing.refresh_from_db()
    colleague = people["colleague"]
    login(organiser)
    assert _hidden(client.get(page_url(outing, f"walk-in/{colleague.pk}/")), "赵六")
    assert _hidden(client.post(page_url(outing, f"walk-in/{colleague.pk}/"), {"reason": ""}), "赵六")
    assert checkin.checkin_others(activity=outing, query="赵") == []
    search = client.get(page_url(outing), {"q": "赵"}).content.decode()
    assert "赵六" not in search
    refused = client.post(page_url(outing, "scan/"), {"token": make_checkin_token(colleague, outing)},
                          HTTP_X_REQUESTED_WITH="fetch").json()
    assert "赵六" not in refused["message"] and not refused.get("walk_in_url")
    with pytest.raises(ValidationError) as error:
        checkin.checkin_walk_in(activity=outing, member=colleague, actor=organiser)
    assert error.value.code == "walk_ins_closed"
    assert not Registration.objects.filter(member=colleague).exists()


def test_the_window_opens_hours_before_the_start_and_closes_hours_after_the_end(outing):
    opens, closes = outing.check_in_window()
    assert opens < outing.starts_at and closes > outing.ends_at
    assert closes - outing.ends_at <= datetime.timedelta(days=1)
    assert outing.walk_ins_open(now=outing.starts_at) and not outing.walk_ins_open(now=closes)
    assert not outing.walk_ins_open(now=opens - datetime.timedelta(seconds=1)) and outing.walk_ins_open(now=opens)


def test_scanning_the_code_of_someone_outside_the_audience_names_nobody(client, login, organiser, office_outing):
    outsider = MemberFactory(name="吴十三", department=DepartmentFactory(name="财务处"))
    login(organiser)
    refused = client.post(page_url(office_outing, "scan/"), {"token": make_checkin_token(outsider, office_outing)},
                          HTTP_X_REQUESTED_WITH="fetch").json()
    assert "吴十三" not in refused["message"] and not refused.get("walk_in_url")
    page = client.post(page_url(office_outing, "scan/"), {"token": make_checkin_token(outsider, office_outing)},
                       follow=True).content.decode()
    assert "吴十三" not in page and "walk-in/" not in page


def test_a_walk_in_who_already_has_a_seat_is_simply_checked_in(organiser, outing, people):
    registration, created = checkin.checkin_walk_in(activity=outing, member=people["li"].member, actor=organiser)
    assert not created and registration.pk == people["li"].pk and registration.checked_in_at
    assert not registration.walk_in


def test_someone_waiting_who_turns_up_becomes_the_walk_in(organiser, outing):
    waiting = RegistrationFactory(activity=outing, status=Registration.Status.WAITLISTED)
    registration, created = checkin.checkin_walk_in(activity=outing, member=waiting.member, actor=organiser)
    assert created and registration.pk == waiting.pk
    assert (registration.status, registration.walk_in) == (Registration.Status.CONFIRMED, True)
    assert Registration.objects.filter(activity=outing, member=waiting.member).count() == 1


def test_undoing_a_walk_in_cancels_it(organiser, outing, people):
    registration, _created = checkin.checkin_walk_in(activity=outing, member=people["colleague"], actor=organiser)
    assert checkin.registration_check_in_undo(registration=registration, actor=organiser, reason="选错人")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert [e.kind for e in registration.events.order_by("pk")] == [Kind.WALK_IN, Kind.CHECKED_IN,
                                                                    Kind.CHECK_IN_UNDONE, Kind.CANCELLED]
    assert checkin.checkin_counts(outing).walk_ins == 0


def test_walk_ins_move_the_activity_s_seat_counter_like_any_seat(organiser, outing, people):
    waiting = RegistrationFactory(activity=outing, status=Registration.Status.WAITLISTED)
    counted = lambda: Activity.objects.values_list("seats_confirmed", flat=True).get(pk=outing.pk)  # noqa: E731
    assert counted() == 3
    checkin.checkin_walk_in(activity=outing, member=waiting.member, actor=organiser)
    added, _created = checkin.checkin_walk_in(activity=outing, member=people["colleague"], actor=organiser)
    assert counted() == 5
    checkin.registration_check_in_undo(registration=added, actor=organiser, reason="选错人")
    assert counted() == 4 == sum(Registration.objects.filter(activity=outing, status="confirmed")
                                 .values_list("seats", flat=True))


# --- QR codes --------------------------------------------------------------------------------------------------------

def test_the_token_round_trips_and_forgeries_are_refused_with_a_clear_message(organiser, outing, people):
    member = people["zhang"].member
    token = make_checkin_token(member, outing)
    assert tuple(read_checkin_token(token)) == (member.pk, outing.pk)
    assert tuple(read_checkin_token(f"  {token}\n")) == (member.pk, outing.pk)  # as a scanner app pastes it
    forged = signing.Signer(salt="something else").sign(f"{member.pk}.{outing.pk}")
    for bad in (forged, token[:-2] + "xx", "", "hello", signing.dumps([member.pk, outing.pk])):
        with pytest.raises(ValidationError) as error:
            checkin.checkin_by_token(activity=outing, token=bad, actor=organiser)
        assert error.value.code == "invalid"
        assert "not a valid check-in code" in error.value.messages[0]


def test_scanning_a_code_checks_the_member_in(client, login, organiser, outing, people):
    registration = people["wang"]
    login(organiser)
    token = make_checkin_token(registration.member, outing)
    response = client.post(page_url(outing, "scan/"), {"token": token}, HTTP_X_REQUESTED_WITH="fetch")
    data = response.json()
    assert data["ok"] and data["newly"] and data["counts"]["checked_in"] == 1
    registration.refresh_from_db()
    assert registration.checked_in_at and registration.checked_in_by == organiser
    assert registration.events.get(kind=Kind.CHECKED_IN).reason == checkin.site_text("QR code scanned")
    # Without JavaScript: the form posts and comes back to the scan page with a message.
    response = client.post(page_url(outing, "scan/"), {"token": token}, follow=True)
    assert "王五 was already checked in." in response.content.decode()


def test_scanning_refuses_codes_it_cannot_use(client, login, organiser, outing, people):
    login(organiser)
    other = ActivityFactory()
    stranger = MemberFactory(name="孙九")

    def scan(token):
        response = client.post(page_url(outing, "scan/"), {"token": token}, HTTP_X_REQUESTED_WITH="fetch")
        assert response.status_code == 400
        return response.json()

    assert "different activity" in scan(make_checkin_token(people["zhang"].member, other))["message"]
    assert "not a valid check-in code" in scan("garbage")["message"]
    refused = scan(make_checkin_token(stranger, outing))
    assert "孙九 has no seat" in refused["message"]
    assert refused["walk_in_url"] == page_url(outing, f"walk-in/{stranger.pk}/")
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_the_scan_page_has_a_camera_and_a_paste_field(client, login, organiser, outing):
    login(organiser)
    page = client.get(page_url(outing, "scan/")).content.decode()
    assert 'id="checkin-video"' in page and 'name="token"' in page and "checkin.js" in page


@pytest.mark.django_db(transaction=True)
def test_two_organisers_ticking_at_the_same_moment_record_one_check_in(organiser, chair, outing, people):
    """Real concurrency needs PostgreSQL (`make test`); SQLite would serialise the threads on its file lock."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    import threading

    from django.db import connections

    registration_id = people["zhang"].pk
    barrier = threading.Barrier(6)
    results, errors = [], []

    def tick(actor):
        try:
            barrier.wait()
            registration = Registration.objects.select_related("activity", "member").get(pk=registration_id)
            results.append(checkin.registration_check_in(registration=registration, actor=actor)[1])
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick, args=(organiser if n % 2 else chair,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False] * 5 + [True]
    assert RegistrationEvent.objects.filter(registration_id=registration_id, kind=Kind.CHECKED_IN).count() == 1
