"""Request checks every app relies on."""

from django.http import HttpResponseBadRequest


class RejectNulMiddleware:
    """A NUL character in a query string or a posted field is never a name, a number or a date, and PostgreSQL
    refuses text that holds one (a 500 wherever it reached a query): such a request gets 400 before any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest("NUL in the request")
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                  "multipart/form-data"):
            if any("\x00" in value for values in request.POST.lists() for value in values[1]):
                return HttpResponseBadRequest("NUL in the request")
        return self.get_response(request)
