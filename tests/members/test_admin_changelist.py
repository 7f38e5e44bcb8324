"""The chair's member changelist at speed (issue 13 §4): rows rendered in one pass by core.admin_rows give the
HTML Django's own rows give, the page's queries do not grow with the rows, and it sorts by an indexed ordering."""

import re

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.admin_rows import fast_rows
from members.admin import MemberAdmin
from members.models import Member
from tests.factories import DepartmentFactory, MemberFactory, UnionGroupFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/members/member/"


def _roll(count, *, start=0):
    for i in range(start, start + count):
        department = DepartmentFactory(name=f"处室{i}")
        MemberFactory(department=department, union_group=UnionGroupFactory(name=f"小组{i}", department=department),
                      user=UserFactory() if i % 2 else None, card_number=f"K{i:04d}" if i % 3 else "",
                      phone=f"1390000{i:04d}" if i % 4 else "")


def _changelist(user, query=""):
    from django.contrib import admin

    request = RequestFactory().get(URL + query)
    request.user = user
    model_admin = MemberAdmin(Member, admin.site)
    changelist = model_admin.get_changelist_instance(request)
    changelist.formset = None
    return changelist


@pytest.mark.parametrize("persona", ["chair", "auditor"])
@pytest.mark.parametrize("query", ["", "?o=5.-1", "?status=active&q=1"])
def test_fast_rows_are_the_rows_django_renders(request, persona, query):
    _roll(12)
    user = request.getfixturevalue(persona)
    with translation.override("zh-hans"):
        changelist = _changelist(user, query)
        assert changelist.result_list
        django_rows = ["".join(items_for_result(changelist, obj, None)) for obj in changelist.result_list]
        ours = ["".join(row) for row in fast_rows(changelist)]
    assert ours == django_rows
    assert ('class="action-select"' in ours[0]) == (persona == "chair")  # the auditor has no bulk actions
    assert '<th class="field-name"><a href="/admin/members/member/' in ours[0]
    shown_phone = Member.objects.get(pk=changelist.result_list[0].pk).phone
    if shown_phone:
        assert (shown_phone in ours[0]) == (persona == "chair")  # masked for the auditor (docs/security.md)


def test_the_changelist_queries_do_not_grow_with_the_rows(client, login, chair):
    login(chair)
    _roll(10)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _roll(20, start=10)
    with CaptureQueriesContext(connection) as more:
        response = client.get(URL)
    assert response.status_code == 200 and response.content.decode().count('class="action-select"') == Member.objects.count() >= 30
    assert len(more) == len(few) <= 12
    counts = [q["sql"] for q in more.captured_queries if q["sql"].startswith("SELECT COUNT")]
    assert len(counts) == 1  # no second COUNT of the whole roll (show_full_result_count=False)


def test_the_changelist_sorts_by_the_indexed_initials_without_joining_to_sort(client, login, chair):
    login(chair)
    _roll(3)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    listing = next(q["sql"] for q in queries.captured_queries
                   if q["sql"].startswith('SELECT "members_member"."id"') and "ORDER BY" in q["sql"])
    assert re.search(r'ORDER BY "members_member"\."name_initials" ASC, "members_member"\."id" ASC', listing)
    index = next(i for i in Member._meta.indexes if i.name == "member_initials_id_idx")
    assert index.fields == ["name_initials", "id"]
