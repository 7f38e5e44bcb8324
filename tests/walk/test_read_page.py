"""The walk's own reading rules: what it counts as text in which language."""

from . import crawl


def test_chinese_marked_lang_zh_is_not_left_over_chinese_in_the_english_ui():
    page = crawl.read_page('<html lang="en"><body><p>Columns: <span lang="zh">会员证号、姓名</span> and '
                           '<code lang="zh-Hans">身份证号</code>; <b>留下</b></p><br><p>after</p></body></html>')
    assert "会员证号、姓名" in page.text  # still read, and still checked in the Chinese UI
    assert crawl.chinese_runs("\n".join(page.text_outside_zh), "") == ["留下"]
    assert "after" in page.text_outside_zh


def test_a_void_element_inside_lang_zh_does_not_end_the_marking():
    page = crawl.read_page('<p lang="zh">会员证号<br>姓名<img src="x.png"></p><p>英文界面</p>')
    assert crawl.chinese_runs("\n".join(page.text_outside_zh), "") == ["英文界面"]


def test_an_amount_of_a_thousand_or_more_must_carry_its_separator():
    assert crawl.raw_amounts("合计 2000.00 元；1,000.00；999.50；2026-12-03；v1234.567") == ["2000.00"]
