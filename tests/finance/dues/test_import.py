"""The payroll office's deduction list: reading, the preview of differences, posting as one voucher, twice-import."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import Sum

from core.models import Job
from finance.dues import services
from finance.dues.demo import deduction_list_xlsx
from finance.dues.payroll import read_payroll_file
from finance.dues.selectors import members_owing
from finance.models import DuesImport, DuesRecord, DuesSource, Voucher, VoucherLine, VoucherState
from members import services as member_services
from members.models import MembershipEventKind, MemberStatus
from tests.factories import MemberFactory, valid_id_number

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

YEAR, MONTH = 2026, 9
RECEIVED = datetime.date(2026, 10, 12)


def row(member, amount=None, **extra):
    values = {"姓名": member.name, "身份证号": member.id_number, "代扣金额": amount if amount is not None else
              {Decimal("5678.90"): Decimal("28.35"), Decimal("4000.00"): Decimal("20.00")}[member.dues_base]}
    values.update(extra)
    return values


@pytest.fixture
def roll(db):
    """Three paying members (28.35, 28.35, 20.00 by the formula)."""
    return [MemberFactory(dues_base=Decimal("5678.90")), MemberFactory(dues_base=Decimal("5678.90")),
            MemberFactory(dues_base=Decimal("4000.00"))]


def preview(rows, actor, *, year=YEAR, month=MONTH, headers=None):
    data = deduction_list_xlsx(rows, **({"headers": headers} if headers else {}))
    return services.dues_import_start(data=data, filename="list.xlsx", year=year, month=month, received_on=RECEIVED,
                                      actor=actor)


def issues(job, kind):
    return [issue for issue in job.result["issues"] if issue["kind"] == kind]


def test_a_clean_list_previews_without_differences_and_writes_nothing(roll, treasurer):
    job = preview([row(m) for m in roll], treasurer)
    assert job.status == Job.Status.DONE
    assert job.result["has_errors"] is False
    assert job.result["issues"] == [] and job.result["missing"] == []
    assert job.result["total_paid"] == "76.70"
    assert not DuesRecord.objects.exists() and not Voucher.objects.exists()


def test_posting_makes_exactly_one_balanced_voucher_with_the_total_paid_over(roll, treasurer):
    job = preview([row(roll[0]), row(roll[1], Decimal("30.00")), row(roll[2])], treasurer)
    apply_job, started = services.dues_import_confirm(preview_job=job, actor=treasurer)
    assert started and apply_job.result["posted"] is True
    voucher = Voucher.objects.get()
    assert voucher.state == VoucherState.POSTED and voucher.number == 1 and voucher.date == RECEIVED
    lines = {line.account.code: (line.debit, line.credit) for line in voucher.lines.select_related("account")}
    assert lines == {"102": (Decimal("78.35"), Decimal("0")), "401": (Decimal("0"), Decimal("78.35"))}
    totals = VoucherLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"] == Decimal("78.35")
    records = {r.member_id: r for r in DuesRecord.objects.all()}
    assert records[roll[1].pk].expected == Decimal("28.35") and records[roll[1].pk].paid == Decimal("30.00")
    assert all(r.voucher == voucher and r.source == DuesSource.PAYROLL for r in records.values())
    posted = DuesImport.objects.get()
    assert (posted.year, posted.month, posted.total_paid, posted.voucher) == (YEAR, MONTH, Decimal("78.35"), voucher)
    assert posted.posted_by == treasurer
    entry = LogEntry.objects.get_for_object(posted).get()
    assert entry.actor == treasurer and entry.additional_data == {"via": "task:dues_import"}


def test_the_file_is_not_kept_after_posting(roll, treasurer):
    job = preview([row(m) for m in roll], treasurer)
    stored = job.input_file.name
    storage = job.input_file.storage
    assert storage.exists(stored)
    apply_job, _ = services.dues_import_confirm(preview_job=job, actor=treasurer)
    job.refresh_from_db()
    assert not storage.exists(stored)
    assert job.input_file.name == "" and apply_job.input_file.name == ""


def test_a_wrong_amount_is_shown_with_its_row_and_the_formula(roll, treasurer):
    job = preview([row(roll[0], Decimal("28.36")), row(roll[1]), row(roll[2])], treasurer)
    [issue] = issues(job, "wrong_amount")
    assert issue["row"] == 2 and issue["name"] == roll[0].name
    assert "28.36" in issue["message"] and "28.35" in issue["message"] and "5678.90" in issue["message"]
    assert job.result["has_errors"] is False  # shown, and posted as paid: the money has arrived


def test_an_unknown_person_stops_the_posting(roll, treasurer):
    stranger = {"姓名": "查无此人", "身份证号": valid_id_number(), "代扣金额": Decimal("10.00")}
    job = preview([row(roll[0]), row(roll[1]), row(roll[2]), stranger], treasurer)
    [issue] = issues(job, "unknown")
    assert issue["row"] == 5 and issue["name"] == "查无此人" and "is on the roll" in issue["message"]
    assert job.result["has_errors"] is True
    assert not job.input_file  # unusable: deleted at once
    with pytest.raises(ValidationError, match="errors"):
        services.dues_import_confirm(preview_job=job, actor=treasurer)
    assert not Voucher.objects.exists()


def test_a_missing_person_is_listed_and_stays_unpaid(roll, treasurer):
    job = preview([row(roll[0]), row(roll[1])], treasurer)
    assert [m["name"] for m in job.result["missing"]] == [roll[2].name]
    assert job.result["missing"][0]["expected"] == "20.00"
    services.dues_import_confirm(preview_job=job, actor=treasurer)
    record = DuesRecord.objects.get(member=roll[2])
    assert (record.expected, record.paid, record.voucher) == (Decimal("20.00"), Decimal("0.00"), None)


def test_a_person_listed_twice_stops_the_posting(roll, treasurer):
    job = preview([row(roll[0]), row(roll[1]), row(roll[0]), row(roll[2])], treasurer)
    [issue] = issues(job, "duplicate")
    assert issue["row"] == 4 and "row 2" in issue["message"]
    assert job.result["has_errors"] is True


def test_a_retiree_in_the_list_is_shown_and_recorded_as_owing_nothing(roll, treasurer):
    retiree = MemberFactory(dues_base=Decimal("5678.90"))
    member_services.membership_change(member=retiree, kind=MembershipEventKind.RETIRE, actor=treasurer,
                                      effective_on=datetime.date(2026, 3, 1))
    job = preview([row(m) for m in roll] + [row(retiree)], treasurer)
    [issue] = issues(job, "not_paying")
    assert issue["row"] == 5 and "retired" in issue["message"]
    services.dues_import_confirm(preview_job=job, actor=treasurer)
    record = DuesRecord.objects.get(member=retiree)
    assert (record.expected, record.paid) == (Decimal("0"), Decimal("28.35"))


def test_unreadable_rows_are_named_with_their_row_numbers(roll, treasurer):
    rows = [row(roll[0], "abc"), {"姓名": "张三", "身份证号": "110101198503121235", "代扣金额": "5"},
            {"姓名": "李四", "代扣金额": "5"}, row(roll[1], "-3"), row(roll[2], "20.005")]
    job = preview(rows, treasurer)
    found = {issue["row"]: issue["message"] for issue in issues(job, "unreadable")}
    assert set(found) == {2, 3, 4, 5, 6}
    assert "not a number" in found[2]
    assert "check" in found[3].lower() or "校验" in found[3] or "ID" in found[3]
    assert "Neither an ID number nor" in found[4]
    assert "negative" in found[5]
    assert "two decimals" in found[6]


def test_the_card_number_matches_too_and_the_header_may_sit_under_a_title(roll, treasurer):
    headers = ["姓名", "卡号", "应缴会费"]
    rows = [{"姓名": m.name, "卡号": m.card_number, "应缴会费": row(m)["代扣金额"]} for m in roll]
    job = preview(rows, treasurer, headers=headers)
    assert job.result["has_errors"] is False and job.result["missing"] == []


def test_a_csv_list_in_gbk_is_read():
    data = "姓名,身份证号,代扣金额\n张三,110101198503121234,28.35\n".encode("gb18030")
    [parsed] = read_payroll_file(data, "list.csv")
    assert (parsed.row, parsed.name, parsed.amount) == (2, "张三", Decimal("28.35"))


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"\xd0\xcf\x11\xe0rest", "old.xls", "old-style"),
    (b"hello", "list.pdf", "Excel workbook"),
    ("姓名,备注\n张三,x\n".encode(), "list.csv", "No header row"),
    ("姓名,身份证号,代扣金额\n".encode(), "list.csv", "no rows"),
])
def test_an_unusable_file_is_refused_with_one_message(data, name, message, treasurer):
    with pytest.raises(ValidationError, match=message):
        services.dues_import_start(data=data, filename=name, year=YEAR, month=MONTH, received_on=RECEIVED,
                                   actor=treasurer)
    assert not Job.objects.exists()


def test_the_same_month_is_posted_once(roll, treasurer):
    job = preview([row(m) for m in roll], treasurer)
    services.dues_import_confirm(preview_job=job, actor=treasurer)
    again, started = services.dues_import_confirm(preview_job=job, actor=treasurer)  # double click
    assert started is False
    with pytest.raises(ValidationError, match="already posted"):
        preview([row(m) for m in roll], treasurer)
    assert Voucher.objects.count() == 1 and DuesImport.objects.count() == 1


def test_a_second_preview_of_a_month_posted_meanwhile_cannot_be_confirmed(roll, treasurer):
    first = preview([row(m) for m in roll], treasurer)
    second = preview([row(m) for m in roll], treasurer)
    services.dues_import_confirm(preview_job=first, actor=treasurer)
    with pytest.raises(ValidationError, match="already posted"):
        services.dues_import_confirm(preview_job=second, actor=treasurer)
    assert Voucher.objects.count() == 1


def test_posting_is_all_or_nothing_when_the_roll_changed_since_the_preview(roll, treasurer):
    job = preview([row(m) for m in roll], treasurer)
    roll[2].id_number = valid_id_number(datetime.date(1990, 1, 1))
    roll[2].card_number = "X999"
    roll[2].save()
    apply_job, _ = services.dues_import_confirm(preview_job=job, actor=treasurer)
    assert apply_job.result["posted"] is False and "checked again" in apply_job.message
    assert not Voucher.objects.exists() and not DuesRecord.objects.exists() and not DuesImport.objects.exists()


def test_dues_start_with_the_month_of_joining_and_stop_after_the_month_of_leaving(treasurer):
    joined = member_services.member_create(kind=MembershipEventKind.ENROLL, effective_on=datetime.date(2026, 9, 15),
                                           actor=treasurer, name="新会员", id_number=valid_id_number())
    joined.dues_base = Decimal("5678.90")
    joined.save()
    left = member_services.member_create(kind=MembershipEventKind.ENROLL, effective_on=datetime.date(2020, 1, 1),
                                         actor=treasurer, name="调出者", id_number=valid_id_number())
    left.dues_base = Decimal("4000.00")
    left.save()
    member_services.membership_change(member=left, kind=MembershipEventKind.TRANSFER_OUT, actor=treasurer,
                                      effective_on=datetime.date(2026, 8, 20), counterpart="某单位工会")
    left.refresh_from_db()
    assert left.status == MemberStatus.TRANSFERRED_OUT
    assert joined.pk in members_owing(2026, 9) and joined.pk not in members_owing(2026, 8)
    assert left.pk in members_owing(2026, 8) and left.pk not in members_owing(2026, 9)
    assert set(members_owing(2026, 9, member_ids=[joined.pk])) == {joined.pk}
    assert members_owing(2026, 9, member_ids=[left.pk]) == {}


def test_a_future_month_is_refused(roll, treasurer):
    with pytest.raises(ValidationError, match="not begun"):
        preview([row(m) for m in roll], treasurer, year=2099, month=1)
