"""core.normalize: the plain string cleaning the roster import and login by phone share."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.normalize import clean_compact, normalize_phone


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("typed", ["1381234567", "23812345678", "138-1234-567a"])
def test_it_refuses_a_bad_mobile_number(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(typed)
    assert caught.value.code == "phone"


def test_it_drops_a_country_prefix_from_mobile_numbers():
    assert normalize_phone("+86 138-1234-5678") == "13812345678"


def test_it_drops_every_space_from_a_compact_value():
    assert clean_compact(" Ｇ 00 12 ") == "G0012"
    assert clean_compact("   ") is None
