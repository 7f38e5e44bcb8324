"""An uploaded spreadsheet is read within bounds: its declared size is not trusted, rows are counted as they come."""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from core import spreadsheet


def _workbook(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _claiming_the_whole_sheet(data):
    """The same workbook whose sheet says it spans A1:XFD1048576 (what a hostile or broken file does)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', content)
                # and one stray empty-string cell in the sheet's last row and column
                content = content.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                          b'<is><t></t></is></c></row></sheetData>')
                assert b"XFD1048576" in content
            target.writestr(item, content)
    return out.getvalue()


def test_a_small_file_that_claims_a_million_rows_is_read_as_what_it_holds():
    data = _claiming_the_whole_sheet(_workbook([["姓名", "身份证号"], ["张三", "110101198503121234"]]))
    assert len(data) < 10_000
    tracemalloc.start()
    started = time.perf_counter()
    rows = spreadsheet.read_rows(data, "roll.xlsx", wrong_type_message="x")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [row[:2] for row in rows] == [["姓名", "身份证号"], ["张三", "110101198503121234"]]
    assert elapsed < 5 and peak < 50 * 1024 * 1024


def test_too_many_rows_are_refused_in_words(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    with pytest.raises(ValidationError) as error:
        spreadsheet.read_rows(_workbook([["a"]] * 4), "roll.xlsx", wrong_type_message="x")
    assert error.value.code == "too_many_rows"
    with pytest.raises(ValidationError) as error:
        spreadsheet.read_rows("a\nb\nc\nd\n".encode(), "roll.csv", wrong_type_message="x")
    assert error.value.code == "too_many_rows"
    assert len(spreadsheet.read_rows(_workbook([["a"]] * 3), "roll.xlsx", wrong_type_message="x")) == 3
