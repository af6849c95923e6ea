"""The engine's pages: inboxes, a request with its flow, templates and delegations."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import access_instance


def instance_detail(request: HttpRequest, pk) -> HttpResponse:
    instance = access_instance(user=request.user, company=request.company, id=pk)  # type: ignore[attr-defined]
    return render(request, "approvals/instance_detail.html", {"instance": instance})
