"""What the walk visits and what it looks for on each page.

Every route of the URL conf (portal and admin) is listed here at collection time, by its name; `concrete_urls`
turns a route into the addresses to visit, with real objects of the demo union in its path. A route the walk does
not know how to fill is a failure of its own (test_every_route_is_walked), so a new page cannot slip past it.
"""

import datetime
import re
from html.parser import HTMLParser

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

#: The people the walk is: every role of the demo union (their demo usernames), someone logged in who is not on
#: the roll, and nobody.
ROLES = ["chair", "treasurer", "auditor", "welfare", "leader", "member", "outsider", "anonymous"]
LANGUAGES = ["zh-hans", "en"]
#: Most queries a page may take; a page above it runs a query per row somewhere.
QUERY_CEILING = 40

#: Routes never fetched, with the reason (no page behind them, or visiting them ends the walk's session).
NOT_PAGES = {
    "healthz": "a probe, not a page",
    "set_language": "POST-only switch (the walk sets the language cookie instead)",
    "account_logout": "visiting it is fine, but its form would end the walk's session; it is in FORMS_NOT_SUBMITTED",
}
#: Forms the walk finds but does not submit (they end the session or change the language of the client).
FORMS_NOT_SUBMITTED = ("/accounts/logout/", "/admin/logout/", "/i18n/setlang/")


def _walk_patterns(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern), p


def routes():
    """{url name: route} of every named route, admin included (its custom views come with get_urls)."""
    found = {}
    for name, route, _pattern in _walk_patterns(get_resolver().url_patterns):
        found.setdefault(name, route)
    return found


def admin_models():
    return {f"admin:{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def fill(route, values):
    """The route with each <conv:name> replaced by values[name]."""
    return "/" + _CONVERTER.sub(lambda m: str(values[m.group("name")]), route)


def route_args(route):
    return [m.group("name") for m in _CONVERTER.finditer(route)]


# ---- reading a page -----------------------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    """Visible text (and the attributes a person reads), date inputs, and POST forms with their fields."""

    _ATTRS = ("placeholder", "title", "alt", "aria-label")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []
        #: The text outside elements marked lang="zh…": Chinese there is on purpose (a file's column headers, a term
        #: of art), so the English UI's check reads only this.
        self.text_outside_zh = []
        self._zh = 0
        self.date_values = []
        self.forms = []
        self._skip = 0
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in _VOID and tag != "html" and (self._zh or (a.get("lang") or "").lower().startswith("zh")):
            self._zh += 1
        if tag in ("script", "style", "template") or (self._skip and tag not in _VOID):
            self._skip += 1
        elif "visually-hidden" in (a.get("class") or "").split():
            # Read only by screen readers (Django's admin table headers "Model name", "Add link" are English there:
            # reported to the wording helper), not what the walk checks.
            self._skip += 1
        for key in self._ATTRS:
            if key == "alt" and (a.get("src") or "").startswith("/static/admin/img/"):
                continue  # Django admin's icons (alt "True", "False", "Search"): not text a person reads
            if a.get(key) and not self._skip:
                self._read(a[key])
        if tag == "input" and (a.get("type") or "").lower() in ("submit", "button") and a.get("value") \
                and not self._skip:
            self._read(a["value"])
        if tag == "input" and (a.get("type") or "").lower() == "date":
            self.date_values.append((a.get("name") or "", a.get("value") or ""))
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": [], "enctype": a.get("enctype") or "",
                          "submittable": False}
            self.forms.append(self._form)
        if self._form is None:
            return
        if (tag == "button" and (a.get("type") or "submit").lower() == "submit") or (
                tag == "input" and (a.get("type") or "").lower() in ("submit", "image")):
            self._form["submittable"] = True
        if tag == "input" and a.get("name"):
            self._form["fields"].append({"tag": "input", "type": (a.get("type") or "text").lower(),
                                         "name": a["name"], "value": a.get("value"), "required": "required" in a,
                                         "checked": "checked" in a})
        elif tag == "button" and a.get("name") and (a.get("type") or "submit").lower() == "submit":
            self._form["fields"].append({"tag": "input", "type": "submit", "name": a["name"], "value": a.get("value"),
                                         "required": False, "checked": False})
        elif tag == "select" and a.get("name"):
            self._select = {"tag": "select", "name": a["name"], "options": [], "multiple": "multiple" in a,
                            "required": "required" in a}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value"), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"tag": "textarea", "name": a["name"], "value": "", "required": "required" in a}
            self._form["fields"].append(self._textarea)

    def _read(self, text):
        self.text.append(text)
        if not self._zh:
            self.text_outside_zh.append(text)

    def handle_endtag(self, tag):
        if self._zh and tag not in _VOID and tag != "html":
            self._zh -= 1
        if self._skip and tag not in _VOID:
            self._skip -= 1
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data
            return
        if not self._skip and data.strip():
            self._read(data.strip())


