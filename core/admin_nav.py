"""The console's navigation by task (会员, 活动, 关爱慰问 …): which group each admin model is listed under.

Data, not code: one mapping ``"app_label.model_name" → group code``. A new app adds its models here (at merge);
a model that is not listed falls under 设置 (settings), so it is never lost from the sidebar. The order of the
groups is the order of ``GROUPS``; inside a group, models follow the order of ``MODEL_GROUPS``.
Which models a person sees is still Django's own rule (the model's view/change permissions).
"""

from django.utils.translation import pgettext_lazy

GROUPS = [
    ("members", pgettext_lazy("console group", "Members")),
    ("activities", pgettext_lazy("console group", "Activities")),
    ("care", pgettext_lazy("console group", "Care visits")),
    ("hardship", pgettext_lazy("console group", "Hardship aid")),
    ("funds", pgettext_lazy("console group", "Funds")),
    ("audit", pgettext_lazy("console group", "Funds audit")),
    ("democracy", pgettext_lazy("console group", "Members' voice and elections")),
    ("notices", pgettext_lazy("console group", "Notices and reminders")),
    ("settings", pgettext_lazy("console group", "Settings")),
]

#: Where a model not listed below goes.
DEFAULT_GROUP = "settings"

MODEL_GROUPS = {
    # 会员
    "members.member": "members",
    "members.membershipevent": "members",
    "members.department": "members",
    "members.uniongroup": "members",
    "members.payitem": "members",
    "accounts.user": "members",
    "accounts.accountinvitation": "members",
    # 活动
    "activities.activity": "activities",
    "activities.registration": "activities",
    "activities.interestgroup": "activities",
    "activities.interestgroupplan": "activities",
    "activities.workplan": "activities",
    "activities.workplansection": "activities",
    "activities.workplanitem": "activities",
    "activities.activitytype": "activities",
    # 关爱慰问
    "welfare.visit": "care",
    "welfare.carereport": "care",
    "welfare.distribution": "care",
    "welfare.occasion": "care",
    "welfare.benefitpolicy": "care",
    # 困难帮扶
    "welfare.hardshipcase": "hardship",
    "welfare.aidpayment": "hardship",
    "welfare.medicalaidplan": "hardship",
    "welfare.medicalaidenrolment": "hardship",
    "welfare.hardshippolicy": "hardship",
    "welfare.povertyline": "hardship",
    "welfare.hardshipcause": "hardship",
    "welfare.aidkind": "hardship",
    "welfare.educationaidrate": "hardship",
    "welfare.warmthrate": "hardship",
    # 经费
    "finance.voucher": "funds",
    "finance.spending": "funds",
    "finance.budget": "funds",
    "finance.overbudgetapproval": "funds",
    "finance.duesimport": "funds",
    "finance.duesrecord": "funds",
    "finance.duesarrearsflag": "funds",
    "finance.duesrule": "funds",
    "finance.account": "funds",
    "finance.fiscalyear": "funds",
    "finance.period": "funds",
    "finance.periodreopening": "funds",
    "finance.reportdocument": "funds",
    # 经审
    "finance.auditreport": "audit",
    "finance.disclosure": "audit",
    "auditlog.logentry": "audit",
    # 民主管理
    "voice.notice": "democracy",
    "voice.bulletin": "democracy",
    "voice.survey": "democracy",
    "voice.item": "democracy",
    "voice.congress": "democracy",
    "voice.trackercategory": "democracy",
    "elections.election": "democracy",
    "elections.electionrules": "democracy",
    # 通知与提醒
    "core.reminderdelivery": "notices",
    "core.reminderdispatch": "notices",
    "core.reminderrun": "notices",
    "core.remindersettings": "notices",
    "core.workchatwebhook": "notices",
    # 设置
    "accounts.role": "settings",
    "auth.group": "settings",
    "core.job": "settings",
    "django_celery_beat.periodictask": "settings",
    "django_celery_beat.crontabschedule": "settings",
    "django_celery_beat.intervalschedule": "settings",
    "django_celery_beat.clockedschedule": "settings",
    "django_celery_beat.solarschedule": "settings",
    "sites.site": "settings",
    "account.emailaddress": "settings",
    "mfa.authenticator": "settings",
}


def group_of(model_label):
    return MODEL_GROUPS.get(model_label, DEFAULT_GROUP)


def grouped(app_list):
    """Django's app list (apps → models, already filtered by permission) regrouped by task; empty groups dropped."""
    order = {label: i for i, label in enumerate(MODEL_GROUPS)}
    groups = {code: [] for code, _name in GROUPS}
    for app in app_list:
        for model in app["models"]:
            label = f"{app['app_label']}.{model['object_name'].lower()}"
            groups[group_of(label)].append((order.get(label, len(order)), str(model["name"]), model))
    return [
        {"name": name, "app_label": f"group-{code}", "app_url": f"#group-{code}", "has_module_perms": True,
         "models": [model for _o, _n, model in sorted(rows, key=lambda row: row[:2])]}
        for code, name in GROUPS if (rows := groups[code])
    ]
