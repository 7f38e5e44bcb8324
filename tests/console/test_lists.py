"""Lists a person can work with: amounts printed as sums (thousands separated), right-aligned by the console CSS."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from core.money import money
from finance.models import Voucher

pytestmark = pytest.mark.django_db


def test_voucher_amounts_have_thousands_separators(console):
    html = console("treasurer").get("/admin/finance/voucher/").content.decode()
    amounts = re.findall(r'<td class="field-amount">([^<]*)</td>', html)
    assert amounts and all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2}", a) for a in amounts)
    assert any("," in a for a in amounts)
    assert Voucher.objects.exists() and money("86523.4") == "86,523.40"


def test_the_console_styles_right_align_amounts():
    css = Path(finders.find("css/console.css")).read_text()
    assert re.search(r"td\.field-amount[^{]*\{[^}]*text-align: right", css)
