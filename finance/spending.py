"""The one door through which other apps put spending into the books.

Welfare (慰问 gifts, hardship aid, 送温暖) and activities call `spending_record` inside their own transaction
when they pay something out; the treasurer later posts recorded spending to a voucher (finance.books.services).
The payout and its spending are saved together or not at all, so nothing is paid out off the books.

The books learn what a spending's source can be from registrations: the source's app calls `register_source` in
its ``ready()`` (activities registers its activities, whose costs the treasurer records in the console), so finance
never imports that app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.money import check_fen

from .books.services import LineInput, opened_year_check, voucher_create, voucher_post
from .budgets.selectors import budget_findings
from .budgets.services import held_withdraw, over_budget_request
from .models import Account, AccountKind, OverBudgetApproval, Spending, SpendingState, Voucher


@dataclass(frozen=True)
class SpendingSource:
    """A kind of payout whose cost the treasurer records in the console: its model, how it is named on the form,
    and which of its objects are offered."""

    model: type
    label: str
    choices: Callable


_SOURCES: dict[str, SpendingSource] = {}


def _key(model) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def register_source(model, *, label=None, choices=None) -> None:
    """Offer `model`'s objects as sources of recorded spending: `label` names them on the form (default: the
    model's verbose name), `choices()` returns the queryset offered (default: all of them). Called by the source's
    app in its ``ready()``."""
    _SOURCES[_key(model)] = SpendingSource(model, label or model._meta.verbose_name,
                                           choices or model._default_manager.all)


def source_choices(model):
    """The objects offered as sources of kind `model` (a model or its "app_label.model_name"); none when that kind
    is not registered."""
    source = _SOURCES.get(_key(model))
    if source is None:
        return Spending.objects.none()
    return source.choices()


def source_label(model, default=""):
    """How sources of kind `model` are named on forms (`default` when that kind is not registered)."""
    source = _SOURCES.get(_key(model))
    return source.label if source is not None else default


def spending_record(*, source, amount: Decimal, account_code: str, spent_on, summary: str, actor,
                    occasion: str = "") -> Spending:
    """Record that `source` (a saved model instance) paid out `amount` on `spent_on`, chargeable to the
    expense account `account_code` (e.g. "50105" 会员活动, "50301" 困难职工帮扶).

    One spending per source. Raises ValidationError (in the user's language) for an unknown or inactive
    account, a non-expense account, or an amount that is not a positive sum in fen.
    """
    amount = check_fen(amount, message=_("A spending amount must be a positive sum in yuan and fen, not %(amount)s.")
                       % {"amount": Decimal(amount)})
    account = Account.objects.filter(code=account_code, is_active=True).first()
    if account is None:
        raise ValidationError(_("There is no account %(code)s in use in the chart of accounts.")
                              % {"code": account_code})
    if account.kind != AccountKind.EXPENSE:
        raise ValidationError(_("Account %(account)s is not an expense account.") % {"account": account})
    opened_year_check(spent_on)  # a payout is dated in a year the treasurer opened
    try:
        with transaction.atomic(), audit_context(actor=actor):
            return Spending.objects.create(
                source_type=ContentType.objects.get_for_model(source), source_id=source.pk, account=account,
                amount=amount, spent_on=spent_on, summary=summary[:200], occasion=occasion[:50], recorded_by=actor,
            )
    except IntegrityError:  # one spending per source: a second submit of the same payout (double click, race)
        raise ValidationError(_("Spending for this is recorded already.")) from None


def _counting(model):
    """The spendings that count for sources of ``model``: not one whose voucher was reversed (it is recorded again)."""
    return (Spending.objects.select_related("account", "voucher__fiscal_year")
            .filter(source_type=ContentType.objects.get_for_model(model)).exclude(state=SpendingState.REVERSED))


def spendings_for(sources):
    """{source pk: spending} for `sources` (instances of one model): for each the spending that counts (as
    ``spending_for``), with ``spending.refusal``: the chair's refusal of a held posting that included it — the
    latest request, declined, with who, when and why — while it still waits to be posted and has not been held
    for the chair again since (else None). The source's page shows it, so whoever recorded the payout sees where it
    stands without asking the treasurer. Two queries, whatever the number of sources."""
    sources = list(sources)
    if not sources:
        return {}
    latest_first = OverBudgetApproval.objects.select_related("declined_by__member").order_by("-requested_at", "-pk")
    found = (_counting(type(sources[0])).filter(source_id__in=[s.pk for s in sources])
             .prefetch_related(Prefetch("held_requests", queryset=latest_first)))
    spendings = {}
    for spending in found:
        latest = next(iter(spending.held_requests.all()), None)
        spending.refusal = latest if (spending.state == SpendingState.RECORDED and latest is not None
                                      and latest.is_declined) else None
        spendings[spending.source_id] = spending
    return spendings


def spending_for(source) -> Spending | None:
    """The spending recorded for `source` that counts (not one whose voucher was reversed), or None."""
    return _counting(type(source)).filter(source_id=source.pk).first()


def spending_cancel(*, spending: Spending, actor) -> Spending:
    """Withdraw a spending that is not yet in the books (the payout it stood for was undone).

    Posted spending cannot be cancelled: it is corrected by a reversing voucher in finance.
    """
    with transaction.atomic(), audit_context(actor=actor):
        spending = Spending.objects.select_for_update().get(pk=spending.pk)
        if spending.state != SpendingState.RECORDED:
            raise ValidationError(_("This spending is already in the books; correct it with a reversing voucher."))
        spending.state = SpendingState.CANCELLED
        spending.save(update_fields=["state"])
        held_withdraw(spending=spending)  # a held posting that included it can no longer be made as asked
        return spending


def spending_post(*, spendings, date, actor, credit_account_code: str = "102") -> Voucher:
    """Book recorded spending in one voucher dated `date`: one debit line per expense account and occasion (the sum
    of its spending, the occasion on the line, so the books know what each holiday's gifts cost), one credit line
    on `credit_account_code` (102 银行存款 by default, 101 库存现金 for cash), posted at
    once; each spending then points at the voucher. Subject to the budget check of finance.books.services.voucher_post
    (raises finance.budgets.services.BudgetExceeded with the figures unless the chair approved the excess).
    """
    with transaction.atomic(), audit_context(actor=actor):
        locked = list(Spending.objects.select_for_update().select_related("account")
                      .filter(pk__in=[spending.pk for spending in spendings]).order_by("spent_on", "pk"))
        _check_postable(locked)
        lines, summary = _voucher_lines(locked, credit_account_code)
        voucher = voucher_post(voucher=voucher_create(date=date, summary=summary, lines=lines, actor=actor),
                               actor=actor)
        for spending in locked:
            spending.voucher, spending.state = voucher, SpendingState.POSTED
            spending.save(update_fields=["voucher", "state"])
    return voucher


def _check_postable(spendings):
    if not spendings:
        raise ValidationError(_("Choose the spending to post."))
    if any(spending.state != SpendingState.RECORDED for spending in spendings):
        raise ValidationError(_("Only recorded spending that is not yet in the books can be posted."))


def _voucher_lines(spendings, credit_account_code):
    """The lines and summary of the voucher that books `spendings` (in date order)."""
    per_line = {}  # one debit line per expense account and occasion (the occasion is an analysis item)
    for spending in spendings:
        per_line.setdefault((spending.account.code, spending.occasion), []).append(spending)
    lines = [LineInput(code, debit=sum((s.amount for s in items), Decimal("0")), occasion=occasion,
                       summary=_("%(count)d payouts: %(first)s") % {"count": len(items), "first": items[0].summary}
                       if len(items) > 1 else items[0].summary)
             for (code, occasion), items in sorted(per_line.items())]
    total = sum((spending.amount for spending in spendings), Decimal("0"))
    lines.append(LineInput(credit_account_code, credit=total))
    return lines, _voucher_summary(spendings)


def _voucher_summary(spendings):
    """The summary of the voucher that books `spendings` (in date order); a held posting is named by it too."""
    return (spendings[0].summary if len(spendings) == 1
            else _("Spending %(first)s … %(last)s (%(count)d payouts)")
            % {"first": spendings[0].spent_on, "last": spendings[-1].spent_on, "count": len(spendings)})


def spending_hold(*, spendings, date, reason: str, actor):
    """Hold recorded spending whose posting on `date` was refused by the budget check for the chair
    (finance.budgets.services.over_budget_request): the same findings as posting it would give, named by the
    voucher summary it would get. Returns the requests; the spending stays recorded until it is posted."""
    locked = list(Spending.objects.select_related("account").filter(pk__in=[spending.pk for spending in spendings])
                  .order_by("spent_on", "pk"))
    _check_postable(locked)
    findings = budget_findings(year=date.year, lines=[(spending.account_id, spending.amount) for spending in locked])
    return over_budget_request(year=date.year, findings=findings, subject=_voucher_summary(locked), reason=reason,
                               actor=actor, spendings=locked)
