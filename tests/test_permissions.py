"""The permission matrix: every persona × every page, and masking of ID and mobile numbers.

Outcomes: 200 = allowed; 302 = allowed and saved (a POST); 403 = refused (the person may know the page exists);
404 = not found (the person may not learn that it exists); login = sent to the login page; "-" = not applicable.

Non-staff people who open the admin are sent to the admin's login page, which refuses them (403): that final answer
is what the table records. The {own} column is the persona's own member record; {mate} is a member of the group
leader's 工会小组; {stranger} is a member in no group. {walk_in} is an activity for the leader's group, organised by
the leader, under way now; {past} the same, finished two days ago (the walk-in lookup is closed: issue 11.11).
"""

import datetime
import re

import pytest
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Role
from activities.models import Audience
from elections.models import Election, ElectionRules
from finance.models import Account, FiscalYear, OverBudgetApproval
from tests.activities.factories import ActivityFactory
from tests.conftest import current_totp_code
from tests.factories import MemberFactory, UnionGroupFactory
from voice.models import Item

MATRIX = """
page                                              chair  treasurer auditor welfare leader member outsider anonymous
/                                                 200    200       200     200     200    200    200      login
/members/me/                                      200    200       200     200     200    200    404      login
/members/{own}/                                   200    200       200     200     200    200    -        -
/members/{mate}/                                  200    200       200     200     200    404    404      login
/members/{stranger}/                              200    200       200     200     404    404    404      login
/members/group/                                   200    200       200     200     200    404    404      login
/admin/                                           200    200       200     200     403    403    403      login
/admin/members/member/                            200    200       200     200     403    403    403      login
/admin/members/member/{mate}/change/              200    200       200     200     403    403    403      login
POST:/admin/members/member/{mate}/change/         302    403       403     403     403    403    403      login
/admin/members/member/{mate}/status/              200    403       403     403     403    403    403      login
/admin/auditlog/logentry/                         200    403       200     403     403    403    403      login
/admin/members/member/roster/import/              200    403       403     403     403    403    403      login
/admin/members/member/roster/template.xlsx        200    403       403     403     403    403    403      login
/admin/members/member/roster/export/              200    200       200     200     403    403    403      login
/activities/{walk_in}/check-in/walk-in/{mate}/    200    404       404     404     200    404    404      login
/activities/{walk_in}/check-in/walk-in/{stranger}/ 404   404       404     404     404    404    404      login
/activities/{past}/check-in/walk-in/{mate}/       404    404       404     404     404    404    404      login
/admin/finance/fiscalyear/open/                   200    200       403     403     403    403    403      login
POST:/admin/finance/fiscalyear/open/              200    200       403     403     403    403    403      login
/voice/tracker/                                   200    200       200     200     200    200    200      login
/voice/tracker/new/                               200    200       200     200     200    200    404      login
/voice/tracker/follow/                            200    200       200     200     200    200    200      200
/voice/tracker/manage/                            200    404       404     200     404    404    404      login
/voice/tracker/proposals/                         200    404       404     404     404    404    404      login
/voice/tracker/{item}/                            200    404       404     404     404    200    404      login
/voice/tracker/{talk}/                            200    404       404     200     404    404    404      login
POST:/voice/tracker/{talk}/step/close/            -      404       404     -       404    404    404      login
POST:/voice/tracker/{item}/step/accept/           -      404       404     404     404    403    404      login
/admin/voice/item/{talk}/change/                  200    403       403     403     403    403    403      login
/elections/{nominating}/nominate/{group}/         404    404       404     404     200    404    404      login
POST:/elections/{nominating}/nominate/{group}/    404    404       404     404     200    404    404      login
/elections/{closed}/nominate/{group}/             404    404       404     404     200    404    404      login
POST:/elections/{closed}/nominate/{group}/        404    404       404     404     403    404    404      login
/admin/elections/election/{nominating}/nominations/ 200  403       403     403     403    403    403      login
/admin/finance/overbudgetapproval/?state=declined 200    200       200     403     403    403    403      login
/admin/finance/overbudgetapproval/{held}/decline/ 200    403       403     403     403    403    403      login
POST:/admin/finance/overbudgetapproval/{held}/decline/ 200 403     403     403     403    403    403      login
/admin/finance/overbudgetapproval/{held}/confirm/ 200    403       403     403     403    403    403      login
"""

PERSONA_FIXTURES = {
    "chair": "chair", "treasurer": "treasurer", "auditor": "auditor", "welfare": "welfare_officer",
    "leader": "group_leader", "member": "member_user", "outsider": "outsider", "anonymous": None,
}

