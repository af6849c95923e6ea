"""Outgoing webhooks: `/webhooks` (CRUD, for those who may manage webhooks) and their deliveries."""

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from . import access
from .http.auth import api_auth
from .http.pagination import paginate
from .models import Webhook
from .schemas import ErrorOut, page_of
from .services import webhooks
from .services.webhooks import MANAGE_WEBHOOKS

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

router = Router(auth=api_auth(), tags=["webhooks"])


class WebhookOut(Schema):
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str
    is_active: bool
    version: int
    created_at: datetime.datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(..., description="The signing secret, shown only in this response.")


class WebhookIn(Schema):
    url: str = Field(..., min_length=1, max_length=500)
    event_types: list[str] = Field(..., min_length=1, max_length=200, description='Event types, or ["*"].')
    description: str = Field("", max_length=200)
    is_active: bool = True


class WebhookPatch(Schema):
    version: int
    url: str | None = Field(None, min_length=1, max_length=500)
    event_types: list[str] | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=200)
    is_active: bool | None = None


class WebhookDeliveryOut(Schema):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: str
    attempts: int
    response_code: int | None
    error: str
    next_attempt_at: datetime.datetime
    delivered_at: datetime.datetime | None
    created_at: datetime.datetime


@router.get("/webhooks", response={200: page_of(WebhookOut), **ERRORS})
def webhook_list(request: HttpRequest):
    access.require_perm(request.actor, request.company, MANAGE_WEBHOOKS)
    return paginate(request, Webhook.objects.filter(company=request.company).order_by("-created_at", "pk"))


@router.post("/webhooks", response={201: WebhookCreatedOut, **ERRORS})
def webhook_create(request: HttpRequest, payload: WebhookIn):
    """Subscribe a URL to events. Each delivery is a POST of the event JSON with the header
    `X-Heyi-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`."""
    webhook = webhooks.webhook_create(actor=request.actor, company=request.company, **payload.dict())
    return Status(201, webhook)


@router.get("/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS})
def webhook_detail(request: HttpRequest, webhook_id: uuid.UUID):
    return webhooks.access_webhook(user=request.actor, company=request.company, id=webhook_id)


@router.patch("/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS})
def webhook_patch(request: HttpRequest, webhook_id: uuid.UUID, payload: WebhookPatch):
    webhook = webhooks.access_webhook(user=request.actor, company=request.company, id=webhook_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return webhooks.webhook_update(
        actor=request.actor, company=request.company, webhook=webhook, data=data, version=version
    )


@router.delete("/webhooks/{webhook_id}", response={204: None, **ERRORS})
def webhook_delete(request: HttpRequest, webhook_id: uuid.UUID):
    webhook = webhooks.access_webhook(user=request.actor, company=request.company, id=webhook_id)
    webhooks.webhook_delete(actor=request.actor, company=request.company, webhook=webhook)
    return Status(204, None)


@router.get("/webhooks/{webhook_id}/deliveries", response={200: page_of(WebhookDeliveryOut), **ERRORS})
def webhook_deliveries(request: HttpRequest, webhook_id: uuid.UUID, status: str = ""):
    """The delivery log, newest first."""
    webhook = webhooks.access_webhook(user=request.actor, company=request.company, id=webhook_id)
    qs = webhook.deliveries.filter(company=request.company)
    if status:
        qs = qs.filter(status=status[:10])
    return paginate(request, qs.order_by("-created_at", "pk"))
