"""The year-end summary reports 关爱慰问, 帮扶救助 and 经费 with counts and money (issue 10, finding 12; DOMAIN §7).

welfare and finance register their sections with core.year_sections; activities prints them without importing
either. A hardship case appears as counts and money only, never by name."""

from decimal import Decimal

import pytest
from django.utils import translation

from activities import workplan
from core.year_sections import year_sections
from tests.activities.test_workplan_pdf import plan_with_demo_sections
from tests.factories import MemberFactory, UserFactory
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text
from tests.welfare.care.factories import make_policy, occasion
from tests.welfare.hardship.helpers import TODAY, approved_case, days_ago, kind
from welfare.care.services import visit_record
from welfare.hardship import aid
from welfare.models import BenefitPolicy, GiftForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def welfare_year(welfare_officer):
    year = TODAY().year
    if not BenefitPolicy.objects.filter(year=year).exists():
        make_policy(year=year)
    actor = UserFactory(username="w")
    for amount in ("300.00", "250.50"):
        visit_record(member=MemberFactory(), occasion=occasion("mid_autumn"), date=days_ago(3), form=GiftForm.GOODS,
                     amount=Decimal(amount), actor=actor)
    case = approved_case(welfare_officer, member=MemberFactory(name="欧阳困难"))
    aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal("1500.00"), paid_on=days_ago(2),
                           actor=welfare_officer)
    return year


def test_the_sections_come_from_welfare_and_finance(welfare_year):
    with translation.override("zh-hans"):
        sections = {str(s.title): s for s in year_sections(welfare_year)}
    assert {"关爱慰问", "帮扶救助", "经费管理"} <= set(sections)
    care = sections["关爱慰问"]
    assert care.total[1:] == [2, "550.50"]
    hardship = sections["帮扶救助"]
    assert hardship.total[1:] == [1, "1,500.00"]
    assert "1" in hardship.note


def test_the_summary_prints_care_aid_and_funds_without_names(welfare_year):
    plan = plan_with_demo_sections(welfare_year, sections=1, items_per_section=1)
    with translation.override("zh-hans"):
        data = workplan.year_summary_pdf(plan)[2]
    assert_cjk_font_embedded(data)
    text = " ".join(pdf_text(data).split())
    for title in ("关爱慰问", "帮扶救助", "经费管理"):
        assert title in text
    assert "550.50" in text and "1,500.00" in text
    assert "欧阳困难" not in text
