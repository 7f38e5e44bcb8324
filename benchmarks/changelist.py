"""The chair's member changelist at 10,000 members beside ``/healthz/`` for the same chair, in process, alternating
sides over rounds (issue 13 §4: the default ordering sorted every row and each of the 650 cells went through the
admin's generic lookups). Before the change the page took about 20 × /healthz/; the goal is 3 × faster."""

import datetime
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

MEMBERS = 10_000
DEPARTMENTS = 12
GROUPS = 40
URLS = {"admin member changelist (chair)": "/admin/members/member/",
        "admin member changelist, page 101 sorted by department": "/admin/members/member/?o=5.1&p=100",
        "admin member changelist, filtered + search": "/admin/members/member/?status=active&q=z"}


def roll(members=MEMBERS):
    """Departments, groups and ``members`` members in bulk (a tenth with a login), for the changelist."""
    from accounts.models import User
    from members.idcard import make_id_number
    from members.models import Department, Member, UnionGroup

    departments = Department.objects.bulk_create(
        [Department(name=f"基准处室{n}", sort_order=DEPARTMENTS - n) for n in range(DEPARTMENTS)])
    groups = UnionGroup.objects.bulk_create(
        [UnionGroup(name=f"基准小组{n}", department=departments[n % DEPARTMENTS], sort_order=n) for n in range(GROUPS)])
    users = User.objects.bulk_create([User(username=f"bench-roll-{i}", password="!") for i in range(members // 10)])
    born = datetime.date(1975, 1, 1)
    surnames, given = "王李张刘陈杨黄赵吴周", "伟强磊军勇杰涛斌超明"
    Member.objects.bulk_create([
        Member(name=surnames[i % 10] + given[i // 10 % 10] + given[i // 100 % 10], name_initials=f"{i % 997:03d}",
               status="active", sex="M" if i % 2 else "F", card_number=f"B{i:06d}", phone=f"139{i:08d}",
               id_number=make_id_number(f"{120101 + i // 500:06d}", born, (i % 500) * 2 + i % 2), birth_date=born,
               joined_on=datetime.date(2005, 1, 1), department=departments[i % DEPARTMENTS],
               union_group=groups[i % GROUPS], user=users[i // 10] if i % 10 == 0 else None)
        for i in range(members)], batch_size=5000)


def _p50(client, url, repeat):
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        durations.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(durations) * 1000


def run(alternate, *, client, rounds=5, repeat=9):
    """{label: (changelist p50 ms, /healthz/ p50 ms, queries)} for each URL, measured turn about with /healthz/."""
    figures = {}
    for label, url in URLS.items():
        client.get(url)  # warm
        medians = alternate(rounds, {"page": lambda url=url: _p50(client, url, repeat),
                                     "healthz": lambda: _p50(client, "/healthz/", repeat)})
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        figures[label] = (medians["page"], medians["healthz"], len(queries))
    return figures
