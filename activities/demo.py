"""Demo activities, interest groups and work plans, built through the activities services.

Called by ``manage.py seed_demo`` after the member roll exists. Idempotent: everything is looked up by
title/name/year first, so a second run changes nothing.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.audit import audit_context
from finance.spending import spending_for, spending_post, spending_record
from members.models import Member

from . import checkin, interest, registration, workplan
from .models import (
    Activity,
    ActivityType,
    InterestGroup,
    RegistrationQuestion,
    WorkPlan,
    WorkPlanItem,
    WorkPlanSection,
)

VIA = "seed_demo"

#: A believable plan (DOMAIN §7): section title, then items as (task, owner, deadline).
DEMO_SECTIONS = [
    ("加强思想政治引领", [
        ("组织会员开展理论学习和主题教育活动", "工会办公室", "全年"),
        ("举办劳模工匠先进事迹报告会", "工会主席", "5月"),
    ]),
    ("丰富职工文体生活", [
        ("组织春季健步走（春游）活动", "文体委员", "4月"),
        ("组织秋季登山（秋游）活动", "文体委员", "10月"),
        ("支持各兴趣小组按计划开展活动", "各兴趣小组组长", "全年"),
        ("举办季度生日会", "工会办公室", "每季度末"),
    ]),
    ("做好关爱慰问", [
        ("元旦、春节慰问在职会员和退休会员", "工会主席、各小组长", "1–2月"),
        ("会员生病住院、婚丧等情况及时慰问", "各小组长", "全年"),
    ]),
    ("开展帮扶救助", [
        ("开展困难职工情况摸排，建立帮扶台账", "工会办公室", "3月"),
        ("开展金秋助学活动", "经费审查委员会", "7–8月"),
        ("做好冬季送温暖工作", "工会主席", "12月—次年1月"),
    ]),
    ("做好女职工工作", [
        ("组织三八妇女节主题活动", "女职工委员会", "3月"),
    ]),
    ("加强工会组织建设", [
        ("做好新入职人员入会和会员调动接转", "组织委员", "全年"),
        ("完成工会小组长调整补选", "组织委员", "6月"),
    ]),
    ("规范经费管理", [
        ("编制年度经费预算并报批", "经费管理委员", "12月"),
        ("年中经费收支情况公开", "经费管理委员", "7月"),
        ("完成年度决算和经审报告", "经费审查委员会", "次年一季度"),
    ]),
    ("完成上级工会交办任务", [
        ("按时完成上级工会布置的各项工作", "工会委员会", "全年"),
    ]),
]


def _at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _activity(title, type_code, *, start, hours, opens, closes, capacity=None, **fields):
    existing = Activity.objects.filter(title=title).first()
    if existing:
        return existing, False
    with audit_context(actor=None, via=VIA):
        activity = Activity.objects.create(
            title=title, activity_type=ActivityType.objects.get(code=type_code), starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours), registration_opens_at=opens,
            registration_closes_at=closes, capacity=capacity, **fields)
    return activity, True


def _register_many(activity, members, *, now, answers=None):
    for member in members:
        try:
            registration.registration_create(activity=activity, member=member, answers=answers or {}, actor=None,
                                             via=VIA, now=now)
        except Exception:  # noqa: BLE001 — e.g. a retiree where retirees are excluded: skip, as the page would
            continue


def build_demo_activities(*, today=None):
    today = today or timezone.localdate()
    rng = random.Random(2026)
    active = list(Member.objects.in_service().order_by("id"))
    if not active:
        return {}
    counts = {"activities": 0}
    with transaction.atomic():
        organiser = active[1]
        # A finished spring outing with attendance.
        spring_day = datetime.date(today.year, 4, 18) if today.month > 4 else datetime.date(today.year - 1, 4, 18)
        spring, created = _activity(
            f"{spring_day.year}年春季健步走", "spring_outing", start=_at(spring_day, 8), hours=6,
            opens=_at(spring_day - datetime.timedelta(days=20)), closes=_at(spring_day - datetime.timedelta(days=5)),
            capacity=60, place="奥林匹克森林公园南门", organiser=organiser, budget=Decimal("6000.00"),
            description="沿园区步道健步走约8公里，中午在园区简餐。")
        if created:
            registration.activity_publish(activity=spring, actor=None, via=VIA)
            _register_many(spring, rng.sample(active, 55), now=_at(spring_day - datetime.timedelta(days=15)))
            for reg in spring.registrations.filter(status="confirmed")[:48]:
                checkin.registration_check_in(registration=reg, actor=organiser.user, via=VIA)
            counts["activities"] += 1
        # Open for registration now: a popular winter walk with a question, nearly full.
        walk_day = today + datetime.timedelta(days=19)
        walk, created = _activity(
            f"{walk_day.year}年冬季长跑健身活动", "sports", start=_at(walk_day, 9), hours=3,
            opens=_at(today - datetime.timedelta(days=3)), closes=_at(walk_day - datetime.timedelta(days=4)),
            cancellation_deadline=_at(walk_day - datetime.timedelta(days=6)), capacity=30, place="机关大院操场",
            organiser=organiser, budget=Decimal("3000.00"), description="3公里环形健身跑，完成者赠送纪念品。")
        if created:
            RegistrationQuestion.objects.create(activity=walk, label="T恤尺码", kind="choice",
                                                choices="S\nM\nL\nXL\nXXL", required=True)
            registration.activity_publish(activity=walk, actor=None, via=VIA)
            question = walk.questions.get()
            for member in rng.sample(active, 32):
                try:
                    registration.registration_create(activity=walk, member=member, actor=None, via=VIA,
                                                     answers={str(question.pk): rng.choice(["M", "L", "XL"])})
                except Exception:  # noqa: BLE001
                    continue
            counts["activities"] += 1
        # Quarterly birthday party for members born this quarter.
        party_day = today + datetime.timedelta(days=26)
        party, created = _activity(
            f"{party_day.year}年第四季度会员生日会", "birthday", start=_at(party_day, 15), hours=2,
            opens=_at(today - datetime.timedelta(days=1)), closes=_at(party_day - datetime.timedelta(days=2)),
            place="机关三楼活动室", organiser=organiser, budget=Decimal("2500.00"), family_takes_seats=False)
        if created:
            registration.activity_publish(activity=party, actor=None, via=VIA)
            counts["activities"] += 1
        # A draft for next March.
        _activity(f"{today.year + 1}年“三八”妇女节主题活动", "womens_day",
                  start=_at(datetime.date(today.year + 1, 3, 6), 14), hours=3,
                  opens=_at(datetime.date(today.year + 1, 2, 20)), closes=_at(datetime.date(today.year + 1, 3, 3)),
                  audience="women", retirees_included=True, place="机关礼堂", budget=Decimal("5000.00"))

        for name, description in [("摄影兴趣小组", "每月一次外拍与作品点评。"), ("羽毛球兴趣小组", "每周三晚在机关体育馆活动。"),
                                  ("书法兴趣小组", "聘请书法老师每两周授课一次。")]:
            group, created = InterestGroup.objects.get_or_create(
                name=name, defaults={"description": description, "leader": rng.choice(active)})
            if created:
                for member in [group.leader, *rng.sample(active, 12)]:
                    try:
                        interest.interest_group_join(group=group, member=member, actor=None)
                    except Exception:  # noqa: BLE001 — already joined
                        continue

        plan = WorkPlan.objects.filter(year=today.year).first()
        if plan is None:
            with audit_context(actor=None, via=VIA):
                plan = WorkPlan.objects.create(
                    year=today.year, title=workplan.default_plan_title(today.year),
                    guiding="以习近平新时代中国特色社会主义思想为指导，认真贯彻落实上级工会工作部署，"
                            "围绕机关中心工作，团结动员广大会员建功立业，切实维护会员合法权益，"
                            "不断增强工会组织的吸引力和凝聚力。")
                for number, (title, items) in enumerate(DEMO_SECTIONS, start=1):
                    section = WorkPlanSection.objects.create(plan=plan, number=number, title=title)
                    for item_number, (text, owner, deadline) in enumerate(items, start=1):
                        item = WorkPlanItem.objects.create(section=section, number=item_number, text=text,
                                                           owner=owner, deadline=deadline,
                                                           status=rng.choice(["done", "done", "in_progress"]))
                        if "春" in text and "游" in text:
                            item.activities.add(spring)
            workplan.workplan_approve(plan=plan, actor=None)
            workplan.workplan_publish(plan=plan, actor=None)
        if not WorkPlan.objects.filter(year=today.year + 1).exists():
            workplan.workplan_copy_to_next_year(plan=plan, actor=None)
    return counts


__all__ = ["build_demo_activities"]


def build_demo_activity_costs(*, today=None) -> int:
    """The spring outing's bus and insurance, recorded as spending of the activity and posted to the books (call
    right after finance.books.demo.build_demo_books). Returns the number of vouchers posted (0 or 1)."""
    today = today or timezone.localdate()
    year, last_month = today.year, today.month - 1
    treasurer = get_user_model().objects.get(username="treasurer")
    activity = Activity.objects.filter(activity_type__code="spring_outing", starts_at__year=year).first()
    if activity is None or last_month < 5 or spending_for(activity) is not None:
        return 0
    spending = spending_record(source=activity, amount=Decimal("3680.00"), account_code="50102",
                               spent_on=datetime.date(year, 4, 18), summary=f"{activity.title}：大巴及保险",
                               actor=treasurer)
    spending_post(spendings=[spending], date=datetime.date(year, 4, 25), actor=treasurer)
    return 1
