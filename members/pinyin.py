from pypinyin import Style, lazy_pinyin


def initials(name):
    """Pinyin initials for search: 张三明 → zsm. Non-Chinese characters are kept as lower-case letters."""
    if not name:
        return ""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(part[:1] for part in letters if part).lower()[:50]
