"""Member pages (my items, filing one, following an anonymous one by its code, rating an answer) and the union's
pages (the list with the 谈心 prompts, recording a visit or a talk, one page per item with its steps, the year's
proposals as PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from core.idempotency import AlreadySubmitted, submit_once
from core.xlsx import XLSX_MIMETYPE, new_sheet, value_cell, workbook_bytes
from members.selectors import member_for_user

from ..models import Congress, Item
from ..storage import attachment_response
from . import access, selectors, services
from .forms import STEP_FORMS, CodeForm, RecordForm, SubmitForm
from .proposals import proposals_pdf


def _collecting_congress():
    today = timezone.localdate()
    return Congress.objects.filter(proposals_open_on__lte=today, proposals_close_on__gte=today).first()


@login_required
def tracker_mine(request):
    member = member_for_user(request.user)
    return render(request, "voice/tracker/mine.html", {
        "items": selectors.items_for_member(member), "member": member,
        "can_follow": access.can_follow_tracker(request.user), "congress": _collecting_congress()})


@login_required
@require_http_methods(["GET", "POST"])
def tracker_new(request):
    member = member_for_user(request.user)
    if member is None:
        raise Http404
    congress = _collecting_congress()
    form = SubmitForm(request.POST or None, request.FILES or None, congress=congress)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item, code = submit_once(request, scope="voice.tracker_new", url=request.path, perform=lambda: (
                services.item_submit(member=member, source=data["source"], title=data["title"], text=data["text"],
                                     category=data["category"], anonymous=data["anonymous"], congress=congress,
                                     upload=data["attach"], actor=request.user)))
        except AlreadySubmitted as repeated:
            return repeated.response(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if code:  # shown on this page once: only its hash is kept
                return render(request, "voice/tracker/code.html", {"code": code, "item": item})
            messages.success(request, _("Thank you: your item was received."))
            return redirect("voice:tracker_item", pk=item.pk)
    return render(request, "voice/tracker/new.html", {"form": form, "congress": congress})


@require_http_methods(["GET", "POST"])
def tracker_follow(request):
    """An anonymous item followed with its code, without logging in (the code travels in the POST body only)."""
    form = CodeForm(request.POST or None)
    item = rate_form = None
    if request.method == "POST" and form.is_valid():
        try:
            item = access.item_for_code(form.cleaned_data["code"])
        except Http404:
            form.add_error("code", _("No item has this code."))
        else:
            rate_form = STEP_FORMS["rate"](request.POST if "rating" in request.POST else None)
            if rate_form.is_bound and rate_form.is_valid():
                try:
                    item = services.item_rate(item=item, rating=rate_form.cleaned_data["rating"],
                                              comment=rate_form.cleaned_data["comment"], actor=None)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, _("Thank you: your rating was recorded."))
                rate_form = STEP_FORMS["rate"]()
    return render(request, "voice/tracker/follow.html", {"form": form, "item": item, "rate_form": rate_form,
                                                         "steps": item.steps.all() if item else []})


@login_required
def tracker_item(request, pk):
    item = access.item_for_user(user=request.user, pk=pk)
    member = member_for_user(request.user)
    allowed = access.steps_allowed(request.user, item)
    forms = {name: (STEP_FORMS[name](item=item) if name == "review" else STEP_FORMS[name]())
             for name in sorted(allowed) if name in STEP_FORMS}
    own = member is not None and item.member_id == member.pk and not item.is_talk
    return render(request, "voice/tracker/item.html", {
        "item": item, "steps": item.steps.select_related("actor__member"), "attachments": item.attachments.all(),
        "forms": forms, "allowed": allowed, "own": own,
        "rate_form": STEP_FORMS["rate"]() if own and item.state == Item.State.ANSWERED else None,
        "staff": access.can_follow_tracker(request.user)})


def _run_step(step, item, data, user):
    if step == "accept":
        return services.item_accept(item=item, actor=user)
    if step == "decline":
        return services.item_decline(item=item, reason=data["reason"], actor=user)
    if step == "review":
        return services.proposal_review(item=item, outcome=data["outcome"], merged_into=data["merged_into"],
                                        note=data["note"], actor=user)
    if step == "assign":
        return services.item_assign(item=item, owner_user=data["owner_user"],
                                    owner_department=data["owner_department"], deadline=data["deadline"],
                                    actor=user)
    if step == "answer":
        return services.item_answer(item=item, answer=data["answer"], actor=user)
    if step == "rate":
        return services.item_rate(item=item, rating=data["rating"], comment=data["comment"], actor=user)
    return services.item_close(item=item, note=data["note"], actor=user)


STEPS = ("accept", "decline", "review", "assign", "answer", "rate", "close")


@login_required
@require_POST
def tracker_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    if step == "rate":
        item = access.rate_item_for_user(user=request.user, pk=pk)
    else:
        item = access.item_for_user(user=request.user, pk=pk)
        access.require_step(request.user, item, step)
    form_class = STEP_FORMS.get(step)
    form = (form_class(request.POST, item=item) if step == "review" else form_class(request.POST)) \
        if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("voice:tracker_item", pk=item.pk)
    try:
        _run_step(step, item, form.cleaned_data if form else {}, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recorded."))
    return redirect("voice:tracker_item", pk=item.pk)


@login_required
def tracker_manage(request):
    if not access.can_follow_tracker(request.user):
        raise Http404
    items = selectors.items_for_staff(request.user)
    state = request.GET.get("state", "")
    shown = selectors.items_shown(request.user, state)
    counts = selectors.state_counts(items)
    prompts = selectors.talk_prompts() if request.user.has_perm(selectors.TALK_PERM) else None
    return render(request, "voice/tracker/manage.html", {
        "items": shown[:200], "states": [(value, label, counts.get(value, 0)) for value, label in Item.State.choices],
        "state": state, "prompts": prompts, "can_record": request.user.has_perm("voice.add_item"),
        "can_handle": access.can_handle(request.user)})


@login_required
def tracker_export(request):
    """The list as on the page (the same state filter) as .xlsx for the chair; an anonymous item names nobody."""
    if not access.can_handle(request.user):
        raise Http404
    headers = [_("Received on"), _("Source"), pgettext("tracker", "Category"), pgettext("tracker", "Title"), _("State"), _("Member"), _("Owner"),
               _("Deadline"), _("Answers"), _("Member's rating")]
    workbook, sheet = new_sheet(_("Members' items"), headers=headers, widths=(12, 14, 14, 40, 12, 12, 20, 12, 8, 12))
    for item in selectors.items_shown(request.user, request.GET.get("state", "")):
        person = "" if item.anonymous or item.member is None else item.member.name
        owner = ", ".join(str(o) for o in (item.owner_department, getattr(item.owner_user, "member", None)) if o)
        values = [item.received_on.isoformat(), item.get_source_display(),
                  str(item.category) if item.category else "", item.title, item.get_state_display(), person, owner,
                  item.deadline.isoformat() if item.deadline else "", item.answer_count,
                  item.get_rating_display() if item.rating else ""]
        sheet.append([value_cell(sheet, v) for v in values])
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_MIMETYPE)
    response["Content-Disposition"] = 'attachment; filename="tracker-items.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tracker_record(request):
    if not request.user.has_perm("voice.add_item"):
        raise Http404
    form = RecordForm(request.POST or None, request.FILES or None, initial={
        "source": request.GET.get("source", Item.Source.RECEPTION), "member": request.GET.get("member")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = submit_once(request, scope="voice.tracker_record", url=request.path, perform=lambda: (
                services.item_record(source=data["source"], title=data["title"], text=data["text"],
                                     member=data["member"], category=data["category"], upload=data["attach"],
                                     actor=request.user)))
        except AlreadySubmitted as repeated:
            return repeated.response(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("voice:tracker_item", pk=item.pk)
    return render(request, "voice/tracker/record.html", {"form": form})


@login_required
def tracker_attachment(request, pk, attachment_pk):
    attachment = access.attachment_for_user(user=request.user, pk=pk, attachment_pk=attachment_pk)
    return attachment_response(attachment)


@login_required
def tracker_proposals(request):
    if not access.can_handle(request.user):
        raise Http404
    years = sorted({c.held_on.year for c in Congress.objects.all()}, reverse=True)
    return render(request, "voice/tracker/proposals.html", {"years": years})


@login_required
def tracker_proposals_pdf(request, year):
    if not access.can_handle(request.user):
        raise Http404
    filename, mimetype, data = proposals_pdf(year=year)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