#: Pages that show other people's ID or mobile numbers and birth dates, and who sees them in full
#: (members.view_sensitive_member). A full birth date would rebuild a masked ID number (digits 7–14).
SENSITIVE_PAGES = ["/members/me/", "/members/{mate}/", "/members/group/", "/admin/members/member/",
                   "/admin/members/member/{mate}/change/"]
SEES_FULL_NUMBERS = {"chair", "welfare"}


def _parse(table):
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    assert header == list(PERSONA_FIXTURES), header
    for row in rows:
        assert len(row) == len(header) + 1, row
    return [(row[0], persona, outcome) for row in rows for persona, outcome in zip(header, row[1:])]


CASES = [case for case in _parse(MATRIX) if case[2] != "-"]


def _optional_url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pytest.fixture
def world(db, group_leader, welfare_officer, member_user):
    """The people the pages are about: a member of the leader's group and a member of no group.

    Names, ID numbers and phones are fixed and distinct, so a test can look for them in the HTML.
    """
    mate = MemberFactory(name="同组人", union_group=group_leader.member.union_group, phone="13811112222",
                         birth=datetime.date(1979, 8, 23), expected_retirement_on=datetime.date(2039, 8, 23))
    stranger = MemberFactory(name="局外人", union_group=UnionGroupFactory(), phone="13833334444")
    now = timezone.now()
    for_the_group = {"organiser": group_leader.member, "audience": Audience.CHOSEN,
                     "union_groups": [group_leader.member.union_group]}
    day = datetime.timedelta(days=1)
    walk_in = ActivityFactory(starts_at=now - datetime.timedelta(hours=1), registration_opens_at=now - 9 * day,
                              registration_closes_at=now - 2 * day, **for_the_group)
    past = ActivityFactory(starts_at=now - 2 * day, registration_opens_at=now - 9 * day,
                           registration_closes_at=now - 3 * day, **for_the_group)
    # The tracker: a 诉求 the member persona filed, and a 谈心 the welfare officer held with the group mate.
    item = Item.objects.create(source=Item.Source.BOX, title="诉求", text="食堂", member=member_user.member)
    talk = Item.objects.create(source=Item.Source.TALK, title="谈心", text="谈话记录", member=mate,
                               held_by=welfare_officer)
    # Elections: one with the groups' nominations open, one whose nominations closed yesterday.
    rules = ElectionRules.objects.get(kind="committee")
    today = timezone.localdate()
    nominating, closed = (Election.objects.create(
        title=title, kind="committee", rules=rules, seats=3, held_on=today + 20 * day, roll_date=today,
        state=Election.State.NOMINATING, nominations_close_on=closes) for title, closes in
        (("换届", today + 2 * day), ("增补", today - day)))
    # Spending held for the chair's budget confirmation: only the chair confirms or declines it (issue 11.3).
    held = OverBudgetApproval.objects.create(
        fiscal_year=FiscalYear.objects.get_or_create(year=2027)[0], account=Account.objects.get(code="50105"),
        amount="600.00", no_budget=True, reason="春节慰问", subject="慰问品", held_key="voucher:0",
        requested_at=now)
    return {"mate": mate, "stranger": stranger, "leader": group_leader, "walk_in": walk_in, "past": past,
            "item": item, "talk": talk, "held": held, "nominating": nominating, "closed": closed}


@pytest.fixture
def as_persona(request, client, world):
    def log_in(persona):
        fixture = PERSONA_FIXTURES[persona]
        if fixture is None:
            return None
        user = world["leader"] if fixture == "group_leader" else request.getfixturevalue(fixture)
        response = client.post("/accounts/login/", {"login": user.username, "password": "Secret-pass-123"})
        if response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/"):
            response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(user)})
        assert response.status_code == 302, response.content.decode()[:500]
        return user

    return log_in


def _url(page, user, world):
    own = getattr(getattr(user, "member", None), "pk", None) if user is not None else None
    return page.format(own=own, mate=world["mate"].pk, stranger=world["stranger"].pk, walk_in=world["walk_in"].pk,
                       past=world["past"].pk, item=world["item"].pk, talk=world["talk"].pk,
                       nominating=world["nominating"].pk, closed=world["closed"].pk,
                       group=world["leader"].member.union_group_id,
                       held=world["held"].pk)


def _outcome(client, method, url):
    response = client.post(url, {}) if method == "POST" else client.get(url)
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        response = client.get(response["Location"])  # the admin's login page answers for it
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login", response
    return str(response.status_code), response


