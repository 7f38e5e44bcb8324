"""Normalising what people really type into roster spreadsheets.

Everything here either returns a clean value or raises ValidationError with a message for the
person who made the file; nothing guesses. The plain string cleaning (full-width characters, spaces, mobile
numbers) is core.normalize's, shared with login by phone.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.normalize import clean_compact, clean_text

from . import idcard

# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29).
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MIDNIGHT = re.compile(r"[ T]0?0:00(:00(\.0+)?)?$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)

SEX_WORDS = {"男": idcard.MALE, "女": idcard.FEMALE, "M": idcard.MALE, "F": idcard.FEMALE,
             "MALE": idcard.MALE, "FEMALE": idcard.FEMALE, "男性": idcard.MALE, "女性": idcard.FEMALE}


def normalize_id_number(value):
    """Clean an ID number as typed and validate it; reject what Excel has mangled.

    A numeric spreadsheet cell (int or float) is always refused: Excel keeps only 15 significant digits,
    so an 18-digit number stored as a number has already lost its last digits.
    """
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        raise ValidationError(
            _("ID number was stored by Excel as a number (%(value)s) and has lost digits; "
              "format the column as text and type it again."),
            code="id_excel_number",
            params={"value": repr(value)},
        )
    text = clean_compact(value)
    if not text:
        return None
    text = text.upper()
    if _SCIENTIFIC.match(text):
        raise ValidationError(
            _("ID number “%(value)s” was turned into scientific notation by Excel and has lost digits; "
              "format the column as text and type it again."),
            code="id_excel_number",
            params={"value": text},
        )
    if len(text) == 18 and text.isdigit() and text.endswith("000") and idcard.check_char(text[:17]) != "0":
        raise ValidationError(
            _("ID number %(value)s ends in 000 and fails the check digit: Excel keeps only 15 digits, "
              "so the last three were lost. Format the column as text and type it again."),
            code="id_excel_truncated",
            params={"value": text},
        )
    idcard.parse_id_number(text)
    return text


def normalize_sex(value):
    text = clean_compact(value)
    if not text:
        return None
    sex = SEX_WORDS.get(text.upper())
    if sex is None:
        raise ValidationError(_("Sex “%(value)s” must be 男 or 女."), code="sex", params={"value": text})
    return sex


def normalize_date(value):
    """Accept a date, an Excel serial number, or the common written forms; reject anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_excel_serial(value)
    text = clean_text(value)
    if not text:
        return None
    # Dates that went through a spreadsheet often come back with a midnight time attached.
    text = _MIDNIGHT.sub("", text).replace(" ", "")
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_excel_serial(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                break
    raise ValidationError(
        _("Date “%(value)s” is not a date; write it as 1985-03-12, 1985/3/12, 1985.03.12 or 1985年3月12日."),
        code="date",
        params={"value": text},
    )


def _from_excel_serial(number):
    if number != int(number) or not 1 <= number <= 80000:
        raise ValidationError(_("Date “%(value)s” is not a date."), code="date", params={"value": number})
    return _EXCEL_EPOCH + datetime.timedelta(days=int(number))


def normalize_decimal(value):
    if value is None or value == "":
        return None
    text = clean_compact(value)
    if not text:
        return None
    text = text.replace(",", "").replace("¥", "").replace("元", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Amount “%(value)s” is not a number."), code="amount",
                              params={"value": text}) from None
    if amount < 0:
        raise ValidationError(_("Amount “%(value)s” cannot be negative."), code="amount", params={"value": text})
    return amount.quantize(Decimal("0.01"))


# --- names, choices and free text ---------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff]")
# Middle dots people type in minority and foreign names (阿沛·阿旺晋美); one form is stored.
_MIDDLE_DOTS = re.compile(r"\s*[·•・‧∙⋅]\s*")


def normalize_name(value):
    """A person's name: full-width → half-width, spaces inside a Chinese name dropped (张 三 → 张三),
    the middle dot of minority and foreign names unified to ·."""
    text = clean_text(value)
    if not text:
        return None
    text = _MIDDLE_DOTS.sub("·", text)
    if _CJK.search(text):
        text = text.replace(" ", "")
    return text


def normalize_text(value):
    """Free text (post / title, e-mail): full-width → half-width, spaces collapsed and trimmed."""
    return clean_text(value)


def normalize_email(value):
    text = clean_compact(value)
    return text or None


# The words people write in the roster for each choice, as data: the first word of each entry is the one
# the roster export and template use; the others are accepted on import. Matching ignores spaces and case.
POLITICAL_STATUS_WORDS = {
    "cpc": ["中共党员", "中国共产党党员", "党员"],
    "cpc_probationary": ["中共预备党员", "预备党员"],
    "cyl": ["共青团员", "团员"],
    "democratic_party": ["民主党派", "民主党派成员", "民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员",
                         "致公党党员", "九三学社社员", "台盟盟员"],
    "non_partisan": ["无党派人士", "无党派"],
    "masses": ["群众"],
}
EDUCATION_WORDS = {
    "doctorate": ["博士研究生", "博士"],
    "master": ["硕士研究生", "硕士"],
    "bachelor": ["大学本科", "本科"],
    "junior_college": ["大学专科", "大专", "专科"],
    "secondary": ["高中/中专", "中专", "高中", "中等专业学校", "职高", "技校", "中技"],
    "other": ["其他", "初中及以下", "初中", "小学"],
}
SEX_LABELS = {idcard.MALE: "男", idcard.FEMALE: "女"}
#: The 56 nationalities (GB 3304); "其他" for anyone the list does not cover.
ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族",
    "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族",
    "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族",
    "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族",
    "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "其他",
)
_ETHNICITY_LOOKUP = {**{name.removesuffix("族"): name for name in ETHNICITIES}, **{name: name for name in ETHNICITIES}}


def choice_label(words, value):
    """The roster word for a stored choice value (中共党员 for "cpc"); "" for an empty value."""
    if not value:
        return ""
    return words[value][0]


def _choice_lookup(words):
    lookup = {}
    for value, labels in words.items():
        lookup[value.upper()] = value
        for label in labels:
            lookup[clean_compact(label).upper()] = value
    return lookup


_CHOICE_LOOKUPS = {}


def normalize_choice(value, *, words, column):
    """One of the words in ``words`` (or its stored value) → the stored value; anything else is an error
    that lists what is accepted."""
    text = clean_compact(value)
    if not text:
        return None
    lookup = _CHOICE_LOOKUPS.get(id(words))
    if lookup is None:
        lookup = _CHOICE_LOOKUPS[id(words)] = _choice_lookup(words)
    found = lookup.get(text.upper())
    if found is None:
        raise ValidationError(
            _("%(column)s “%(value)s” is not recognised; write one of: %(accepted)s."),
            code="choice",
            params={"column": column, "value": text,
                    "accepted": "、".join(labels[0] for labels in words.values())},
        )
    return found


def normalize_political_status(value):
    return normalize_choice(value, words=POLITICAL_STATUS_WORDS, column="政治面貌")


def normalize_education(value):
    return normalize_choice(value, words=EDUCATION_WORDS, column="学历")


def normalize_ethnicity(value):
    """汉 or 汉族 → 汉族; anything that is not one of the 56 nationalities (or 其他) is an error."""
    text = clean_compact(value)
    if not text:
        return None
    found = _ETHNICITY_LOOKUP.get(text)
    if found is None:
        raise ValidationError(
            _("Ethnicity “%(value)s” is not one of the 56 nationalities; write it as in 汉族, 回族, 蒙古族, or write 其他."),
            code="ethnicity",
            params={"value": text},
        )
    return found
