"""Read-only pages of the books for the treasurer, the chair and the audit committee: the voucher list with
filters and search, one voucher with its lines and the spending it booked, and budget vs actual. Writes happen in
the admin console (finance/books/admin.py) through the services."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from finance.models import Voucher

from . import exports, selectors
from .access import books_reader_check, source_url, voucher_for_user
from .forms import VoucherFilterForm


@login_required
def voucher_list(request):
    books_reader_check(request.user)
    form = VoucherFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    vouchers = selectors.voucher_list(year=filters.get("year"), month=filters.get("month"),
                                      state=filters.get("state"), account_code=filters.get("account"),
                                      search=filters.get("q"))
    if request.GET.get("export") == "xlsx":
        return _download(*exports.vouchers_xlsx(vouchers))
    page = Paginator(vouchers, 50).get_page(request.GET.get("page"))
    page.object_list = [(voucher, selectors.voucher_amount(voucher)) for voucher in page.object_list]
    return render(request, "finance/books/voucher_list.html", {
        "form": form, "page": page, "export_query": _export_query(request)})


def _export_query(request):
    """The list's query string with ``export=xlsx`` (and without the page): the export holds the filtered list."""
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "xlsx"
    return query.urlencode()


def _download(filename, mimetype, content):
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def voucher_detail(request, pk):
    voucher = voucher_for_user(user=request.user, pk=pk)
    return render(request, "finance/books/voucher_detail.html", {
        "voucher": voucher, "lines": voucher.lines.select_related("account"),
        "spendings": [(spending, source_url(request.user, spending.source)) for spending in
                      voucher.spendings.select_related("account", "source_type").prefetch_related("source")],
        "reversal": Voucher.objects.filter(reverses=voucher).select_related("fiscal_year").first(),
    })


@login_required
def budget_execution(request, year=None):
    books_reader_check(request.user)
    year = year or timezone.localdate().year
    if not 1900 <= year <= 9998:  # a date of that year must exist (datetime.date(year, 12, 31) and the day after)
        raise Http404
    as_of = None
    if request.GET.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            as_of = None
    rows = selectors.budget_vs_actual(year=year, as_of=as_of)
    as_of = as_of or datetime.date(year, 12, 31)
    if request.GET.get("export") == "xlsx":
        return _download(*exports.budget_xlsx(rows, year=year, as_of=as_of))
    return render(request, "finance/books/budget.html", {
        "year": year, "as_of": as_of, "rows": rows, "totals": selectors.budget_totals(rows),
        "export_query": _export_query(request)})
