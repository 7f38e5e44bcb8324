"""A holiday distribution is confirmed before it is recorded (issue 12 §1): checking the list writes nothing and
shows how many members and how much in all (172 members, 34,400.00 yuan); going back keeps what was entered; the
answer records every line in one transaction, audited with who; a line in error is marked among 172 with a summary
link at the top; only the gift forms the holiday's rule allows are offered."""

import re

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone, translation

from members.models import Member
from tests.factories import MemberFactory, UnionGroupFactory
from tests.once import once
from welfare.care.services import visit_record
from welfare.models import Distribution, OccasionRule, Visit

from .factories import YEAR, D, day, occasion

pytestmark = [pytest.mark.django_db]

COUNT = 172


@pytest.fixture
def sheet_of_172(policy):
    rule = OccasionRule.objects.get(policy=policy, occasion=occasion("mid_autumn"))
    rule.standard_amount = D("200.00")
    rule.save()
    group = UnionGroupFactory(name="机关一组", sort_order=1)
    # Built and saved in one statement: 172 saves one by one (each audited) take half a minute on SQLite.
    Member.objects.bulk_create(MemberFactory.build_batch(COUNT, union_group=group, department=group.department))
    return list(Member.objects.filter(union_group=group).order_by("name_initials", "pk"))


def _url(code="mid_autumn"):
    return f"/welfare/distributions/new/?occasion={occasion(code).pk}&year={YEAR}"


def _post(members, step, *, amounts=None, excluded=(), form="goods", date="2030-09-10"):
    data = once({"form-TOTAL_FORMS": str(len(members)), "form-INITIAL_FORMS": str(len(members)), "date": date,
                 "step": step})
    for index, member in enumerate(members):
        data.update({f"form-{index}-member": member.pk, f"form-{index}-form": form,
                     f"form-{index}-amount": (amounts or {}).get(index, "200.00")})
        if index not in excluded:
            data[f"form-{index}-include"] = "on"
    return data


@pytest.fixture
def officer_client(login, welfare_officer):
    return login(welfare_officer, use_client=Client())


def test_checking_the_list_shows_the_count_and_the_total_and_writes_nothing(sheet_of_172, officer_client):
    response = officer_client.post(_url(), _post(sheet_of_172, "check"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="distribution-confirm"' in page
    assert "将为 172 名会员登记 2030 中秋节日慰问，合计 34,400.00 元。" in page
    # Who receives it: all 172 listed, with the total.
    lines = page[page.index('id="distribution-lines"'):]
    assert lines.count("<tr><td>") == COUNT and sheet_of_172[56].name in lines and "34,400.00" in lines
    assert not Distribution.objects.exists() and not Visit.objects.exists()


def test_the_confirmation_is_in_english_too(sheet_of_172, officer_client):
    with translation.override("en"):
        page = officer_client.post(_url(), _post(sheet_of_172, "check"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "172 members will be recorded as receiving the 2030 中秋 holiday gift, 34,400.00 yuan in all." in page
    assert "Record 172 gifts" in page


def test_the_answer_records_every_line_at_once_audited_with_who(sheet_of_172, officer_client, welfare_officer):
    confirm = officer_client.post(_url(), _post(sheet_of_172, "check")).content.decode()
    # The confirmation page posts back exactly what was checked.
    answer = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', confirm))
    assert answer["form-56-amount"] == "200.00" and answer["form-TOTAL_FORMS"] == str(COUNT)
    response = officer_client.post(_url(), {**answer, "step": "record"})
    distribution = Distribution.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/welfare/distributions/{distribution.pk}/"
    assert distribution.visits.count() == COUNT and distribution.recorded_by == welfare_officer
    assert sum(v.amount for v in distribution.visits.all()) == D("34400.00")
    entries = LogEntry.objects.get_for_objects(distribution.visits.all())
    assert entries.count() == COUNT and set(entries.values_list("actor", flat=True)) == {welfare_officer.pk}


def test_going_back_keeps_what_was_entered_and_writes_nothing(sheet_of_172, officer_client):
    page = officer_client.post(_url(), _post(sheet_of_172, "edit", amounts={3: "150.50"}, excluded={4})
                               ).content.decode()
    assert 'id="distribution-form"' in page and 'id="distribution-confirm"' not in page
    assert 'name="form-3-amount" value="150.50"' in page
    assert re.search(r'name="form-4-include"(?![^>]*checked)[^>]*>', page)
    assert re.search(r'name="form-5-include"[^>]*checked', page)
    assert not Visit.objects.exists()


def test_a_line_in_error_is_marked_among_172_with_a_link_at_the_top(sheet_of_172, officer_client):
    # 中秋's yearly holiday total is 1,500.00: the 57th line asks for more.
    response = officer_client.post(_url(), _post(sheet_of_172, "check", amounts={56: "1500.01"}),
                                   HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="distribution-confirm"' not in page
    marked = re.findall(r'<tr class="line row-error" id="line-(\d+)">', page)
    assert marked == ["57"]
    name = sheet_of_172[56].name
    summary = page[page.index('id="refusals"'):page.index('id="distribution-form"')]
    assert f'<a href="#line-57">第 57 行：{name}: ' in summary and "1,500.01" in summary
    row = page[page.index('id="line-57"'):]
    row = row[:row.index("</tr>")]
    assert 'class="errorlist row-problems"' in row and 'value="1500.01"' in row  # kept as entered
    assert not Visit.objects.exists()


def test_a_refusal_on_the_answer_marks_the_line_and_records_nothing(sheet_of_172, officer_client, welfare_officer):
    answer = _post(sheet_of_172, "record")
    # Between the check and the answer, the 10th member received 1,400.00 at 端午: 200.00 more passes the yearly
    # holiday total of 1,500.00.
    visit_record(member=sheet_of_172[9], occasion=occasion("dragon_boat"), date=day(6, 1), form="goods",
                 amount=D("1400.00"), actor=welfare_officer)
    page = officer_client.post(_url(), answer, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert not Distribution.objects.exists() and Visit.objects.count() == 1
    assert re.findall(r'<tr class="line row-error" id="line-(\d+)">', page) == ["10"]
    assert f'<a href="#line-10">第 10 行：{sheet_of_172[9].name}: ' in page


def test_only_the_forms_the_rule_allows_are_offered(sheet_of_172, officer_client):
    page = officer_client.get(_url("spring_festival")).content.decode()
    select = page[page.index('name="form-0-form"'):]
    select = select[:select.index("</select>")]
    assert 'value="goods"' in select and 'value="voucher"' in select and 'value="cash"' not in select
    # A forged cash line is refused on its row.
    page = officer_client.post(_url("spring_festival"), _post(sheet_of_172[:3], "check", form="cash",
                                                              date="2030-02-01")).content.decode()
    assert re.findall(r'<tr class="line row-error" id="line-(\d+)">', page) == ["1", "2", "3"]
    assert not Visit.objects.exists()


def test_the_choice_page_offers_this_year(officer_client):
    page = officer_client.get("/welfare/distributions/new/").content.decode()
    assert f'name="year" value="{timezone.localdate().year}"' in page
