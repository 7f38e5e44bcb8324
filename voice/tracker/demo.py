"""Demo items through the tracker's services: categories, a congress collecting proposals, a 诉求 answered and
waiting for the demo member's rating, one closed to the member's satisfaction, an anonymous one, a 接待日 visit, a
talk held by the chair, and proposals (one registered and answered, one merged into it, one turned into an
opinion). Re-runnable: nothing is added when items exist."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from members.models import Department, Member

from ..models import Congress, Item, TrackerCategory
from . import services as s

CATEGORIES = ["工作条件", "福利待遇", "文体活动", "食堂与后勤", "其他"]


def _answered(item, *, actor, owner, answer, department=None, today):
    s.item_accept(item=item, actor=actor)
    s.item_assign(item=item, owner_user=owner, owner_department=department, deadline=today + datetime.timedelta(days=7),
                  actor=actor)
    return s.item_answer(item=item, answer=answer, actor=owner)


@transaction.atomic
def build_demo_tracker():
    chair = User.objects.filter(username="chair").first()
    member = Member.objects.filter(user__username="member").first()
    if chair is None or member is None or Item.objects.exists():
        return 0
    today = timezone.localdate()
    categories = {name: TrackerCategory.objects.get_or_create(name=name, defaults={"sort_order": i})[0]
                  for i, name in enumerate(CATEGORIES)}
    department = Department.objects.order_by("pk").first()
    others = list(Member.objects.in_service().filter(user__isnull=True).order_by("pk")[:4])
    welcome, _ = s.item_submit(member=member, source=Item.Source.BOX, title="食堂早餐开放时间能否提前",
                               text="早上 7:30 才开门，赶早班的同事来不及吃早餐，建议提前到 7:00。",
                               category=categories["食堂与后勤"], actor=member.user)
    _answered(welcome, actor=chair, owner=chair, department=department, today=today,
              answer="已与机关服务中心商定，自下周一起食堂早餐 7:00 开放。")
    gym, _ = s.item_submit(member=member, source=Item.Source.CHAIR, title="职工之家健身房周末开放",
                           text="希望周末也能使用职工之家的健身器材。", category=categories["文体活动"],
                           actor=member.user)
    gym = _answered(gym, actor=chair, owner=chair, today=today, answer="自本月起周六上午开放。")
    s.item_rate(item=gym, rating=Item.Rating.SATISFIED, actor=member.user)
    s.item_submit(member=member, source=Item.Source.BOX, title="加班过多", text="部分处室长期加班，希望工会关注。",
                  category=categories["工作条件"], anonymous=True, actor=member.user)
    if others:
        s.item_record(source=Item.Source.RECEPTION, title="子女入托咨询", text="询问单位协议幼儿园的名额。",
                      member=others[0], category=categories["福利待遇"], actor=chair)
        s.item_record(source=Item.Source.TALK, title="调入后的适应情况", text="通勤时间较长，家中老人需要照顾。",
                      member=others[-1], actor=chair)
    congress, _ = Congress.objects.get_or_create(
        name=f"第三届会员代表大会第{today.year - 2024}次会议",
        defaults={"held_on": today + datetime.timedelta(days=20), "proposals_open_on": today - datetime.timedelta(days=20),
                  "proposals_close_on": today + datetime.timedelta(days=10)})
    proposals = [s.item_submit(member=m, source=Item.Source.PROPOSAL, title=title, text=text, congress=congress,
                               actor=m.user or chair)[0]
                 for m, (title, text) in zip([member, *others[:2]], [
                     ("关于推行弹性上班时间的提案", "建议试行 8:00–9:00 弹性到岗。"),
                     ("关于错峰上下班的建议", "与弹性上班时间提案内容相近。"),
                     ("关于增设母婴室的提案", "建议在二楼增设母婴室。")], strict=False)]
    first = s.proposal_review(item=proposals[0], outcome=Item.Review.REGISTERED, actor=chair)
    s.item_assign(item=first, owner_user=chair, owner_department=department,
                  deadline=today + datetime.timedelta(days=60), actor=chair)
    s.item_answer(item=first, answer="经党组研究，下季度起在三个处室试行。", actor=chair)
    if len(proposals) > 2:
        s.proposal_review(item=proposals[1], outcome=Item.Review.MERGED, merged_into=first, actor=chair)
        s.proposal_review(item=proposals[2], outcome=Item.Review.OPINION, actor=chair)
    return Item.objects.count()
