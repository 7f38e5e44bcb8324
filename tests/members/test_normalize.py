"""What people really type into roster spreadsheets, and what members.normalize (on core.normalize) makes of it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.normalize import clean_text, normalize_phone
from members import normalize
from members.idcard import make_id_number

ID = make_id_number("110101", datetime.date(1985, 3, 12), 123)  # ends in a digit
ID_X = next(make_id_number("110101", datetime.date(1985, 3, 12), seq) for seq in range(1000)
            if make_id_number("110101", datetime.date(1985, 3, 12), seq).endswith("X"))
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _code(call, value):
    with pytest.raises(ValidationError) as caught:
        call(value)
    return caught.value.code


def test_it_turns_full_width_digits_and_letters_into_half_width():
    assert normalize.normalize_id_number(ID_X.translate(FULL_WIDTH)) == ID_X
    assert normalize_phone("１３８１２３４５６７８") == "13812345678"
    assert clean_text("ＡＢＣ１２３") == "ABC123"


def test_it_removes_stray_spaces():
    assert normalize.normalize_name("  张  三 ") == "张三"
    assert normalize.normalize_name("John   Smith ") == "John Smith"
    assert normalize_phone(" 138 1234 5678 ") == "13812345678"
    assert normalize.normalize_id_number(f" {ID[:6]} {ID[6:14]} {ID[14:]} ") == ID
    assert normalize.normalize_text("  二级  主任科员 ") == "二级 主任科员"


def test_it_unifies_the_middle_dot_of_minority_names():
    assert normalize.normalize_name("阿沛 • 阿旺晋美") == "阿沛·阿旺晋美"


@pytest.mark.parametrize("typed, stored", [("男", "M"), ("女", "F"), (" 男 ", "M"), ("女性", "F")])
def test_it_reads_the_sex_words(typed, stored):
    assert normalize.normalize_sex(typed) == stored


def test_it_refuses_a_sex_it_does_not_know():
    assert _code(normalize.normalize_sex, "未知") == "sex"


@pytest.mark.parametrize("typed", [
    "1985-03-12", "1985-3-12", "1985/3/12", "1985/03/12", "1985.03.12", "1985.3.12", "1985年3月12日",
    "1985年03月12日", "１９８５年３月１２日", "19850312", "1985-03-12 00:00:00",
    31118, 31118.0, "31118", datetime.date(1985, 3, 12), datetime.datetime(1985, 3, 12, 0, 0),
])
def test_it_reads_each_date_form(typed):
    assert normalize.normalize_date(typed) == datetime.date(1985, 3, 12)


@pytest.mark.parametrize("typed", ["1985-02-30", "12/03/1985", "三月", 31118.5])
def test_it_refuses_what_is_not_a_date(typed):
    assert _code(normalize.normalize_date, typed) == "date"


def test_it_accepts_a_lower_case_x():
    assert normalize.normalize_id_number(ID_X.lower()) == ID_X


def test_it_refuses_an_id_number_in_scientific_notation():
    assert _code(normalize.normalize_id_number, "1.10101E+17") == "id_excel_number"


def test_it_refuses_an_id_number_whose_last_three_digits_excel_turned_into_000():
    truncated = ID[:15] + "000"
    assert _code(normalize.normalize_id_number, truncated) == "id_excel_truncated"


@pytest.mark.parametrize("cell", [110101198503121000, 1.10101198503121e17, Decimal(110101198503121234)])
def test_it_refuses_an_id_number_stored_as_a_number(cell):
    assert _code(normalize.normalize_id_number, cell) == "id_excel_number"


def test_it_refuses_a_bad_check_digit():
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    assert _code(normalize.normalize_id_number, wrong) == "id_check_digit"


@pytest.mark.parametrize("typed, stored", [("中共党员", "cpc"), ("党员", "cpc"), ("中共 预备党员", "cpc_probationary"),
                                           ("群众", "masses"), ("九三学社社员", "democratic_party")])
def test_it_reads_political_status_words(typed, stored):
    assert normalize.normalize_political_status(typed) == stored


@pytest.mark.parametrize("typed, stored", [("本科", "bachelor"), ("大学本科", "bachelor"), ("硕士研究生", "master"),
                                           ("大专", "junior_college"), ("博士", "doctorate")])
def test_it_reads_education_words(typed, stored):
    assert normalize.normalize_education(typed) == stored


def test_it_refuses_an_ambiguous_education_word_and_lists_the_accepted_ones():
    with pytest.raises(ValidationError) as caught:
        normalize.normalize_education("研究生")  # master's or doctorate? never guessed
    assert "硕士研究生" in caught.value.messages[0]


def test_it_completes_the_short_form_of_an_ethnicity():
    assert normalize.normalize_ethnicity("汉") == "汉族"
    assert normalize.normalize_ethnicity("蒙古族") == "蒙古族"
    assert _code(normalize.normalize_ethnicity, "火星族") == "ethnicity"


def test_it_gives_the_roster_word_for_each_stored_choice():
    for words in (normalize.POLITICAL_STATUS_WORDS, normalize.EDUCATION_WORDS):
        for value in words:
            assert normalize.normalize_choice(normalize.choice_label(words, value), words=words, column="x") == value
