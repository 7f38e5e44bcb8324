"""What every step of a browser journey checks: no JavaScript error, no pre-filled date input that the browser shows
blank (a value it cannot read, e.g. ``2026/12/02``), and on a phone no page wider than the screen. Screenshots of key
steps go to /tmp/journeys/ for a person to look at (never committed)."""

import re
from pathlib import Path

SCREENSHOTS = Path("/tmp/journeys")

_BLANK_DATES = """() => Array.from(document.querySelectorAll('input[type=date]'))
    .filter(input => input.getAttribute('value') && !input.value)
    .map(input => `${input.name}=${input.getAttribute('value')}`)"""


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


#: Latin words a Chinese page may show: the language switch, brands, formats and units.
ENGLISH_ALLOWED = {"English", "PDF", "pdf", "Excel", "xlsx", "csv", "ics", "QR", "TOTP", "ID", "JPEG", "PNG",
                   "Control", "Command", "Mac"}  # the last three: key names in Django's own Chinese help text


def english_words(page):
    """Latin-letter words of three letters or more in the visible text, outside the allow-list."""
    text = page.locator("body").inner_text()
    return sorted({word for word in re.findall(r"[A-Za-z]{3,}", text) if word not in ENGLISH_ALLOWED})


def check_page(page, *, phone=False, chinese=False):
    """Assert what a person would notice at once on the page they are looking at."""
    assert page.js_errors == [], f"{page.url}: JavaScript errors {page.js_errors}"
    if chinese:
        assert english_words(page) == [], f"{page.url}: English in the Chinese page: {english_words(page)}"
    blank = page.evaluate(_BLANK_DATES)
    assert blank == [], f"{page.url}: pre-filled date inputs the browser shows blank: {blank}"
    if phone:
        assert fits_the_screen(page), f"{page.url}: wider than the phone's screen"


def shot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


_CONTRAST = """element => {
    const rgb = text => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const luminance = ([r, g, b]) => {
        const [R, G, B] = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const style = getComputedStyle(element);
    const [a, b] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def contrast_ratio(locator):
    """The WCAG contrast ratio of an element's text against its own background (which must not be transparent)."""
    return locator.evaluate(_CONTRAST)
