"""Search, comments and attachments on any registered record (filled in by the platform services)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heyi.platform.webkit import company_view


@company_view()
def search(request: HttpRequest) -> HttpResponse:
    return render(request, "web/search.html", {"results": [], "search_q": request.GET.get("q", "")})


@company_view()
def comments(request: HttpRequest, key: str, pk) -> HttpResponse:
    return HttpResponse("")


@company_view()
def attachments(request: HttpRequest, key: str, pk) -> HttpResponse:
    return HttpResponse("")
