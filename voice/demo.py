"""Demo notices and surveys through the voice's services: three notices (one pinned, one for women members, one for
a group), some read receipts, an anonymous 会员评家 with enough responses to show results, an open 需求调查 the
demo member has not answered yet, and the tracker's items (voice.tracker.demo). Re-runnable: nothing is added when the notices exist."""

import datetime
import random

from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from activities.models import Audience
from members.models import Member, UnionGroup

from .bulletins.demo import build_demo_bulletins
from .models import Notice, NoticeRead, Question, Survey
from .notices.services import notice_publish, notice_save
from .surveys.services import survey_from_template, survey_publish, survey_respond
from .tracker.demo import build_demo_tracker

NOTICES = [
    ("关于开展 2026 年度会员评家活动的通知", "<p>各工会小组：</p><p>请全体会员于本月底前在门户完成<strong>会员评家</strong>问卷，"
     "问卷匿名填写，结果将在会员代表大会上通报。</p>", Audience.ALL, True),
    ("三八妇女节女职工健康讲座报名通知", "<p>3 月 8 日下午在三楼会议室举办女职工健康讲座，欢迎报名。</p>", Audience.WOMEN, False),
    ("第一工会小组读书分享会安排", "<p>本周五中午在图书室举行读书分享会，请小组成员准时参加。</p>", Audience.CHOSEN, False),
]


@transaction.atomic
def build_demo_voice():
    actor = User.objects.filter(username="chair").first() or User.objects.filter(is_superuser=True).first()
    with translation.override("zh-hans"):
        items = build_demo_tracker()
    if actor is None or Notice.objects.exists():
        return {"notices": 0, "surveys": 0, "items": items}
    rng = random.Random(2026)
    members = list(Member.objects.in_service().order_by("pk"))
    group = UnionGroup.objects.order_by("pk").first()
    with translation.override("zh-hans"):
        for title, body, audience, pinned in NOTICES:
            notice = notice_save(notice=Notice(title=title, body=body, audience=audience, pinned=pinned),
                                 actor=actor)
            if audience == Audience.CHOSEN and group is not None:
                notice.union_groups.add(group)
            notice_publish(notice=notice, actor=actor)
            NoticeRead.objects.bulk_create([NoticeRead(notice=notice, member=m) for m in members[:: 3]],
                                           ignore_conflicts=True)
        closes = timezone.now() + datetime.timedelta(days=20)
        rating = survey_from_template(kind=Survey.Kind.SATISFACTION, title="2026 年度会员评家", closes_at=closes,
                                      actor=actor)
        rating = survey_publish(survey=rating, actor=actor)
        questions = list(rating.questions.all())
        # The demo member (username "member") is left to answer it on the phone.
        for member in [m for m in members if m.user_id is None][5:25]:
            answers = {q.pk: str(rng.choice([3, 4, 4, 5, 5])) for q in questions if q.kind == Question.Kind.RATING}
            survey_respond(survey=rating, member=member, answers=answers)
        needs = survey_from_template(kind=Survey.Kind.NEEDS, title="2026 年会员需求调查", closes_at=closes,
                                     actor=actor)
        survey_publish(survey=needs, actor=actor)
        bulletins = build_demo_bulletins(actor=actor)
    return {"notices": len(NOTICES), "surveys": 2, "items": items, "bulletins": bulletins}
