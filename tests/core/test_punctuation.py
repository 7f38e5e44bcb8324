"""Punctuation follows the language: "发放日期：2026-10-01" and "每次限额 300.00，每年限额 500.00" in Chinese,
": " and ", " in English."""

from django.template import Context, Template
from django.utils import translation

from core.punctuation import colon, comma, labelled

TEMPLATE = Template('{% load punctuation %}限额{% colon %}300.00{% comma %}500.00')


def test_chinese_takes_full_width_marks_and_english_its_own():
    with translation.override("zh-hans"):
        assert (colon(), comma(), labelled("津贴补贴", "1,800.00")) == ("：", "，", "津贴补贴：1,800.00")
        assert TEMPLATE.render(Context()) == "限额：300.00，500.00"
    with translation.override("en"):
        assert (colon(), comma()) == (": ", ", ")
        assert TEMPLATE.render(Context()) == "限额: 300.00, 500.00"
