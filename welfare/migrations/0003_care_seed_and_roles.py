"""Seed the occasions (with holiday date rules and the 五必访 list), one clearly labelled sample benefit policy for
the current and the next year, and give the roles their welfare permissions. All of it is data the chair edits."""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

from core.roles import ensure_permissions, grant

# code, name, kind, calendar, month, day, must_visit (五必访), sort order
OCCASIONS = [
    ("birthday", "生日", "birthday", "", None, None, False, 10),
    ("new_year", "元旦", "holiday", "gregorian", 1, 1, False, 20),
    ("spring_festival", "春节", "holiday", "lunar", 1, 1, False, 30),
    ("qingming", "清明", "holiday", "solar_term", None, 6, False, 40),
    ("labour_day", "劳动节", "holiday", "gregorian", 5, 1, False, 50),
    ("dragon_boat", "端午", "holiday", "lunar", 5, 5, False, 60),
    ("mid_autumn", "中秋", "holiday", "lunar", 8, 15, False, 70),
    ("national_day", "国庆", "holiday", "gregorian", 10, 1, False, 80),
    ("wedding", "结婚", "event", "", None, None, True, 90),
    ("childbirth", "生育", "event", "", None, None, True, 100),
    ("hospital", "生病住院", "event", "", None, None, True, 110),
    ("member_death", "会员去世", "event", "", None, None, True, 120),
    ("family_death", "直系亲属去世", "event", "", None, None, True, 130),
    ("retirement", "退休", "event", "", None, None, True, 140),
]

SAMPLE_REGION = "安徽省（示例）"
SAMPLE_NAME = "示例：安徽省 2018 标准（仅供参考，请按本省文件修改）"
HOLIDAY_TOTAL = Decimal("1500.00")
# code: cap per event, cap per year, standard, goods, voucher, cash, retirees eligible
NO_CASH = (True, True, False)
CASH_OK = (True, True, True)
RULES = {
    "birthday": (Decimal("300.00"), Decimal("300.00"), Decimal("300.00"), *NO_CASH, False),
    "new_year": (None, None, Decimal("200.00"), *NO_CASH, False),
    "spring_festival": (None, None, Decimal("500.00"), *NO_CASH, False),
    "qingming": (None, None, Decimal("100.00"), *NO_CASH, False),
    "labour_day": (None, None, Decimal("200.00"), *NO_CASH, False),
    "dragon_boat": (None, None, Decimal("200.00"), *NO_CASH, False),
    "mid_autumn": (None, None, Decimal("300.00"), *NO_CASH, False),
    "national_day": (None, None, Decimal("200.00"), *NO_CASH, False),
    "wedding": (Decimal("600.00"), None, None, *NO_CASH, False),
    "childbirth": (Decimal("600.00"), None, None, *NO_CASH, False),
    "hospital": (Decimal("1000.00"), None, None, *CASH_OK, True),
    "member_death": (Decimal("2000.00"), None, None, *CASH_OK, True),
    "family_death": (Decimal("1000.00"), None, None, *CASH_OK, True),
    "retirement": (Decimal("1000.00"), Decimal("1000.00"), None, *NO_CASH, False),
}
ACCOUNT_CODE = "50105"  # 会员活动: holiday/birthday/婚丧/retirement gifts (DOMAIN §4)

MODELS = ["occasion", "benefitpolicy", "occasionrule"]
RECORDS = ["visit", "carereport", "distribution"]
VIEW_ALL = [f"welfare.view_{model}" for model in MODELS + RECORDS]
CHAIR = [f"welfare.{verb}_{model}" for model in MODELS for verb in ("add", "change", "delete", "view")] + [
    "welfare.view_visit", "welfare.view_carereport", "welfare.view_distribution",
    "welfare.record_visit", "welfare.withdraw_visit", "welfare.report_care",
]
WELFARE = VIEW_ALL + ["welfare.record_visit", "welfare.withdraw_visit", "welfare.report_care"]
READ_ONLY = ["welfare.view_visit", "welfare.view_distribution", "welfare.view_benefitpolicy",
             "welfare.view_occasionrule", "welfare.view_occasion"]


def seed(apps, schema_editor):
    Occasion = apps.get_model("welfare", "Occasion")
    BenefitPolicy = apps.get_model("welfare", "BenefitPolicy")
    OccasionRule = apps.get_model("welfare", "OccasionRule")
    Account = apps.get_model("finance", "Account")
    occasions = {}
    for code, name, kind, calendar, month, day, must_visit, order in OCCASIONS:
        occasions[code], _ = Occasion.objects.get_or_create(code=code, defaults={
            "name": name, "kind": kind, "calendar": calendar, "month": month, "day": day,
            "must_visit": must_visit, "sort_order": order, "after_death": code == "member_death"})
    account = Account.objects.get(code=ACCOUNT_CODE)
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        policy, created = BenefitPolicy.objects.get_or_create(year=year, region=SAMPLE_REGION, defaults={
            "name": SAMPLE_NAME, "holiday_yearly_cap": HOLIDAY_TOTAL, "in_use": True,
            "notes": "示例数据：节日慰问全年合计不超过 1500 元；生日、节日不得发放现金；住院、去世可发慰问金。"
                     "请按本省、本单位的文件修改各项标准。"})
        if not created:
            continue
        for code, (per_event, per_year, standard, goods, voucher, cash, retirees) in RULES.items():
            OccasionRule.objects.create(
                policy=policy, occasion=occasions[code], cap_per_event=per_event, cap_per_year=per_year,
                standard_amount=standard, allow_goods=goods, allow_voucher=voucher, allow_cash=cash,
                retirees_eligible=retirees, account=account)


def roles(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, "chair", CHAIR)
    grant(apps, "welfare", WELFARE)
    for role in ("treasurer", "auditor"):
        grant(apps, role, READ_ONLY)
    grant(apps, "group_leader", ["welfare.report_care"])


class Migration(migrations.Migration):
    dependencies = [("welfare", "0002_care_policy_visits"), ("accounts", "0002_roles"),
                    ("finance", "0002_chart_of_accounts")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop),
                  migrations.RunPython(roles, migrations.RunPython.noop)]
