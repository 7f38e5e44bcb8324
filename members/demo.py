"""A believable agency union for demos and benchmarks, built through the same services as the UI.

Deterministic (fixed random seed), so running it twice builds the same people and changes nothing.
"""

import datetime
import random
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from accounts.models import Role, User
from accounts.services import user_set_roles

from . import services
from .idcard import make_id_number
from .models import Department, Member, MembershipEventKind, PayItem, UnionGroup

DEPARTMENTS = ["办公室", "政策法规处", "综合规划处", "财务处", "人事处", "机关党委", "信息中心", "监督检查处",
               "行政审批处", "后勤服务中心"]
GROUPS = [("办公室小组", "办公室"), ("政法规划小组", "政策法规处"), ("财务人事小组", "财务处"), ("机关党委小组", "机关党委"),
          ("信息中心小组", "信息中心"), ("监督审批小组", "监督检查处"), ("后勤第一小组", "后勤服务中心"),
          ("后勤第二小组", "后勤服务中心")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_M = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志峰晨昊"
GIVEN_F = "芳娜敏静丽艳娟霞燕玲桂丹萍红琳颖雪慧倩婷洁莉佳琴云蓉梅秀兰月晶"
REGIONS = ["110101", "110105", "110108", "320102", "330106", "420106", "440104", "510107", "610113", "370102"]
POSITIONS = ["一级主任科员", "二级主任科员", "四级调研员", "科员", "副处长", "处长", "工程师", "会计", "经济师", "办事员"]
ETHNICITIES = ["汉族"] * 18 + ["回族", "满族"]
DEMO_PASSWORD = "Demo-2026-union"
#: TOTP secret given to every demo account whose role needs two-factor login, so a tester can add it to an
#: authenticator app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_ACCOUNTS = [
    ("chair", Role.CHAIR), ("treasurer", Role.TREASURER), ("auditor", Role.AUDITOR), ("welfare", Role.WELFARE),
    ("leader", Role.GROUP_LEADER), ("member", Role.MEMBER),
]


def _person(rng, index):
    sex = "M" if rng.random() < 0.55 else "F"
    given = GIVEN_M if sex == "M" else GIVEN_F
    name = rng.choice(SURNAMES) + rng.choice(given) + (rng.choice(given) if rng.random() < 0.7 else "")
    birth = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 40))
    # Odd sequence digit = male, even = female (GB 11643); index keeps numbers unique.
    seq = (index * 2 + (1 if sex == "M" else 0)) % 1000
    id_number = make_id_number(rng.choice(REGIONS), birth, seq)
    phone = f"1{rng.choice('3589')}{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}"
    return name, id_number, phone, birth


def build_demo_union(*, member_count=200, stdout=None, rng_seed=2026):
    """Create (or complete) the demo union. Returns a dict of counts."""
    created = {"departments": 0, "groups": 0, "members": 0, "accounts": 0}
    with transaction.atomic():
        departments = {}
        for order, name in enumerate(DEPARTMENTS):
            departments[name], was_created = Department.objects.get_or_create(name=name, defaults={"sort_order": order})
            created["departments"] += was_created
        groups = {}
        for order, (name, dept) in enumerate(GROUPS):
            groups[name], was_created = UnionGroup.objects.get_or_create(
                name=name, defaults={"department": departments[dept], "sort_order": order})
            created["groups"] += was_created
        dept_group = {dept: name for name, dept in GROUPS}
        pay_items = {item.name: item for item in PayItem.objects.all()}
        existing = set(Member.objects.values_list("id_number", flat=True))
        today = datetime.date.today()
        for index in range(member_count):
            rng = random.Random(f"{rng_seed}-{index}")  # one stream per person: re-runs see the same people
            name, id_number, phone, birth = _person(rng, index)
            dept_name = DEPARTMENTS[index % len(DEPARTMENTS)]
            group_name = dept_group.get(dept_name) or GROUPS[index % len(GROUPS)][0]
            joined = max(birth + datetime.timedelta(days=365 * 22), datetime.date(1995, 1, 1)) + datetime.timedelta(
                days=rng.randrange(0, 400))
            joined = min(joined, today - datetime.timedelta(days=30))
            wage_a = Decimal(rng.randrange(2000, 6000)) + Decimal(rng.randrange(0, 100)) / 100
            wage_b = Decimal(rng.randrange(1500, 4000)) + Decimal(rng.randrange(0, 100)) / 100
            post = rng.choice(POSITIONS)
            if id_number in existing:
                continue
            member = services.member_create(
                kind=MembershipEventKind.ENROLL, effective_on=joined, actor=None, via="seed_demo",
                name=name, id_number=id_number, phone=phone, department=departments[dept_name],
                union_group=groups[group_name], position=post, ethnicity=rng.choice(ETHNICITIES),
                card_number=f"GH{2000 + index:05d}", joined_on=joined,
                political_status=rng.choice(["cpc", "cpc", "cpc", "masses", "cyl", "democratic_party"]),
                education=rng.choice(["bachelor", "bachelor", "master", "junior_college", "doctorate"]),
            )
            services.dues_base_set(member=member, amounts={pay_items["职务工资"]: wage_a, pay_items["级别工资"]: wage_b,
                                                           pay_items["津贴补贴"]: Decimal("1800.00")},
                                   actor=None, via="seed_demo")
            age = today.year - birth.year
            if age >= 60 or (index % 23 == 0):
                services.membership_change(member=member, kind=MembershipEventKind.RETIRE, actor=None, via="seed_demo",
                                           effective_on=max(joined, today - datetime.timedelta(days=rng.randrange(30, 900))))
            elif index % 37 == 5:
                services.membership_change(member=member, kind=MembershipEventKind.TRANSFER_OUT, actor=None,
                                           via="seed_demo", counterpart="市发展改革委机关工会",
                                           effective_on=today - datetime.timedelta(days=rng.randrange(10, 300)))
            created["members"] += 1
        # Two applicants waiting for approval.
        for index in range(member_count, member_count + 2):
            rng = random.Random(f"{rng_seed}-{index}")
            name, id_number, phone, birth = _person(rng, index)
            if id_number not in existing:
                services.member_create(kind=MembershipEventKind.APPLY, actor=None, via="seed_demo", name=name,
                                       id_number=id_number, phone=phone, department=departments["信息中心"],
                                       position="科员")
                created["members"] += 1
        # Group leaders: the first active member of each group.
        for group in groups.values():
            if group.leader_id is None:
                leader = group.members.filter(status="active").order_by("id").first()
                if leader:
                    group.leader = leader
                    group.save(update_fields=["leader"])
        created["accounts"] = _demo_accounts()
    return created


def _demo_accounts():
    made = 0
    active = Member.objects.filter(status="active").order_by("id")
    leaders = list(active.filter(led_groups__isnull=False).order_by("id"))
    for username, role_code in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            if role_code == Role.GROUP_LEADER and leaders:
                member = leaders[0]
            else:
                member = active.filter(user__isnull=True, led_groups__isnull=True).first()
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD, email=f"{username}@example.org")
            member.user = user
            member.email = user.email
            member.save(update_fields=["user", "email", "updated_at"])
            made += 1
        roles = [Role.objects.get(code=role_code)]
        if role_code != Role.MEMBER:
            roles.append(Role.objects.get(code=Role.MEMBER))
        user_set_roles(user=user, roles=roles, actor=None)
        if any(r.requires_mfa for r in roles) and not Authenticator.objects.filter(user=user, type="totp").exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
    return made
