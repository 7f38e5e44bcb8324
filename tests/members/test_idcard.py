import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members import idcard

# A published example number with a valid check digit (GB 11643 worked example).
KNOWN_VALID = "11010519491231002X"


def test_it_computes_the_check_digit_of_a_known_number():
    assert idcard.check_char(KNOWN_VALID[:17]) == "X"


def test_it_reads_birth_date_and_sex():
    facts = idcard.parse_id_number(KNOWN_VALID)
    assert facts.birth_date == datetime.date(1949, 12, 31)
    assert facts.sex == idcard.FEMALE  # sequence 002 is even


def test_it_reads_male_from_an_odd_sequence():
    number = idcard.make_id_number("110101", datetime.date(1985, 3, 12), 123)
    assert idcard.parse_id_number(number).sex == idcard.MALE


@pytest.mark.parametrize("last", [c for c in "0123456789X" if c != "X"])
def test_it_rejects_every_wrong_check_character(last):
    with pytest.raises(ValidationError) as error:
        idcard.parse_id_number(KNOWN_VALID[:17] + last)
    assert error.value.code == "id_check_digit"
    assert "X" in str(error.value.messages[0])


@pytest.mark.parametrize("value", ["", "1101051949123100", "11010519491231002x", "1101051949123100AX", "A1010519491231002X"])
def test_it_rejects_malformed_numbers(value):
    with pytest.raises(ValidationError) as error:
        idcard.parse_id_number(value)
    assert error.value.code == "id_shape"


def test_it_rejects_an_impossible_birth_date():
    first17 = "11010519490230002"  # 30 February
    with pytest.raises(ValidationError) as error:
        idcard.parse_id_number(first17 + idcard.check_char(first17))
    assert error.value.code == "id_birth_date"


def test_it_rejects_a_birth_date_in_the_future():
    future = datetime.date.today() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as error, translation.override("zh-hans"):
        idcard.parse_id_number(idcard.make_id_number("110101", future, 1))
    with translation.override("zh-hans"):
        message = error.value.messages[0]
    # Said as it is (a date in the future), not "出生日期不存在": 2 February of next year exists.
    assert error.value.code == "id_birth_date" and "未来" in message and future.isoformat() in message


def test_it_rejects_a_birth_date_before_1900():
    with pytest.raises(ValidationError) as error:
        idcard.parse_id_number(idcard.make_id_number("110101", datetime.date(1899, 12, 31), 1))
    with translation.override("en"):
        assert "before 1900 (1899-12-31)" in error.value.messages[0]
