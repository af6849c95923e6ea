"""Building blocks for the apps' web pages: guarded views, list, detail and form pages.

Every app's `views.py` uses these, so lists filter, sort, page and export the same way
everywhere, forms show a service's domain errors on the right field, and each detail page
carries the record's history, comments and attachments.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access
from .errors import DomainError, NotFound, NotPermitted
from .http.pagination import text_search
from .registry import record_key
from .tabular import Column, export_response

__all__ = ["Column", "Filter", "company_view", "list_page", "detail_page", "form_page", "domain_error_page"]


def domain_error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotPermitted):
        from .services.audit import audit_security

        audit_security(
            actor=request.user,
            company=getattr(request, "company", None),
            action="permission_denied",
            detail={"path": request.path, **{k: str(v) for k, v in exc.extra.items()}},
        )
    return render(request, "web/error.html", {"error": exc, "title": str(exc.message)}, status=exc.status)


def company_view(*, perm: str | None = None, module: str | None = None) -> Callable:
    """Signed in, working in a company that has the module on, holding the permission.

    Domain errors raised by the view become an error page with their status (404, 403, ...).
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request, "company", None) is None:
                return render(request, "web/no_company.html", status=403)
            try:
                access.require_module(request.company, module)
                if perm:
                    access.require_perm(request.user, request.company, perm)
                return view(request, *args, **kwargs)
            except DomainError as exc:
                return domain_error_page(request, exc)

        return wrapper

    return decorate


def run_action(
    request: HttpRequest, run: Callable[[], Any], redirect_to: str, done: Callable[[], Any] | None = None
) -> HttpResponse:
    """Run one action service for a button; a business error becomes a message on the page the
    button was on, a missing record or a refused permission the usual error page."""
    try:
        run()
    except DomainError as exc:
        if isinstance(exc, NotFound | NotPermitted):
            return domain_error_page(request, exc)
        messages.error(request, str(exc.message))
        for errors in exc.fields.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        if done is not None:
            messages.success(request, str(done()))
    return redirect(redirect_to)


def document_action(
    *,
    access_one: Callable[..., Any],
    service: Callable[..., Any],
    param: str,
    detail: str,
    perm: str | None = None,
    module: str | None = None,
    done: Callable[[], Any] | None = None,
) -> Callable:
    """The POST view of one button on a document page (confirm, ship, post, cancel ...): finds
    the document through its `access_*`, calls `service(actor=, company=, <param>=document)`,
    then returns to the page named `detail`."""

    @require_POST
    @company_view(perm=perm, module=module)
    def view(request: HttpRequest, pk: Any) -> HttpResponse:
        document = access_one(user=request.user, company=request.company, id=pk)
        return run_action(
            request,
            lambda: service(actor=request.user, company=request.company, **{param: document}),
            reverse(detail, args=[pk]),
            done,
        )

    return view


def post_action(label: Any, url: str, css: str = "") -> dict:
    """A button of a detail page that posts to `url`."""
    return {"label": label, "url": url, "method": "post", "css": css}


@dataclass(frozen=True)
class Filter:
    """A list filter: a query parameter, its label and choices, applied as `lookup=value`."""

    param: str
    label: Any
    choices: Sequence[tuple[str, Any]]
    lookup: str = ""

    def apply(self, qs: models.QuerySet, value: str) -> models.QuerySet:
        if value and value in {str(c[0]) for c in self.choices}:
            return qs.filter(**{self.lookup or self.param: value})
        return qs


@dataclass
class ListSpec:
    title: Any
    columns: Sequence[Column]
    search_fields: Sequence[str] = ()
    ordering_fields: Sequence[str] = ()
    default_ordering: str = "-created_at"
    filters: Sequence[Filter] = ()
    create_url: str | None = None
    import_url: str | None = None
    export_name: str = "export"
    row_url: Callable[[Any], str] | None = None
    page_size: int = 25
    extra: dict[str, Any] = field(default_factory=dict)


def list_page(request: HttpRequest, qs: models.QuerySet, spec: ListSpec) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    qs = text_search(qs, q, spec.search_fields)
    active_filters = {}
    for f in spec.filters:
        value = request.GET.get(f.param, "")
        qs = f.apply(qs, value)
        active_filters[f.param] = value
    ordering = request.GET.get("ordering", "")
    if ordering.lstrip("-") in spec.ordering_fields:
        qs = qs.order_by(ordering, "pk")
    else:
        ordering = spec.default_ordering
        qs = qs.order_by(spec.default_ordering, "pk")
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return export_response(
            actor=request.user,
            company=request.company,
            name=spec.export_name,
            columns=spec.columns,
            rows=qs.iterator(chunk_size=500),
            fmt=fmt,
        )
    paginator = Paginator(qs, spec.page_size)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "obj": obj,
            "url": spec.row_url(obj) if spec.row_url else "",
            "cells": [(c, c.get(obj)) for c in spec.columns],
        }
        for obj in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {
        "spec": spec,
        "page": page,
        "rows": rows,
        "q": q,
        "ordering": ordering,
        "filters": active_filters,
        "query_string": params.urlencode(),
        "title": spec.title,
        **spec.extra,
    }
    template = "web/_list_table.html" if request.headers.get("HX-Request") else "web/list.html"
    return render(request, template, ctx)


def detail_page(
    request: HttpRequest,
    *,
    obj: models.Model,
    title: Any,
    fields: Sequence[tuple[Any, Any]],
    actions: Sequence[dict] = (),
    edit_url: str | None = None,
    back_url: str | None = None,
    sections: Sequence[dict] = (),
    template: str = "web/detail.html",
) -> HttpResponse:
    """A record page: its fields, its actions, then history, comments and attachments."""
    from .models import AuditEntry

    history = AuditEntry.objects.filter(
        company=request.company, object_type=record_key(obj), object_id=str(obj.pk)
    ).order_by("-at")[:50]
    ctx = {
        "obj": obj,
        "title": title,
        "fields": fields,
        "actions": actions,
        "edit_url": edit_url,
        "back_url": back_url,
        "history": history,
        "sections": sections,
        "record_key": record_key(obj),
    }
    return render(request, template, ctx)


def form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    title: Any,
    on_valid: Callable[[dict], Any],
    success_url: Callable[[Any], str],
    back_url: str | None = None,
    template: str = "web/form.html",
) -> HttpResponse:
    """Render a form; on a valid POST call the service, showing its domain errors on the form."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = on_valid(form.cleaned_data)
            except DomainError as exc:
                if isinstance(exc, (NotFound, NotPermitted)):
                    return domain_error_page(request, exc)
                attach_errors(form, exc)
            else:
                from django.contrib import messages

                messages.success(request, _("Saved."))
                return redirect(success_url(result))
        status = 400
    return render(request, template, {"form": form, "title": title, "back_url": back_url}, status=status)


def attach_errors(form: forms.Form, exc: DomainError) -> None:
    if not exc.fields:
        form.add_error(None, str(exc.message))
    for name, errors in exc.fields.items():
        target = name.removesuffix("_id") if name.removesuffix("_id") in form.fields else name
        for error in errors:
            form.add_error(target if target in form.fields else None, str(error))
