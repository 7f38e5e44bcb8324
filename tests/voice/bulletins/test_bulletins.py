"""The 工作简报: an issue gathers chosen notices, the activities held in its period, the care given (counts, no
names) and the committee's text into a PDF in the house style; published once to members, archived by year."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from activities.models import Registration
from activities.selectors import activities_held_between
from tests.activities.factories import ActivityFactory
from tests.factories import MemberFactory
from tests.pdfcheck import assert_cjk_font_embedded, pdf_fonts, pdf_text
from voice.bulletins import services
from voice.bulletins.pdf import bulletin_pdf
from voice.models import Bulletin
from welfare.care.selectors import care_counts_between
from welfare.models import BenefitPolicy, Occasion, Visit

pytestmark = [pytest.mark.django_db]
START, END = datetime.date(2026, 9, 1), datetime.date(2026, 10, 31)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _activity(title, day):
    return ActivityFactory(title=title, starts_at=_at(day), registration_opens_at=_at(day - datetime.timedelta(30)))


def _visit(member, code, day, actor):
    occasion = Occasion.objects.get(code=code)
    return Visit.objects.create(member=member, occasion=occasion, year=day.year, date=day, form="goods",
                                amount=Decimal("300.00"), policy=BenefitPolicy.objects.first(),
                                checked_forms="goods", account_code="50105", recorded_by=actor)


@pytest.fixture
def period(chair, make_notice):
    """Two activities in the period (3 and 1 checked in), one after it; three care visits in it to two members
    (one visited twice), one withdrawn and one before the period; two notices, one chosen."""
    held = _activity("中秋游园会", datetime.date(2026, 9, 20))
    walk = _activity("秋季健步走", datetime.date(2026, 10, 12))
    _activity("冬季长跑", datetime.date(2026, 11, 20))
    for activity, came in ((held, 3), (walk, 1)):
        for i in range(came + 1):
            Registration.objects.create(activity=activity, member=MemberFactory(), status="confirmed",
                                        checked_in_at=_at(activity.starts_at.date()) if i < came else None)
    sick, bereaved = MemberFactory(name="王病休"), MemberFactory(name="李丧亲")
    _visit(sick, "hospital", datetime.date(2026, 9, 3), chair)
    _visit(sick, "mid_autumn", datetime.date(2026, 9, 25), chair)
    _visit(bereaved, "member_death", datetime.date(2026, 10, 2), chair)
    withdrawn = _visit(bereaved, "hospital", datetime.date(2026, 10, 5), chair)
    Visit.objects.filter(pk=withdrawn.pk).update(status=Visit.Status.WITHDRAWN, withdrawn_at=timezone.now(),
                                                 withdrawn_reason="记错")
    _visit(MemberFactory(name="赵八月"), "hospital", datetime.date(2026, 8, 30), chair)
    chosen = make_notice(title="关于开展秋季健步走的通知")
    make_notice(title="没选的通知")
    bulletin = Bulletin.objects.create(year=2026, number=5, period_start=START, period_end=END,
                                       committee_text="本期工会围绕中心工作开展活动。\n\n下期将组织冬季长跑。")
    bulletin.notices.add(chosen)
    return bulletin


def _text(bulletin):
    with translation.override("zh-hans"):
        data = bulletin_pdf(bulletin=bulletin)[2]
    return data, " ".join(pdf_text(data).split())


def test_the_pdf_prints_the_selectors_figures_with_no_names_of_those_cared_for(period, chair):
    data, text = _text(period)
    activities = list(activities_held_between(start=START, end=END))
    assert [(a.title, a.attended) for a in activities] == [("中秋游园会", 3), ("秋季健步走", 1)]
    for activity in activities:
        assert f"{activity.title} {activity.starts_at.date().isoformat()} {activity.attended}" in text
    assert "冬季长跑 2026" not in text  # held after the period (the committee's text may name it)
    care = care_counts_between(start=START, end=END)
    assert sorted((r["count"], r["members"]) for r in care) == [(1, 1), (1, 1), (1, 1)]
    for row in care:
        assert f"{row['occasion']} {row['count']} {row['members']}" in text
    assert "合计 3 2" in text  # three visits, two members reached (one visited twice is counted once)
    for name in ("王病休", "李丧亲", "赵八月"):
        assert name not in text
    assert "关于开展秋季健步走的通知" in text and "没选的通知" not in text
    assert "本期工会围绕中心工作开展活动。" in text and "工作简报" in text and "2026年第5期" in text
    assert "预览" in text  # a draft says it is not published
    assert_cjk_font_embedded(data)
    assert all(font["embedded"] for font in pdf_fonts(data))


def test_publishing_freezes_the_figures_and_happens_once(period, chair, treasurer):
    assert services.bulletin_publish(bulletin=period, actor=chair) is True
    period.refresh_from_db()
    published_at = period.published_at
    assert period.state == Bulletin.State.PUBLISHED and period.published_by == chair
    assert services.bulletin_publish(bulletin=period, actor=treasurer) is False
    period.refresh_from_db()
    assert (period.published_at, period.published_by) == (published_at, chair)
    # A visit recorded later in the period does not change what the published issue says.
    _visit(MemberFactory(), "wedding", datetime.date(2026, 10, 20), chair)
    _data, text = _text(period)
    assert "合计 3 2" in text and "预览" not in text
    assert LogEntry.objects.get_for_object(period).filter(actor=chair).exists()
    with pytest.raises(ValidationError) as refused:
        services.bulletin_save(bulletin=period, actor=chair)
    assert refused.value.code == "published"


def test_members_read_published_issues_by_year_and_drafts_are_404(client, login, member_user, period, chair):
    older = Bulletin.objects.create(year=2025, number=6, period_start=datetime.date(2025, 11, 1),
                                    period_end=datetime.date(2025, 12, 31))
    services.bulletin_publish(bulletin=older, actor=chair)
    login(member_user)
    assert client.get(f"/voice/bulletins/{period.pk}/pdf/").status_code == 404
    page = client.get("/voice/bulletins/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2025年" in page and "第 6 期" in page and "第 5 期" not in page
    services.bulletin_publish(bulletin=period, actor=chair)
    page = client.get("/voice/bulletins/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert page.index("2026年") < page.index("2025年") and "第 5 期" in page
    response = client.get(f"/voice/bulletins/{period.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "工作简报" in client.get("/voice/notices/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_the_chair_previews_then_publishes_in_the_admin(client, login, chair, member_user, period):
    login(chair)
    preview = client.get(f"/admin/voice/bulletin/{period.pk}/preview/")
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    url = "/admin/voice/bulletin/"
    page = client.post(url, {"action": "publish", "_selected_action": [period.pk]}).content.decode()
    token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    period.refresh_from_db()
    assert period.state == Bulletin.State.DRAFT  # the confirmation page writes nothing
    answer = {"action": "publish", "_selected_action": [period.pk], "confirmed": "yes", "form_token": token}
    assert client.post(url, answer).status_code == 302
    assert client.post(url, answer).status_code == 302  # the same answer again (a second click)
    period.refresh_from_db()
    assert period.state == Bulletin.State.PUBLISHED
    client.logout()
    login(member_user)
    assert client.get(f"/admin/voice/bulletin/{period.pk}/preview/").status_code in (302, 403)


def test_a_published_issue_is_shown_read_only_in_the_admin(client, login, chair, period):
    services.bulletin_publish(bulletin=period, actor=chair)
    login(chair)
    page = client.get(f"/admin/voice/bulletin/{period.pk}/change/")
    assert page.status_code == 200
    assert 'name="committee_text"' not in page.content.decode()
    answer = client.post(f"/admin/voice/bulletin/{period.pk}/change/", {"committee_text": "changed"})
    assert answer.status_code == 403
    period.refresh_from_db()
    assert period.committee_text != "changed"


def test_an_issue_published_from_an_english_console_is_one_chinese_document(period, chair):
    """The figures are frozen, headings included: publishing while reading the console in English must not freeze
    English headings into the members' issue, and an English reader downloads the same document."""
    with translation.override("en"):
        services.bulletin_publish(bulletin=period, actor=chair)
        text = " ".join(pdf_text(bulletin_pdf(bulletin=period)[2]).split())
    assert "合计 3 2" in text and "Total" not in text and "Care and visits" not in text
    assert "工作简报" in text
