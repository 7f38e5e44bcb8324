"""Seed the chart of accounts from DOMAIN.md §4 (工会会计制度, 财会〔2021〕7号).

Codes the domain notes could verify (101/102/135/141 kept from 2010, 401–408, 501 and 50101–50106) are seeded as
they are. The 2021 rule renumbered the spending accounts after 501 and replaced 结余 with 工会资金结转/结余; those
codes, and every sub-account below them, are seeded as editable data flagged `unverified` so the admin says so.
"""

from django.db import migrations

# (code, name, kind, parent code, unverified)
CHART = [
    ("101", "库存现金", "asset", None, False),
    ("102", "银行存款", "asset", None, False),
    ("135", "其他应收款", "asset", None, True),
    ("141", "库存物品", "asset", None, True),
    ("201", "应付职工薪酬", "liability", None, True),
    ("203", "其他应付款", "liability", None, True),
    ("301", "工会资金结转", "net_assets", None, True),
    ("302", "工会资金结余", "net_assets", None, True),
    ("401", "会费收入", "income", None, False),
    ("402", "拨缴经费收入", "income", None, False),
    ("403", "上级补助收入", "income", None, False),
    ("40301", "回拨补助", "income", "403", True),
    ("40302", "专项补助", "income", "403", True),
    ("40303", "帮扶补助", "income", "403", True),
    ("40304", "送温暖补助", "income", "403", True),
    ("404", "政府补助收入", "income", None, False),
    ("405", "行政补助收入", "income", None, False),
    ("406", "事业收入", "income", None, False),
    ("407", "投资收益", "income", None, False),
    ("408", "其他收入", "income", None, False),
    ("501", "职工活动支出", "expense", None, False),
    ("50101", "职工教育", "expense", "501", False),
    ("50102", "文体活动", "expense", "501", False),
    ("50103", "宣传活动", "expense", "501", False),
    ("50104", "劳模职工疗休养", "expense", "501", False),
    ("50105", "会员活动", "expense", "501", False),
    ("50106", "其他活动", "expense", "501", False),
    ("502", "职工服务支出", "expense", None, True),
    ("503", "维权支出", "expense", None, True),
    ("50301", "困难职工帮扶", "expense", "503", True),
    ("50302", "送温暖", "expense", "503", True),
    ("50303", "其他维权支出", "expense", "503", True),
    ("504", "业务支出", "expense", None, True),
    ("50401", "培训", "expense", "504", True),
    ("50402", "会议", "expense", "504", True),
    ("505", "资本性支出", "expense", None, True),
    ("508", "其他支出", "expense", None, True),
]


def seed(apps, schema_editor):
    Account = apps.get_model("finance", "Account")
    created = {}
    for code, name, kind, parent, unverified in CHART:
        created[code], _ = Account.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": created.get(parent), "unverified": unverified})


def unseed(apps, schema_editor):
    apps.get_model("finance", "Account").objects.filter(
        code__in=[row[0] for row in CHART], lines__isnull=True).order_by("-code").delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
