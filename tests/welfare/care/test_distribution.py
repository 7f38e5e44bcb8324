"""Holiday distributions in one go: the list with the standard, adjustments and exclusions, all-or-nothing recording
with every refusal listed, members who already received the gift skipped; the sign-for sheet PDF (CJK font embedded,
names and the total to the fen), right away and through a background job."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from core.models import Job
from finance.models import Spending
from members.models import MemberStatus
from tests.factories import MemberFactory, UnionGroupFactory
from tests.once import once
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text
from welfare.care import sheet
from welfare.care.selectors import distribution_candidates
from welfare.care.services import distribution_record, visit_record
from welfare.models import Distribution, GiftForm, Visit

from .factories import YEAR, D, day, occasion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]



@pytest.fixture
def people(policy):
    first, second = UnionGroupFactory(name="办公室小组", sort_order=1), UnionGroupFactory(name="财务小组", sort_order=2)
    return {
        "a": MemberFactory(name="王一", union_group=first), "b": MemberFactory(name="李二", union_group=first),
        "c": MemberFactory(name="张三", union_group=second),
        "retired": MemberFactory(name="赵退", union_group=second, status=MemberStatus.RETIRED),
    }


def test_the_list_has_the_eligible_members_with_the_standard_and_marks_who_already_received(people,
                                                                                            welfare_officer):
    visit_record(member=people["c"], occasion=occasion("mid_autumn"), date=day(9, 1), form=GiftForm.GOODS,
                 amount=D("100"), actor=welfare_officer)
    rule, candidates = distribution_candidates(occasion=occasion("mid_autumn"), year=YEAR)
    names = {m.name for m in people.values()}
    assert [(c.member.name, c.standard, c.already) for c in candidates if c.member.name in names] == [
        ("李二", D("300.00"), False), ("王一", D("300.00"), False), ("张三", D("300.00"), True)]
    # Retirees are on the list where the policy allows.
    rule.retirees_eligible = True
    rule.save()
    assert "赵退" in [c.member.name for c in distribution_candidates(occasion=occasion("mid_autumn"), year=YEAR)[1]]


def test_it_records_every_line_with_its_spending(people, welfare_officer):
    lines = [(people["a"], D("300.00"), GiftForm.GOODS), (people["b"], D("250.50"), GiftForm.VOUCHER)]
    distribution = distribution_record(occasion=occasion("mid_autumn"), year=YEAR, date=day(9, 10), lines=lines,
                                       actor=welfare_officer)
    visits = Visit.objects.filter(distribution=distribution)
    assert sorted(v.amount for v in visits) == [D("250.50"), D("300.00")]
    assert Spending.objects.filter(occasion=f"{YEAR} 中秋").count() == 2


def test_one_refusal_saves_nothing_and_every_refusal_is_listed(people, welfare_officer):
    visit_record(member=people["c"], occasion=occasion("spring_festival"), date=day(2, 1), form=GiftForm.GOODS,
                 amount=D("100"), actor=welfare_officer)
    lines = [(people["a"], D("500.00"), GiftForm.GOODS), (people["b"], D("500.01"), GiftForm.GOODS),
             (people["c"], D("100.00"), GiftForm.CASH), (people["retired"], D("100.00"), GiftForm.GOODS)]
    with pytest.raises(ValidationError) as caught:
        distribution_record(occasion=occasion("spring_festival"), year=YEAR, date=day(2, 1), lines=lines,
                            actor=welfare_officer)
    messages = caught.value.messages
    assert "李二: 春节 cap is 500.00 per year; 李二 has received 0.00 in 2030, and this gift of 500.01 would make " \
           "500.01." in messages
    assert "张三: 张三 has already received the 2030 春节 gift." in messages
    assert any(m.startswith("张三: 春节 may not be given as cash") for m in messages)
    assert any(m.startswith("赵退: 春节 is not given to retired members") for m in messages)
    assert not any(m.startswith("王一") for m in messages)
    assert not Distribution.objects.exists()
    assert Visit.objects.count() == 1 and Spending.objects.count() == 1


def test_the_holiday_total_counts_earlier_holidays_in_a_distribution(people, welfare_officer):
    visit_record(member=people["a"], occasion=occasion("spring_festival"), date=day(2, 1), form=GiftForm.GOODS,
                 amount=D("500"), actor=welfare_officer)
    visit_record(member=people["a"], occasion=occasion("dragon_boat"), date=day(6, 1), form=GiftForm.GOODS,
                 amount=D("700"), actor=welfare_officer)
    with pytest.raises(ValidationError, match="would make 1,500.01"):
        distribution_record(occasion=occasion("mid_autumn"), year=YEAR, date=day(9, 10), actor=welfare_officer,
                            lines=[(people["a"], D("300.01"), GiftForm.GOODS)])
    distribution_record(occasion=occasion("mid_autumn"), year=YEAR, date=day(9, 10), actor=welfare_officer,
                        lines=[(people["a"], D("300.00"), GiftForm.GOODS)])


def _formset_post(rows, date="2030-09-10", step="record"):
    data = once({"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)), "date": date,
                 "step": step})
    for index, (member, include, amount, form) in enumerate(rows):
        data.update({f"form-{index}-member": member.pk, f"form-{index}-amount": amount, f"form-{index}-form": form})
        if include:
            data[f"form-{index}-include"] = "on"
    return data


def test_the_page_lets_the_chair_adjust_exclude_and_record(people, login, chair):
    client = login(chair, use_client=Client())
    url = f"/welfare/distributions/new/?occasion={occasion('mid_autumn').pk}&year={YEAR}"
    page = client.get(url).content.decode()
    assert "王一" in page and "300.00" in page and "2030-09-12" in page  # 中秋 2030 computed
    rows = [(people["a"], True, "280.00", "goods"), (people["b"], False, "300.00", "goods"),
            (people["c"], True, "300.00", "voucher")]
    confirm = client.post(url, _formset_post(rows, step="check")).content.decode()
    assert "2 members will be recorded as receiving the 2030 中秋 holiday gift, 580.00 yuan in all." in confirm
    assert not Distribution.objects.exists()
    response = client.post(url, _formset_post(rows))
    distribution = Distribution.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/welfare/distributions/{distribution.pk}/"
    assert {(v.member.name, v.amount, v.form) for v in distribution.visits.all()} == {
        ("王一", D("280.00"), "goods"), ("张三", D("300.00"), "voucher")}
    # Opened again: those two are marked as already received and skipped.
    page = client.get(url).content.decode()
    already = page[page.index('id="already"'):]
    assert "王一" in already and "张三" in already and "李二" not in already


def test_the_page_lists_every_refusal_and_saves_nothing(people, login, welfare_officer):
    client = login(welfare_officer, use_client=Client())
    url = f"/welfare/distributions/new/?occasion={occasion('spring_festival').pk}&year={YEAR}"
    response = client.post(url, _formset_post([(people["a"], True, "500.01", "goods"),
                                               (people["b"], True, "500.02", "voucher"),
                                               (people["c"], True, "100.00", "goods")], date="2030-02-01"))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="refusals"' in page
    assert "王一: 春节 cap is 500.00 per year" in page and "李二: 春节 cap is 500.00 per year" in page
    assert not Visit.objects.exists()


def _distribution(people, actor, *, amounts=("300.00", "250.55", "199.99")):
    lines = [(people[key], D(amount), GiftForm.GOODS) for key, amount in zip("abc", amounts)]
    return distribution_record(occasion=occasion("mid_autumn"), year=YEAR, date=day(9, 10), lines=lines,
                               actor=actor)


def test_the_sign_for_sheet_has_the_cjk_font_names_groups_and_the_total_to_the_fen(people, welfare_officer):
    distribution = _distribution(people, welfare_officer)
    filename, mimetype, data = sheet.sign_sheet_pdf(distribution)
    assert mimetype == "application/pdf" and "2030中秋" in filename
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    for expected in ("Sign-for sheet", "2030 中秋", "王一", "李二", "张三", "办公室小组", "财务小组", "550.55",
                     "199.99", "750.54", "Total: 3 members", "Signature"):
        assert expected in text, expected
    assert text.index("办公室小组") < text.index("王一") < text.index("财务小组") < text.index("张三")


def test_the_sheet_page_gives_the_pdf_and_long_lists_go_to_a_job(people, login, welfare_officer, settings,
                                                                 django_capture_on_commit_callbacks):
    distribution = _distribution(people, welfare_officer)
    client = login(welfare_officer, use_client=Client())
    response = client.get(f"/welfare/distributions/{distribution.pk}/sheet/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    settings.SIGN_SHEET_SYNC_MAX_ROWS = 2
    detail = client.get(f"/welfare/distributions/{distribution.pk}/").content.decode()
    assert "Produce the sign-for sheet (PDF)" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/welfare/distributions/{distribution.pk}/sheet/")
    job = Job.objects.get(kind=sheet.JOB_KIND)
    assert response["Location"] == f"/welfare/distributions/{distribution.pk}/sheet/{job.pk}/"
    assert job.status == Job.Status.DONE and job.progress_done == job.progress_total
    page = client.get(response["Location"]).content.decode()
    assert "pdf-download" in page
    download = client.get(response["Location"] + "?download=1")
    data = b"".join(download.streaming_content)
    assert_cjk_font_embedded(data)
    assert "750.54" in pdf_text(data)
    # Running the task again does nothing (the job was claimed).
    assert sheet.sign_sheet_job_run(job_id=job.pk) is None


def test_the_treasurer_may_view_distributions_but_not_record(people, login, treasurer, welfare_officer):
    distribution = _distribution(people, welfare_officer)
    client = login(treasurer, use_client=Client())
    assert client.get(f"/welfare/distributions/{distribution.pk}/").status_code == 200
    url = f"/welfare/distributions/new/?occasion={occasion('mid_autumn').pk}&year={YEAR}"
    assert client.post(url, _formset_post([(people["a"], True, "1.00", "goods")])).status_code == 403


def test_a_distribution_date_defaults_to_the_holidays_computed_date(people, login, chair):
    client = login(chair, use_client=Client())
    page = client.get(f"/welfare/distributions/new/?occasion={occasion('spring_festival').pk}&year={YEAR}")
    assert datetime.date(2030, 2, 3).isoformat() in page.content.decode()


def test_a_colleague_sees_an_unfinished_sheet_job_without_a_progress_poll_that_would_refuse_them(
        people, login, welfare_officer, treasurer):
    distribution = _distribution(people, welfare_officer)
    job = Job.objects.create(kind=sheet.JOB_KIND, created_by=welfare_officer,
                             params={"distribution": distribution.pk})
    url = f"/welfare/distributions/{distribution.pk}/sheet/{job.pk}/"
    starter = login(welfare_officer, use_client=Client()).get(url).content.decode()
    assert f'data-status-url="/jobs/{job.pk}/"' in starter
    colleague = login(treasurer, use_client=Client())
    assert colleague.get(f"/jobs/{job.pk}/").status_code == 404  # core's rule: the starter or core.view_job
    page = colleague.get(url)
    assert page.status_code == 200 and "data-status-url" not in page.content.decode()


def test_the_auditor_reads_a_short_sheet_but_starts_no_job(people, login, welfare_officer, auditor, settings):
    distribution = _distribution(people, welfare_officer)
    client = login(auditor, use_client=Client())
    assert client.get(f"/welfare/distributions/{distribution.pk}/sheet/")["Content-Type"] == "application/pdf"
    settings.SIGN_SHEET_SYNC_MAX_ROWS = 2
    assert client.post(f"/welfare/distributions/{distribution.pk}/sheet/").status_code == 403
    assert not Job.objects.exists()