def read_page(html):
    parser = _Page()
    parser.feed(html)
    parser.close()
    return parser


# ---- what counts as a wrong word ----------------------------------------------------------------------------------

#: English that may stand in the Chinese UI: codes, units, file formats, brand and product names.
ALLOWED_ENGLISH = {
    "pdf", "xlsx", "xls", "csv", "excel", "word", "ics", "totp", "id", "qr", "url", "http", "https", "www", "ok",
    "english", "django", "admin", "api", "sms", "app", "wps", "email", "mail", "iso", "utf", "gb", "ip", "cny",
    "rmb", "mfa", "ca", "pm", "am", "ai", "vs", "no", "js", "iphone", "android", "ios", "yyyy", "mm", "dd",
    "usb", "jpeg", "png", "jpg",
    # Keys named in Django's own Chinese help text ("按住 Control 键，或者 Mac 上的 Command 键").
    "control", "command", "mac",
    "webhook", "gbk", "json",
    # Time zone names (data: the zones a schedule may use, core/admin_beat.ZONES, in the scheduler's own titles).
    "asia", "utc",
    # The example of a pinyin-initials search on the check-in page ("如 zsm").
    "zsm",
}
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_@./-])[A-Za-z]{3,}(?![A-Za-z0-9_@-])")
_SKIP_IN_TEXT = re.compile(r"\S+@\S+|https?://\S+|/[\w/.-]+|\b\w+_\w+\b|\b[\w.-]+\.(?:xlsx|pdf|csv|ics|png|jpg)\b")
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def english_words(text, data_words):
    text = _SKIP_IN_TEXT.sub(" ", text)
    return sorted({w for w in _ENGLISH_WORD.findall(text)
                   if w.lower() not in ALLOWED_ENGLISH and w.lower() not in data_words})


#: A Chinese label followed by an English colon ("发放日期: 2026-10-01"): Chinese text takes the full-width "："
#: ({% colon %} in templates, core/templatetags/punctuation.py).
_ASCII_COLON_AFTER_CHINESE = re.compile(r"[\u3400-\u9fff）]{1,8}:(?= |\n|$)")


#: Translations that come with Django ("Sorting priority: 1" on sorted column headers) and django-celery-beat
#: (its help texts' "(例如: …)"), not ours to change.
_THEIR_COLONS = re.compile(r"排序优先级: |\(例如: ")


def ascii_colons(text, data_blob):
    """Colons after Chinese the portal printed: not those in the union's own data (a note someone typed)."""
    return sorted({found for found in _ASCII_COLON_AFTER_CHINESE.findall(_THEIR_COLONS.sub(" ", text))
                   if found not in data_blob})


#: A Chinese term glossed beside its English ("deep hardship (深度困难)", 《工会法》): the official word, on purpose.
_GLOSS = re.compile(r"\([^()]*\)|（[^（）]*）|《[^》]*》")


def chinese_runs(text, data_blob):
    text = _GLOSS.sub(" ", text)
    return sorted({run for run in _CHINESE.findall(text) if run not in data_blob and run not in LANGUAGE_NAMES})


#: The language switcher names each language in its own words.
LANGUAGE_NAMES = ("简体中文", "中文")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


#: An amount of a thousand yuan or more without its thousands separator ("2000.00" where money() prints "2,000.00").
_RAW_AMOUNT = re.compile(r"(?<![\d,.:/-])\d{4,}\.\d{2}(?![\d.])")


def raw_amounts(text):
    return sorted(set(_RAW_AMOUNT.findall(text)))


def bad_dates(date_values):
    return [f"{name}={value!r}" for name, value in date_values if value and not _ISO.match(value)]


def today_iso():
    return datetime.date.today().isoformat()


# ---- filling the routes with the demo union's objects -------------------------------------------------------------

def _first(model, **filters):
    obj = model._default_manager.filter(**filters).order_by("pk").first()
    return obj.pk if obj else 0


