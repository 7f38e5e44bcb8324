"""Seed the hardship data tables with clearly labelled examples, and give the chair and welfare officers the
hardship permissions (nobody else: cases are confidential)."""

from decimal import Decimal

from django.db import migrations

from core.roles import ensure_permissions, grant

CAUSES = ["本人或家属患大病", "残疾", "子女就学负担重", "意外事故", "自然灾害", "家庭成员下岗失业", "单亲家庭", "其他"]
AID_KINDS = [("living", "生活救助", "50301", 10), ("medical", "医疗救助", "50301", 20),
             ("education", "金秋助学", "50301", 30), ("warmth", "送温暖", "50302", 40)]
EDUCATION_RATES = [("university", Decimal("5000.00")), ("senior_high", Decimal("3000.00"))]
WARMTH_RATES = [("deep", Decimal("1000.00")), ("relative", Decimal("600.00")), ("accident", Decimal("800.00"))]
MEDICAL_PLANS = [("住院医疗互助", Decimal("30.00")), ("重大疾病互助", Decimal("60.00")),
                 ("女职工特殊疾病互助", Decimal("15.00"))]

CASE_MODELS = ["hardshipcase", "hardshipcasestep", "caseobjection", "caseattachment", "aidpayment",
               "medicalaidenrolment"]
DATA_MODELS = ["povertyline", "hardshippolicy", "hardshipcause", "aidkind", "educationaidrate", "warmthrate",
               "medicalaidplan"]
HANDLER = (["welfare.handle_hardship_case"] + [f"welfare.view_{model}" for model in CASE_MODELS + DATA_MODELS]
           + ["welfare.add_medicalaidplan", "welfare.change_medicalaidplan", "welfare.delete_medicalaidenrolment"])
CHAIR = HANDLER + [f"welfare.{verb}_{model}" for model in DATA_MODELS for verb in ("add", "change", "delete")]


def seed(apps, schema_editor):
    ensure_permissions(apps)
    PovertyLine = apps.get_model("welfare", "PovertyLine")
    HardshipPolicy = apps.get_model("welfare", "HardshipPolicy")
    HardshipCause = apps.get_model("welfare", "HardshipCause")
    AidKind = apps.get_model("welfare", "AidKind")
    EducationAidRate = apps.get_model("welfare", "EducationAidRate")
    WarmthRate = apps.get_model("welfare", "WarmthRate")
    MedicalAidPlan = apps.get_model("welfare", "MedicalAidPlan")
    PovertyLine.objects.get_or_create(region="示例地区", year=2026, defaults={
        "monthly_amount": Decimal("1000.00"), "is_example": True,
        "note": "示例数据，请改为本地民政部门公布的城市低保标准"})
    HardshipPolicy.objects.get_or_create(year=2026, defaults={"is_example": True})
    for order, name in enumerate(CAUSES):
        HardshipCause.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    for code, name, account, order in AID_KINDS:
        AidKind.objects.get_or_create(code=code, defaults={"name": name, "account_code": account, "sort_order": order})
    for stage, amount in EDUCATION_RATES:
        EducationAidRate.objects.get_or_create(stage=stage, defaults={"amount": amount, "is_example": True})
    for level, amount in WARMTH_RATES:
        WarmthRate.objects.get_or_create(level=level, defaults={"amount": amount, "is_example": True})
    for name, contribution in MEDICAL_PLANS:
        MedicalAidPlan.objects.get_or_create(year=2026, name=name, defaults={"contribution": contribution,
                                                                             "is_example": True})
    grant(apps, "chair", CHAIR)
    grant(apps, "welfare", HANDLER)


class Migration(migrations.Migration):
    dependencies = [("welfare", "0002_hardship_models"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
