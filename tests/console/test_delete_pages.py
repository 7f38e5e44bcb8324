"""Django's delete pages name each row "Verbose name: object" with a colon it hard-codes: the console prints the
reader's colon instead ("处室：办公室" in Chinese, "Department: 办公室" in English), on the single delete page and on
the bulk "delete selected" page alike, without unescaping anything."""

import pytest

from members.models import Department

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "expected", "absent"), [
    ("zh-hans", "处室：<a", "处室: <a"), ("en", "Department: <a", "Department：")])
def test_the_delete_pages_use_the_readers_colon(console, language, expected, absent):
    office = Department.objects.create(name="测试<b>办公室</b>")
    client = console("chair", language=language)
    page = client.get(f"/admin/members/department/{office.pk}/delete/").content.decode()
    assert expected in page and absent not in page
    assert "测试&lt;b&gt;办公室&lt;/b&gt;" in page and "测试<b>办公室" not in page  # still escaped
    bulk = client.post("/admin/members/department/", {"action": "delete_selected", "_selected_action": [office.pk]})
    assert expected in bulk.content.decode() and absent not in bulk.content.decode()
    summary = "处室：1" if language == "zh-hans" else "Departments: 1"
    assert summary in page