def _portal_values():
    """For each portal route with arguments: a function returning the list of argument dicts to visit."""
    from activities.models import Activity, InterestGroup
    from core.models import Job
    from elections.models import Election
    from finance.models import AuditReport, Disclosure, DuesImport, ReportDocument, Voucher
    from members.models import Member, UnionGroup
    from voice.models import Bulletin, Item, ItemAttachment, Notice, NoticeAttachment, Survey
    from welfare.hardship.services import NEXT_STEP
    from welfare.models import (
        CareReport,
        CaseAttachment,
        CaseObjection,
        Distribution,
        HardshipCase,
        MedicalAidPlan,
        Visit,
    )

    year = datetime.date.today().year
    member = lambda: _first(Member, user__username="member")  # noqa: E731
    activity = lambda: _first(Activity)  # noqa: E731
    case = lambda: _first(HardshipCase)  # noqa: E731

    def steps():
        return [{"pk": c.pk, "step": NEXT_STEP[c.state]} for c in HardshipCase.objects.order_by("pk")
                if c.state in NEXT_STEP] or [{"pk": 0, "step": "visit"}]

    def objection():
        o = CaseObjection.objects.order_by("pk").first()
        return [{"pk": o.case_id if o else case(), "objection_pk": o.pk if o else 0}]

    def attachment():
        a = CaseAttachment.objects.order_by("pk").first()
        return [{"pk": a.case_id if a else case(), "attachment_pk": a.pk if a else 0}]

    def dues_job():
        imp = DuesImport.objects.order_by("pk").first()
        return getattr(imp, "job_id", None) or _first(Job, kind__icontains="dues")

    def distribution_job():
        d = Distribution.objects.order_by("pk").first()
        return [{"pk": d.pk if d else 0, "job_id": _first(Job, kind__icontains="sheet")}]

    def audit_year():
        report = AuditReport.objects.order_by("-pk").first()
        return getattr(report, "year", None) or getattr(getattr(report, "fiscal_year", None), "year", year)

    return {
        "members:detail": lambda: [{"pk": member()}],
        "activities:detail": lambda: [{"pk": a.pk} for a in Activity.objects.order_by("pk")[:3]],
        "activities:register": lambda: [{"pk": activity()}],
        "activities:cancel": lambda: [{"pk": activity()}],
        "activities:leave_waitlist": lambda: [{"pk": activity()}],
        "activities:calendar": lambda: [{"pk": activity()}],
        "activities:checkin": lambda: [{"pk": activity()}],
        "activities:checkin_tick": lambda: [{"pk": activity()}],
        "activities:checkin_undo": lambda: [{"pk": activity()}],
        "activities:checkin_walk_in": lambda: [{"pk": activity(), "member_pk": member()}],
        "activities:checkin_scan": lambda: [{"pk": activity()}],
        "activities:interest_join": lambda: [{"pk": _first(InterestGroup)}],
        "activities:interest_leave": lambda: [{"pk": _first(InterestGroup)}],
        "activities:interest_lead": lambda: [{"pk": _first(InterestGroup)}],
        "activities:interest_plan": lambda: [{"pk": _first(InterestGroup), "year": year}],
        "welfare:visit_detail": lambda: [{"pk": _first(Visit)}],
        "welfare:visit_withdraw": lambda: [{"pk": _first(Visit)}],
        "welfare:member_history": lambda: [{"pk": member()}],
        "welfare:report_close": lambda: [{"pk": _first(CareReport)}],
        "welfare:distribution_detail": lambda: [{"pk": _first(Distribution)}],
        "welfare:distribution_sheet": lambda: [{"pk": _first(Distribution)}],
        "welfare:distribution_sheet_job": distribution_job,
        "welfare:hardship_detail": lambda: [{"pk": c.pk} for c in HardshipCase.objects.order_by("pk")[:3]],
        "welfare:hardship_step": steps,
        "welfare:hardship_resolve": objection,
        "welfare:hardship_attachment_upload": lambda: [{"pk": case()}],
        "welfare:hardship_attachment": attachment,
        "welfare:hardship_payment_create": lambda: [{"pk": case()}],
        "welfare:hardship_notice_object": lambda: [{"pk": case()}],
        "welfare:hardship_medical_plan": lambda: [{"plan_pk": _first(MedicalAidPlan)}],
        "welfare:hardship_medical_enrol_all": lambda: [{"plan_pk": _first(MedicalAidPlan)}],
        "welfare:hardship_medical_export": lambda: [{"plan_pk": _first(MedicalAidPlan)}],
        "finance:voucher_detail": lambda: [{"pk": v.pk} for v in Voucher.objects.order_by("pk")[:2]],
        "finance:budget_year": lambda: [{"year": year}],
        "finance:dues_import_job": lambda: [{"pk": dues_job()}],
        "finance:dues_import_confirm": lambda: [{"pk": dues_job()}],
        "finance:dues_member": lambda: [{"pk": member()}],
        "finance:dues_member_pay": lambda: [{"pk": member()}],
        "finance:report_document": lambda: [{"pk": _first(ReportDocument)}],
        "finance:report_download": lambda: [{"pk": _first(ReportDocument)}],
        "finance:audit_report": lambda: [{"year": audit_year()}],
        "finance:audit_report_finalise": lambda: [{"year": audit_year()}],
        "finance:audit_report_pdf": lambda: [{"year": audit_year()}],
        "finance:year_archive_start": lambda: [{"year": year}],
        "finance:year_archive_download": lambda: [{"year": year}],
        "finance:year_archive_check": lambda: [{"year": year}],
        "finance:disclosure": lambda: [{"pk": _first(Disclosure)}],
        "finance:disclosure_publish": lambda: [{"pk": _first(Disclosure)}],
        "voice:notice_detail": lambda: [{"pk": n.pk} for n in Notice.objects.order_by("pk")[:3]],
        "voice:notice_unread": lambda: [{"pk": _first(Notice)}],
        "voice:notice_attachment": lambda: [{"pk": a.notice_id, "attachment_pk": a.pk} for a in
                                            NoticeAttachment.objects.order_by("pk")[:1]] or [{"pk": _first(Notice),
                                                                                              "attachment_pk": 0}],
        "voice:survey_answer": lambda: [{"pk": s.pk} for s in Survey.objects.order_by("pk")[:2]],
        "voice:survey_results": lambda: [{"pk": _first(Survey)}],
        "voice:survey_export": lambda: [{"pk": _first(Survey)}],
        # Every source once (the talk too: 404 for all but the chair, who held it in the demo).
        "voice:tracker_item": lambda: [{"pk": pk} for pk in dict(Item.objects.order_by("source", "pk")
                                                                 .values_list("source", "pk")).values()] or [{"pk": 0}],
        "voice:tracker_step": lambda: [{"pk": _first(Item), "step": "accept"}],
        "voice:tracker_attachment": lambda: [{"pk": a.item_id, "attachment_pk": a.pk} for a in
                                             ItemAttachment.objects.order_by("pk")[:1]] or [{"pk": _first(Item),
                                                                                             "attachment_pk": 0}],
        "voice:tracker_proposals_pdf": lambda: [{"year": year}],
        "voice:bulletin_pdf": lambda: [{"pk": pk} for pk in Bulletin.objects.order_by("state", "pk")
                                       .values_list("pk", flat=True)[:2]] or [{"pk": 0}],
        "elections:vote": lambda: [{"pk": e.pk} for e in Election.objects.order_by("pk")[:2]] or [{"pk": 0}],
        # The demo leader's group: the 经审会 election's open nominations and the committee's, closed.
        "elections:group_nomination": lambda: [
            {"pk": e.pk, "group_pk": _first(UnionGroup, leader__user__username="leader")}
            for e in Election.objects.exclude(state="draft").filter(union_group__isnull=True).order_by("-pk")[:2]]
        or [{"pk": 0, "group_pk": 0}],
        "core:job_status": lambda: [{"pk": _first(Job)}],
        "accounts:activate_code": lambda: [{"code": "NOSUCHCODE"}],
    }


