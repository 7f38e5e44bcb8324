"""Admin pages that confirm, then call a service (docs/architecture.md, "Conventions").

One shape for every such page, whether it is a bulk action of a change list or a button on an object's page:

- the permission is declared on the entry point (``permission=``), checked before anything is shown or written:
  ``PermissionDenied`` (403) otherwise. A bulk action usually declares it on ``@admin.action(permissions=…)``
  instead, which Django checks before the action runs;
- the first request shows the confirmation page with the form (a form without fields is just the button);
- the answer binds the form, whose clean step validates; ``perform(data)`` makes the one service call;
- a refusal (``ValidationError`` from the service) is shown on the confirmation page, and nothing is written;
- done: the success message, then back to the change list (a bulk action) or on to ``done_url``;
- a page that records money or sends messages names itself with ``once=`` and is submitted once
  (``core.idempotency``): the page carries a one-time token, and a second submit of it (a double click, a reload)
  writes nothing and goes where the first one went, saying so.

The generic page is ``templates/admin/confirm_action.html``; a page of its own extends it and fills its blocks
(``explanation``, ``fields``, ``submit_label`` …). Without a page of its own, it says what will happen in numbers:
``question`` (a sentence with the count, and for money the total) above ``listings``, each a ``listed(…)`` of who or
what is concerned, truncated with a count (issue 12: a bulk write says how many rows and which before it is done).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext

from .idempotency import AlreadySubmitted, submit_once
from .punctuation import labelled

TEMPLATE = "admin/confirm_action.html"
#: The field a bulk action's confirmation page posts back, so the second request is told from the first.
CONFIRMED = "confirmed"


#: How many names a confirmation page lists before it says "and N more".
LISTED = 50


def listed(items, *, heading, limit=LISTED):
    """A listing for the confirmation page: ``heading`` (e.g. "Who gets an account (12)"), the first ``limit``
    items (their ``str``, or ``(text, note)`` pairs), and how many more there are."""
    items = list(items)
    return {"heading": heading, "items": [item if isinstance(item, tuple) else (str(item), "") for item in
                                          items[:limit]], "count": len(items), "more": max(0, len(items) - limit)}


class ConfirmForm(forms.Form):
    """A confirmation without fields: pressing the button is the answer."""


def confirm_action(modeladmin, request, queryset=None, *, title, perform, success, template=TEMPLATE,
                   form_class=ConfirmForm, form_kwargs=None, obj=None, permission=None, done_url=None,
                   context=None, confirmed_field=CONFIRMED, on_refusal=None, once=None, result_page=None):
    """Show a confirmation page, and on the answer validate the form and call the service.

    ``queryset``: given for a bulk action (the selected rows); the page posts the action and the selection back
    with ``confirmed_field``, and only that second request binds the form. Without it (a view of its own, e.g. a
    button on ``obj``'s page) a POST is the answer.
    ``permission``: a permission codename, or a predicate ``permission(request)``; refused with 403.
    ``perform(data)``: the one service call, with the form's ``cleaned_data``; returns the result (or nothing).
    A ``ValidationError`` it raises is the refusal: added to the form's errors (or handed to
    ``on_refusal(refusal, form)``, which returns extra context for the page) and shown there.
    ``success``: the message after it is done, a text or ``success(result)``.
    ``done_url``: where to go afterwards, a URL or ``done_url(result)``; default: back to the change list.
    ``context``: what the page needs besides ``title``, ``opts``, ``original`` (``obj``), ``form`` and, for a bulk
    action, ``queryset``, ``action``, ``selected``, ``action_checkbox_name`` and ``confirmed_field``: a dict, or
    ``context()`` returning one, called only when the page is shown (after a refusal, it sees the state as it is).
    ``once``: the form's name for ``core.idempotency.submit_once``: the answer must carry the page's one-time token
    and is carried out once per token.
    ``result_page``: ``result_page(result)`` returns the response shown once it is done, instead of going back
    (e.g. activation codes, which are shown only once).
    """
    if isinstance(permission, str):
        allowed = request.user.has_perm(permission)
    else:
        allowed = permission is None or permission(request)
    if not allowed:
        raise PermissionDenied
    answered = request.method == "POST" and (queryset is None or confirmed_field in request.POST)
    form = form_class(request.POST if answered else None, **(form_kwargs or {}))
    extra = {}
    if answered and form.is_valid():
        def done_at(result):
            url = done_url(result) if callable(done_url) else done_url
            return url or _changelist_url(modeladmin)

        try:
            with transaction.atomic():  # a refusal leaves nothing written, even if the service wrote first
                if once:
                    result = submit_once(request, scope=once, perform=lambda: perform(form.cleaned_data),
                                         url=done_at)
                else:
                    result = perform(form.cleaned_data)
        except AlreadySubmitted as first:
            modeladmin.message_user(request, first.message, messages.INFO)
            return HttpResponseRedirect(first.url or _changelist_url(modeladmin))
        except ValidationError as refusal:
            if on_refusal is None:
                form.add_error(None, refusal)
            else:
                extra = on_refusal(refusal, form) or {}
        else:
            modeladmin.message_user(request, success(result) if callable(success) else success, messages.SUCCESS)
            if result_page is not None:
                return result_page(result)
            url = done_url(result) if callable(done_url) else done_url
            if url is None and queryset is not None:
                return None  # the admin goes back to the change list
            return HttpResponseRedirect(url or _changelist_url(modeladmin))
    page = {**modeladmin.admin_site.each_context(request), "title": title, "opts": modeladmin.model._meta,
            "original": obj, "form": form}
    if queryset is not None:
        page.update(queryset=queryset, action=request.POST.get("action", ""),
                    selected=request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                    action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME, confirmed_field=confirmed_field)
    page.update((context() if callable(context) else context) or {}, **extra)
    return TemplateResponse(request, template, page)


def confirm_each(modeladmin, request, queryset, *, title, question, service, success, heading, skip=None, **kwargs):
    """A bulk action that runs ``service(obj, data)`` on each selected row, after a confirmation page that says
    ``question(count)`` and lists the rows under ``heading``. All or nothing: if any row is refused, none is done
    (``confirm_action``'s transaction) and every refusal is shown on the page with the row's name.
    ``skip(obj)``: why a row is left as it is (published already, closed already …) or None; the page lists those
    rows apart with the reason before anyone confirms, and the action runs on the others (nothing to do: back to the
    list with a message).
    ``success(count)``: the message. Other keyword arguments go to ``confirm_action`` (``form_class``, ``once`` …).
    """
    objects, skipped = [], []
    for obj in queryset:
        reason = skip(obj) if skip is not None else None
        if reason:
            skipped.append((str(obj), str(reason)))
        else:
            objects.append(obj)
    if not objects:
        modeladmin.message_user(request, ngettext(
            "Nothing to do: the selected row is left as it is (%(reason)s).",
            "Nothing to do: every selected row is left as it is (%(reason)s).", len(skipped))
            % {"reason": "; ".join(sorted({reason for _text, reason in skipped}))}, messages.WARNING)
        return None

    def perform(data):
        refusals = []
        for obj in objects:
            try:
                service(obj, data)
            except ValidationError as refusal:
                refusals.extend(labelled(obj, message) for message in refusal.messages)
        if refusals:
            raise ValidationError(refusals)
        return len(objects)

    context = kwargs.pop("context", {})
    listings = [listed(objects, heading=heading)]
    if skipped:
        listings.append(listed(skipped, heading=ngettext("Left as it is (%(count)d)", "Left as they are (%(count)d)",
                                                         len(skipped)) % {"count": len(skipped)}))
    return confirm_action(modeladmin, request, queryset, title=title, perform=perform, success=success,
                          context={"question": question(len(objects)), "listings": listings, **context}, **kwargs)


def _changelist_url(modeladmin):
    opts = modeladmin.model._meta
    return reverse(f"{modeladmin.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
