"""The walk: every page, as every role of the demo union, an outsider and nobody, in Chinese and in English.

One test per (check, route). Where today's product fails a check, the case is in KNOWN and marked
xfail(strict=True): it shows up in every run, and the fix that repairs it flips it to XPASS, which fails until the
entry is removed.
"""

import pytest

from . import crawl

pytestmark = pytest.mark.django_db

#: (check, url name) -> what is wrong today.
KNOWN = {}

PAGES = sorted(name for name in crawl.ROUTES
               if not (name.startswith("admin:") and name.endswith(("_history", "_delete"))))
CHECKS = ["status", "queries", "chinese", "english", "dates", "money"]


def _cases():
    for check in CHECKS:
        for name in PAGES:
            marks = []
            if (check, name) in KNOWN:
                marks.append(pytest.mark.xfail(strict=True, reason=f"issue 10 #8: {KNOWN[check, name]}"))
            yield pytest.param(check, name, marks=marks, id=f"{check}-{name}")


def _problems(check, visits, union):
    for v in visits:
        if check == "status" and v.status >= 500:
            yield f"{v.where()}: HTTP {v.status}"
        if check == "queries" and v.queries > crawl.QUERY_CEILING:
            yield f"{v.where()}: {v.queries} queries (ceiling {crawl.QUERY_CEILING})"
        if not v.html or v.status >= 400:
            continue  # refusal pages are one template each: test_refusal_page
        text = "\n".join(v.page.text)
        if check == "chinese" and v.language == "zh-hans":
            words = crawl.english_words(text, union["data_words"])
            if words:
                yield f"{v.where()}: English words {', '.join(words[:15])}"
            colons = crawl.ascii_colons(text, union["blob"])
            if colons:
                yield f"{v.where()}: an English colon after Chinese: {' '.join(colons[:10])}"
        if check == "english" and v.language == "en":
            runs = crawl.chinese_runs("\n".join(v.page.text_outside_zh), union["blob"])
            if runs:
                yield f"{v.where()}: Chinese left {'、'.join(runs[:15])}"
        if check == "money":
            raw = crawl.raw_amounts(text)
            if raw:
                yield f"{v.where()}: amounts not printed by core.money.money(): {', '.join(raw[:10])}"
        if check == "dates":
            bad = crawl.bad_dates(v.page.date_values)
            if bad:
                yield f"{v.where()}: <input type=date> not ISO: {', '.join(bad)}"


@pytest.mark.parametrize(("check", "name"), list(_cases()))
def test_page(check, name, visit_route, walk_union):
    visits = visit_route(name)
    problems = list(dict.fromkeys(_problems(check, visits, walk_union)))
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:40])


def test_every_route_is_walked(walk_union, db):
    """A route the walk cannot fill with objects is a failure, not a silent gap."""
    unknown = []
    for name in PAGES:
        try:
            crawl.concrete_urls(name)
        except LookupError as error:
            unknown.append(str(error))
    assert not unknown, "\n".join(unknown)


#: A refusal a person meets on the walk: (status, url, who).
REFUSALS = {403: ("/admin/accounts/user/add/", "welfare"), 404: ("/walk/no-such-page/", "member")}


@pytest.mark.parametrize("status", sorted(REFUSALS))
def test_refusal_page_speaks_chinese(status, walk_clients, walk_union, db):
    url, role = REFUSALS[status]
    response = walk_clients[role, "zh-hans"].get(url)
    assert response.status_code == status
    text = "\n".join(crawl.read_page(response.content.decode()).text)
    assert crawl._CHINESE.search(text), f"{url} as {role} in zh-hans: {text[:200]!r}"
    assert not crawl.english_words(text, walk_union["data_words"]), f"{url} as {role} in zh-hans: {text[:200]!r}"
