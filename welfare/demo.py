"""Demo data for the reminders: some members remembered on their lunar birthday, retirement dates coming up.

Through members.services.member_update, like the office would in the admin. Re-runnable: it only sets what is
still empty, on a fixed pick of members.
"""

import datetime

from django.utils import timezone

from members.models import Member, Sex
from members.services import member_update

#: A sample rule for the demo only; real retirement dates come from the personnel office (the 2025 reform
#: phases the ages in month by month), which is why the portal stores the date and never computes it.
DEMO_RETIREMENT_AGE = {Sex.MALE: 60, Sex.FEMALE: 55}


def build_demo_reminders():
    today = timezone.localdate()
    members = list(Member.objects.in_service().filter(birth_date__isnull=False).order_by("pk"))
    changed = 0
    for member in members[::12]:
        if not member.birthday_lunar:
            member_update(member=member, actor=None, via="seed_demo", birthday_lunar=True)
            changed += 1
    for member in members:
        age = DEMO_RETIREMENT_AGE.get(member.sex)
        if age is None or member.expected_retirement_on:
            continue
        try:
            retires_on = member.birth_date.replace(year=member.birth_date.year + age)
        except ValueError:  # born on 29 February
            retires_on = datetime.date(member.birth_date.year + age, 3, 1)
        if today <= retires_on <= today + datetime.timedelta(days=365):
            member_update(member=member, actor=None, via="seed_demo", expected_retirement_on=retires_on)
            changed += 1
    return changed
