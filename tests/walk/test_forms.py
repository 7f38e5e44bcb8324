"""Every form the walk finds, submitted as a person would: once empty, once filled in.

For each page, the first role (in crawl.ROLES order) that sees it in Chinese with a POST form submits each of its
forms: empty (hidden fields only), which must never be a server error and must either show an error message or,
for a form without required fields, redirect; and filled in generically from its fields (the first option of a
select, today for a date, 1 for a number, 测试 for text, a value already there kept), which must never be a server
error. Each test runs in its own savepoint, so nothing a submission writes outlives it.
"""

import re
from urllib.parse import urljoin

import pytest

from . import crawl
from .test_pages import PAGES

pytestmark = pytest.mark.django_db

#: (kind, url name) -> what is wrong today (issue 10 #8, the walk's findings).
KNOWN = {}

_ERROR = re.compile(r'class="[^"]*\b(?:errorlist|errornote|error|warning)\b')
_TEXT_TYPES = {"text", "search", "password", ""}


def _cases():
    for kind in ("empty", "filled"):
        for name in PAGES:
            marks = []
            if (kind, name) in KNOWN:
                marks.append(pytest.mark.xfail(strict=True, reason=f"issue 10 #8: {KNOWN[kind, name]}"))
            yield pytest.param(kind, name, marks=marks, id=f"{kind}-{name}")


def _forms(visits):
    """(role, page url, form) for the first role that sees the page in Chinese with forms of its own."""
    for role in crawl.ROLES:
        for v in visits:
            if v.role == role and v.language == "zh-hans" and v.status == 200 and v.html:
                forms = {}
                for form in v.page.forms:
                    action = urljoin("http://testserver" + v.url, form["action"]).removeprefix("http://testserver")
                    # A form without a button (a changelist without actions) is not one a person can submit.
                    if form["submittable"] and not action.startswith(crawl.FORMS_NOT_SUBMITTED):
                        forms.setdefault(action, form)
                if forms:
                    return role, v.url, forms
    return None, None, {}


def _empty(form):
    """What a person sends who fills nothing in and presses the (first) button: hidden fields and that button."""
    data = {f["name"]: f["value"] or "" for f in form["fields"] if f["tag"] == "input" and f["type"] == "hidden"}
    button = next((f for f in form["fields"] if f["tag"] == "input" and f["type"] == "submit"), None)
    if button is not None:
        data[button["name"]] = button["value"] or ""
    return data


def _filled(form):
    data, submitted = {}, False
    for f in form["fields"]:
        name, tag = f["name"], f["tag"]
        if tag == "select":
            values = [value for value, _selected in f["options"] if value]
            chosen = [value for value, selected in f["options"] if selected and value] or values[:1]
            if chosen:
                data[name] = chosen if f["multiple"] else chosen[0]
            continue
        if tag == "textarea":
            data[name] = f["value"].strip() or "测试"
            continue
        kind, value = f["type"], f["value"]
        if kind in ("submit", "button", "image"):
            if not submitted and value is not None:
                data[name], submitted = value, True
        elif kind in ("checkbox", "radio"):
            if f["checked"] or (kind == "radio" and name not in data) or f["required"]:
                data.setdefault(name, value or "on")
        elif kind == "file" or kind == "reset":
            continue
        elif value:
            data[name] = value
        elif kind == "hidden":
            data[name] = ""
        elif kind == "date":
            data[name] = crawl.today_iso()
        elif kind == "datetime-local":
            data[name] = crawl.today_iso() + "T09:00"
        elif kind == "time":
            data[name] = "09:00"
        elif kind == "month":
            data[name] = crawl.today_iso()[:7]
        elif kind == "number" or kind == "range":
            data[name] = "1"
        elif kind == "email":
            data[name] = "walk@example.org"
        elif kind == "tel":
            data[name] = "13800138000"
        elif kind == "url":
            data[name] = "https://example.org/"
        else:
            data[name] = "测试"
    return data


def _shows_error(response):
    return bool(_ERROR.search(response.content.decode(errors="replace")))


@pytest.mark.parametrize(("kind", "name"), list(_cases()))
def test_form(kind, name, visit_route, fresh_client):
    role, page, forms = _forms(visit_route(name))
    problems = []
    for action, form in forms.items():
        client = fresh_client(role, "zh-hans")
        where = f"{action} (form on {page}) as {role}"
        if kind == "empty":
            response = client.post(action, _empty(form))
            if response.status_code >= 500:
                problems.append(f"{where}, empty: HTTP {response.status_code}")
            elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html") \
                    and not _shows_error(response):  # a 200 that is not a page is a download: the form's job
                problems.append(f"{where}, empty: 200 without an error message")
            elif response.status_code in (301, 302, 303) and any(f.get("required") for f in form["fields"]):
                final = client.get(response["Location"])
                if final.status_code == 200 and not _shows_error(final):
                    problems.append(f"{where}, empty: accepted (redirect to {response['Location']}, no message)")
        else:
            response = client.post(action, _filled(form))
            if response.status_code >= 500:
                problems.append(f"{where}, filled: HTTP {response.status_code}")
    assert not problems, "\n".join(problems)
