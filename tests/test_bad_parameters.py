"""Bad parameters get 400 or 404, never a server error (issue 11 #10): out-of-range numbers, non-ASCII digits, dates
that do not exist, in URL paths, query filters and posted ids."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

GETS = [
    "/finance/reports/audit/0/", "/finance/reports/audit/99999/", "/finance/reports/audit/２０２６/",
    "/finance/budget/99999/", "/finance/budget/0/",
    "/finance/reports/?date_from=0001-01-01&date_to=0001-01-02", "/finance/reports/?date_from=9999-12-31",
    "/finance/reports/?date_from=2026-02-30", "/finance/vouchers/?year=abc", "/finance/vouchers/?year=99999999",
    "/finance/vouchers/?month=13", "/finance/vouchers/?month=²", "/finance/vouchers/?page=99999",
    "/admin/finance/voucher/?month=abc", "/admin/finance/voucher/?month=99", "/admin/finance/voucher/?year=99999999",
    "/admin/activities/activity/?year=99999999", "/admin/activities/activity/?year=abc",
    "/admin/finance/voucher/?date__gte=0001-01-01", "/admin/members/member/?status=%00",
]


@pytest.fixture
def as_chair(login, chair):
    return login(chair, use_client=Client(raise_request_exception=False))


@pytest.mark.parametrize("url", GETS)
def test_a_bad_parameter_never_gives_a_server_error(as_chair, url):
    status = as_chair.get(url).status_code
    assert status < 500, f"{url} answered {status}"


@pytest.mark.parametrize("value", ["²", "abc", "-1", "99999999999999999999", "1.5", "%00"])
def test_marking_a_notification_read_with_a_bad_id_never_gives_a_server_error(as_chair, value):
    assert as_chair.post("/notifications/", {"id": value}).status_code < 500


def test_the_auditor_cannot_save_an_audit_report_for_a_year_that_is_not_one(login, auditor):
    client = login(auditor, use_client=Client(raise_request_exception=False))
    for year in ("1", "99999", "0"):
        assert client.get(f"/finance/reports/audit/{year}/").status_code in (400, 404)


def test_a_nul_in_a_query_or_a_posted_field_is_a_400(as_chair):
    """PostgreSQL refuses text holding NUL: /admin/members/member/?status=%00 was a 500 there."""
    assert as_chair.get("/admin/members/member/?status=%00").status_code == 400
    assert as_chair.get("/finance/vouchers/?q=a%00b").status_code == 400
    assert as_chair.post("/notifications/", {"id": "1\x00"}).status_code == 400