def _change_form_data(response):
    """What the browser would submit from the admin change form, unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or field.disabled:
            continue
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[form.add_prefix(name)] = value
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("page, persona, expected", CASES, ids=[f"{p}|{who}" for p, who, _ in CASES])
def test_it_enforces_the_permission_matrix(client, as_persona, world, page, persona, expected):
    method, _, path = page.rpartition(":")
    if path.startswith("/admin/members/member/roster/") and not _optional_url("admin:members_member_roster_import"):
        pytest.skip("roster import pages not installed")
    user = as_persona(persona)
    url = _url(path, user, world)
    if method == "POST" and expected == "302":
        form_page = client.get(url)
        assert form_page.status_code == 200
        data = _change_form_data(form_page)
        data["position"] = "副处长"
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
        world["mate"].refresh_from_db()
        assert world["mate"].position == "副处长"
        return
    outcome, response = _outcome(client, method, url)
    assert outcome == expected, f"{persona} {page}: got {outcome}, table says {expected}"
    if method == "POST":
        world["mate"].refresh_from_db()
        assert world["mate"].position != "副处长"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["treasurer", "auditor", "welfare"])
def test_it_shows_the_change_page_read_only_to_view_only_roles(client, as_persona, world, persona):
    as_persona(persona)
    response = client.get(f"/admin/members/member/{world['mate'].pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert '<input type="text" name="name"' not in html
    assert response.context["has_change_permission"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["treasurer", "auditor", "welfare"])
def test_it_refuses_a_forged_create_accounts_action_from_other_staff(client, as_persona, world, persona):
    as_persona(persona)
    client.post("/admin/members/member/", {"action": "create_accounts", "_selected_action": [world["stranger"].pk]})
    world["stranger"].refresh_from_db()
    assert world["stranger"].user_id is None


SENSITIVE_CASES = [
    (page, persona) for page in SENSITIVE_PAGES for persona in PERSONA_FIXTURES
    if dict(((p, who), out) for p, who, out in CASES).get((page, persona)) == "200"
]


@pytest.mark.django_db
@pytest.mark.parametrize("page, persona", SENSITIVE_CASES, ids=[f"{p}|{who}" for p, who in SENSITIVE_CASES])
def test_it_masks_id_and_mobile_numbers_for_whoever_does_not_need_them(client, as_persona, world, page, persona):
    user = as_persona(persona)
    html = client.get(_url(page, user, world)).content.decode()
    # Whose numbers this page shows: the viewer's own on /members/me/, the group mate's elsewhere.
    subject = user.member if page == "/members/me/" else world["mate"]
    full_id, full_phone = subject.id_number, subject.phone
    masked_id = full_id[:4] + "*" * 10 + full_id[-4:]
    masked_phone = full_phone[:3] + "****" + full_phone[-4:]
    # /members/group/ lists the group of whoever leads one: for anyone else it is an empty list.
    shows_subject = page != "/members/group/" or persona == "leader"
    if not shows_subject:
        assert subject.name not in html
    elif persona in SEES_FULL_NUMBERS:
        if page != "/members/group/":  # the group page lists phones only
            assert full_id in html
        assert full_phone in html
    else:
        assert full_id not in html
        assert full_phone not in html
        if page != "/members/group/":
            assert masked_id in html
        assert masked_phone in html
    # No page may carry anyone's full number to a viewer without the permission, not even in hidden inputs.
    if persona not in SEES_FULL_NUMBERS:
        for member in (world["mate"], world["stranger"], world["leader"].member):
            assert member.id_number not in html
            assert not re.search(rf"(?<!\d){member.phone}(?!\d)", html)
            for day in (member.birth_date, member.expected_retirement_on):
                if day:
                    assert not _spells(html, day), f"{persona} {page}: {day} in full"
    elif shows_subject and page in ("/members/{mate}/", "/admin/members/member/{mate}/change/"):
        assert _spells(html, subject.birth_date)


def _spells(html, day):
    """Whether the page spells the date out in full, in any of the ways a page or a widget would."""
    return any(spelling in html for spelling in (
        day.isoformat(), f"{day.year}年{day.month}月{day.day}日", f"{day:%Y%m%d}", f"{day:%Y/%m/%d}",
        f"{day.year}-{day.month}-{day.day}", f"{day:%b}. {day.day}, {day.year}", f"{day:%B} {day.day}, {day.year}"))


@pytest.mark.django_db
def test_it_covers_every_role_in_the_matrix():
    persona_roles = {"chair": Role.CHAIR, "treasurer": Role.TREASURER, "auditor": Role.AUDITOR,
                     "welfare": Role.WELFARE, "leader": Role.GROUP_LEADER, "member": Role.MEMBER}
    assert set(persona_roles) <= set(PERSONA_FIXTURES)
    # A role that grants nothing (e.g. 工会委员会委员, given by an election) opens no page: it needs no column.
    granting = Role.objects.filter(Q(group__permissions__isnull=False) | Q(staff=True) | Q(requires_mfa=True))
    assert set(granting.values_list("code", flat=True)) <= set(persona_roles.values())
    assert set(persona_roles.values()) <= set(Role.objects.values_list("code", flat=True))