#: Routes that take arguments the walk cannot make up (tokens mailed to a person): visited with a wrong one.
_WRONG_TOKENS = {
    "account_confirm_email": "/accounts/confirm-email/wrong-key/",
    "account_reset_password_from_key": "/accounts/password/reset/key/1-wrong-key/",
}


def _admin_values(name, route):
    """Arguments for an admin route: the first object of its model for object_id/pk, a job of the same kind."""
    from activities.workplan import JOB_KIND_PLAN
    from core.models import Job

    models = admin_models()
    model = next((m for prefix, m in models.items() if name.startswith(prefix + "_")), None)
    values = {}
    for arg in route_args(route):
        if arg in ("object_id", "pk"):
            values[arg] = _first(model) if model else 0
        elif arg == "id":  # Django's own UserAdmin names its password page admin:auth_user_password_change
            values[arg] = _first(get_user_model())
        elif arg == "job_id":
            values[arg] = _first(Job)
        elif arg == "kind":
            values[arg] = JOB_KIND_PLAN
        else:
            return None
    return [values]


def concrete_urls(name):
    route = ROUTES[name]
    if name in _WRONG_TOKENS:
        return [_WRONG_TOKENS[name]]
    if route.startswith("admin/^("):  # the app index pages
        return ["/admin/" + label + "/" for label in sorted({m._meta.app_label for m in admin.site._registry})]
    if not route_args(route):
        return ["/" + route]
    if name.startswith("admin:"):
        values = _admin_values(name, route)
    else:
        maker = _portal_values().get(name)
        values = maker() if maker else None
    if values is None:
        raise LookupError(f"the walk does not know how to fill {name} ({route}): add it to crawl._portal_values")
    return [fill(route, v) for v in values]


ROUTES = {name: route for name, route in routes().items()
          if name not in NOT_PAGES and not route.startswith("^media")
          and name not in ("admin:view_on_site", "admin:autocomplete", "admin:jsi18n")}
