"""Demo reports: a published 财务公开 for the first half of the demo books' year and a draft audit report for that
year, written through the services. Call after the books demo (it reads the posted vouchers); re-runnable."""

from django.utils import timezone

from accounts.models import Role
from finance.models import AuditReport, Disclosure

from . import writing


def _person(role_code):
    role = Role.objects.filter(code=role_code).select_related("group").first()
    return role.group.user_set.order_by("pk").first() if role else None


def build_demo_reports(*, year=None):
    year = year or timezone.localdate().year  # the year finance.books.demo fills
    treasurer, chair, auditor = _person(Role.TREASURER), _person(Role.CHAIR), _person(Role.AUDITOR)
    if not Disclosure.objects.filter(year=year, half=1, state=Disclosure.State.PUBLISHED).exists():
        disclosure = writing.disclosure_prepare(year=year, half=1, actor=treasurer, note=(
            "现将上半年工会经费收支情况公开如下，如有疑问请向工会财务委员或经审委员反映。"))
        writing.disclosure_publish(disclosure=disclosure, actor=chair)
    if not AuditReport.objects.filter(year=year, state=AuditReport.State.FINAL).exists():
        writing.audit_report_save(
            year=year, actor=auditor,
            basis="依据《中华人民共和国工会法》《工会会计制度》和《基层工会经费收支管理办法》，经费审查委员会对本会"
                  f"{year}年度经费收支和资产管理情况进行了审查。",
            findings="全年各项收入及时入账，支出手续完备，账证、账账相符。",
            problems="个别活动报销单据附件不全，事后已补齐。",
            recommendations="进一步规范活动经费报销流程，按季度开展内部审查。",
            compliance="本年度经费支出符合年初预算和相关制度规定，未发现超标准、超范围支出。")
