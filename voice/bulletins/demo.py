"""Demo 工作简报 through the bulletins' services: the last two months' issue, published with the demo notices, and
this period's issue as a draft for the chair to preview. Re-runnable: nothing is added when an issue exists."""

import datetime

from django.utils import timezone

from ..models import Bulletin, Notice
from .services import bulletin_publish, bulletin_save

TEXT = ("本期工会围绕机关中心工作，组织开展了文体活动和节日慰问，倾听会员意见建议。\n\n"
        "下期将做好年度会员评家和会员需求调查，欢迎会员通过门户“意见箱”反映诉求。")


def _two_months_back(day):
    """The first day of the two-month period before the one ``day`` falls in (Jan–Feb, Mar–Apr, …)."""
    start_month = day.month - (day.month - 1) % 2
    start = datetime.date(day.year, start_month, 1)
    previous_end = start - datetime.timedelta(days=1)
    return datetime.date(previous_end.year, previous_end.month - 1, 1), previous_end, start


def build_demo_bulletins(*, actor):
    if actor is None or Bulletin.objects.exists():
        return 0
    today = timezone.localdate()
    last_start, last_end, this_start = _two_months_back(today)
    last = bulletin_save(bulletin=Bulletin(year=last_start.year, number=(last_start.month + 1) // 2,
                                           period_start=last_start, period_end=last_end, committee_text=TEXT),
                         actor=actor)
    last.notices.set(Notice.objects.filter(state=Notice.State.PUBLISHED).order_by("pk")[:2])
    bulletin_publish(bulletin=last, actor=actor)
    bulletin_save(bulletin=Bulletin(year=this_start.year, number=(this_start.month + 1) // 2,
                                    period_start=this_start, period_end=today, committee_text=TEXT), actor=actor)
    return 2
