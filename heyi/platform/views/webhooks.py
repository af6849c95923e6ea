"""Outgoing webhooks: subscriptions, their signing secret and their delivery log."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from ..forms import WebhookForm
from ..models import Webhook
from ..services import webhooks
from ..services.webhooks import MANAGE_WEBHOOKS
from ..webkit import Column, ListSpec, company_view, detail_page, form_page, list_page

FIELDS = ("url", "event_types", "description", "is_active")


@company_view(perm=MANAGE_WEBHOOKS)
def webhook_list(request: HttpRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Webhooks"),
        columns=[
            Column("url", _("URL"), link=True),
            Column("event_types", _("Events"), value=lambda w: ", ".join(w.event_types)),
            Column("description", _("Description")),
            Column("is_active", _("Active")),
            Column("created_at", _("Created at")),
        ],
        search_fields=["url", "description"],
        ordering_fields=["url", "created_at"],
        create_url=reverse("platform:webhook_create"),
        export_name="webhooks",
        row_url=lambda w: reverse("platform:webhook_detail", args=[w.pk]),
    )
    return list_page(request, Webhook.objects.filter(company=request.company), spec)


@company_view(perm=MANAGE_WEBHOOKS)
def webhook_detail(request: HttpRequest, pk) -> HttpResponse:
    webhook = webhooks.access_webhook(user=request.user, company=request.company, id=pk)
    return detail_page(
        request,
        obj=webhook,
        title=webhook.url,
        fields=[
            (_("URL"), webhook.url),
            (_("Events"), ", ".join(webhook.event_types)),
            (_("Description"), webhook.description),
            (_("Active"), webhook.is_active),
            (_("Signing secret"), webhook.secret),
            (
                _("Signature"),
                _(
                    "Header X-Heyi-Signature: sha256= followed by the hex HMAC-SHA256 of the body with the secret."
                ),
            ),
        ],
        actions=[
            {
                "label": _("New secret"),
                "url": reverse("platform:webhook_rotate_secret", args=[webhook.pk]),
                "method": "post",
            },
            {
                "label": _("Delete"),
                "url": reverse("platform:webhook_delete", args=[webhook.pk]),
                "method": "post",
                "css": "is-danger is-light",
            },
        ],
        edit_url=reverse("platform:webhook_edit", args=[webhook.pk]),
        back_url=reverse("platform:webhook_list"),
        sections=[
            {
                "title": pgettext("webhook", "Deliveries"),
                "template": "platform/_webhook_deliveries.html",
                "deliveries": webhook.deliveries.order_by("-created_at")[:50],
            }
        ],
    )


@company_view(perm=MANAGE_WEBHOOKS)
def webhook_create(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New webhook"),
        on_valid=lambda data: webhooks.webhook_create(
            actor=request.user, company=request.company, **{k: data[k] for k in FIELDS}
        ),
        success_url=lambda w: reverse("platform:webhook_detail", args=[w.pk]),
        back_url=reverse("platform:webhook_list"),
    )


@company_view(perm=MANAGE_WEBHOOKS)
def webhook_edit(request: HttpRequest, pk) -> HttpResponse:
    webhook = webhooks.access_webhook(user=request.user, company=request.company, id=pk)
    initial = {k: getattr(webhook, k) for k in FIELDS}
    form = WebhookForm(request.POST or None, initial={**initial, "version": webhook.version})
    return form_page(
        request,
        form=form,
        title=_("Edit webhook"),
        on_valid=lambda data: webhooks.webhook_update(
            actor=request.user,
            company=request.company,
            webhook=webhook,
            data={k: data[k] for k in FIELDS},
            version=data["version"],
        ),
        success_url=lambda w: reverse("platform:webhook_detail", args=[w.pk]),
        back_url=reverse("platform:webhook_detail", args=[webhook.pk]),
    )


@company_view(perm=MANAGE_WEBHOOKS)
@require_POST
def webhook_rotate_secret(request: HttpRequest, pk) -> HttpResponse:
    webhook = webhooks.access_webhook(user=request.user, company=request.company, id=pk)
    webhooks.webhook_secret_rotate(actor=request.user, company=request.company, webhook=webhook)
    messages.success(request, _("A new signing secret is in use; update the receiver."))
    return redirect("platform:webhook_detail", pk=webhook.pk)


@company_view(perm=MANAGE_WEBHOOKS)
@require_POST
def webhook_delete(request: HttpRequest, pk) -> HttpResponse:
    webhook = webhooks.access_webhook(user=request.user, company=request.company, id=pk)
    webhooks.webhook_delete(actor=request.user, company=request.company, webhook=webhook)
    messages.success(request, _("Deleted."))
    return redirect("platform:webhook_list")
