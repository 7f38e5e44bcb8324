"""The audit log's change page reads as Chinese (issue 10 #8): fields by their own names, an empty side as "—",
reverse relations by the related model's name, an m2m operation in words."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from core.audit_display import changes_html, field_label
from finance.models import Spending
from members.models import Department

pytestmark = pytest.mark.django_db


def _entry(model, changes):
    return LogEntry(content_type=ContentType.objects.get_for_model(model), object_pk="1", object_repr="x",
                    action=LogEntry.Action.CREATE, changes=changes)


def test_a_created_department_shows_dashes_and_related_models_by_name():
    entry = _entry(Department, {"name": ["None", "办公室"], "union_groups": ["None", "members.UnionGroup.None"],
                                "members": ["None", "members.Member.None"]})
    with translation.override("zh-hans"):
        html = changes_html(entry)
    assert "None" not in html and "union" not in html.lower() and "members." not in html
    assert "办公室" in html and "—" in html and "工会小组" in html and "字段" in html


def test_an_m2m_change_names_its_operation():
    entry = _entry(Department, {"union_groups": {"type": "m2m", "operation": "add", "objects": ["第一小组"]}})
    with translation.override("zh-hans"):
        html = changes_html(entry)
    assert "add" not in html and "添加" in html and "第一小组" in html


def test_a_generic_relation_is_named_as_its_model_says():
    with translation.override("zh-hans"):
        assert field_label(Spending, "source") == "来源"
        assert field_label(None, "gone") == "gone"
