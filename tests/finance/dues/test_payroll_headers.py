"""The deduction list as payroll offices really send it: their own headers (工会会费, 身份证号码 …), a title row, a
合计 line, amounts as numbers — and the template the import page offers."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from finance.dues.payroll import (
    HEADERS,
    SAID_AMOUNT,
    SAID_WHO,
    TEMPLATE_HEADERS,
    payroll_rows,
    payroll_template_xlsx,
    read_payroll_file,
)
from tests.factories import valid_id_number

from .helpers import office_workbook

pytestmark = pytest.mark.usefixtures("english")


PEOPLE = [("张三", valid_id_number(), Decimal("28.35")), ("李四", valid_id_number(), Decimal("20.00"))]


def test_a_real_looking_list_with_a_union_dues_column_is_read():
    rows = read_payroll_file(office_workbook(PEOPLE), "九月代扣.xlsx")
    assert [(row.row, row.name, row.id_number, row.amount, row.problems) for row in rows] == [
        (4, "张三", PEOPLE[0][1], Decimal("28.35"), []),
        (5, "李四", PEOPLE[1][1], Decimal("20.00"), []),
    ]  # the 合计 line is not a person


@pytest.mark.parametrize("header", [
    "工会会费", "工 会 会 费", "工会会费（元）", "工会会费(元)", "会费", "代扣会费", "应扣会费", "实扣会费", "工会费",
    "代扣工会会费", "代扣会费：", "会费金额*", "工会会费【元】", "代扣金额",
])
def test_the_amount_headers_payroll_offices_use_are_accepted(header):
    [row, _second] = read_payroll_file(office_workbook(PEOPLE, amount_header=header), "l.xlsx")
    assert row.amount == Decimal("28.35")


@pytest.mark.parametrize("header", ["身份证号", "身份证号码", "证件号码", "公民身份号码", "身份证号码（18位）"])
def test_the_id_headers_payroll_offices_use_are_accepted(header):
    [row, _second] = read_payroll_file(office_workbook(PEOPLE, id_header=header), "l.xlsx")
    assert row.id_number == PEOPLE[0][1]


def test_what_was_deducted_wins_over_what_should_have_been():
    rows = [["姓名", "身份证号", "应扣会费", "实扣会费"], ["张三", PEOPLE[0][1], "28.35", "20.00"]]
    [row] = payroll_rows(rows)
    assert row.amount == Decimal("20.00")


def test_a_list_without_an_amount_column_says_which_headers_are_accepted():
    with pytest.raises(ValidationError) as caught:
        payroll_rows([["姓名", "身份证号", "备注"], ["张三", PEOPLE[0][1], "x"]])
    [message] = caught.value.messages
    assert "工会会费" in message and "身份证号码" in message and "template" in message


def test_the_template_reads_back_once_filled_in_and_keeps_id_numbers_as_text():
    workbook = load_workbook(io.BytesIO(payroll_template_xlsx()))
    sheet = workbook["代扣会费"]
    assert [cell.value for cell in sheet[1]] == TEMPLATE_HEADERS
    id_column = TEMPLATE_HEADERS.index("身份证号") + 1
    assert sheet.cell(row=2, column=id_column).number_format == "@"
    notes = workbook["说明"]
    assert all(cell.data_type != "f" for row in notes.iter_rows() for cell in row)
    assert any("工会会费" in str(cell.value) for row in notes.iter_rows() for cell in row)
    # Filled in as the payroll office would, it is read as it stands.
    for number, (name, id_number, amount) in enumerate(PEOPLE, start=2):
        sheet.cell(row=number, column=1, value=number - 1)
        sheet.cell(row=number, column=2, value=name)
        sheet.cell(row=number, column=id_column, value=id_number)
        sheet.cell(row=number, column=TEMPLATE_HEADERS.index("工会会费") + 1, value=float(amount))
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_payroll_file(buffer.getvalue(), "模板.xlsx")
    assert [(row.name, row.id_number, row.amount) for row in rows] == [(n, i, a) for n, i, a in PEOPLE]


def test_every_template_header_is_one_the_import_accepts():
    accepted = {word for words in HEADERS.values() for word in words}
    assert set(TEMPLATE_HEADERS) - {"序号"} <= accepted


def test_the_headers_a_refusal_names_are_all_accepted():
    assert set(SAID_AMOUNT) <= set(HEADERS["amount"])
    assert set(SAID_WHO) <= set(HEADERS["id_number"]) | set(HEADERS["card_number"])
