"""Partner endpoints: /customers, /suppliers, /contacts, /addresses, /tags."""

import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from heyi.platform import access as platform_access
from heyi.platform.errors import ValidationFailed
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.schemas import ErrorOut, page_of
from heyi.platform.selectors import company_members

from . import access, selectors
from .models import Address, Contact, Tag
from .schemas import (
    AddressIn,
    AddressOut,
    AddressPatch,
    ContactIn,
    ContactOut,
    ContactPatch,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    TagIn,
    TagOut,
    TagPatch,
)
from .services import contacts as contact_services
from .services import partners as partner_services
from .services import tags as tag_services

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PARTNER_ORDERING = [
    "name",
    "code",
    "mnemonic",
    "created_at",
    "updated_at",
    "credit_limit",
    "province",
    "city",
]

router = Router(auth=api_auth(), tags=["partners"])


def _owner(company, owner_id: uuid.UUID | None):
    if owner_id is None:
        return None
    owner = company_members(company).filter(pk=owner_id).first()
    if owner is None:
        raise ValidationFailed(fields={"owner_id": [_("Not found.")]})
    return owner


def _tags(company, tag_ids: list[uuid.UUID]) -> list[Tag]:
    tags = list(Tag.objects.filter(company=company, pk__in=tag_ids))
    if len(tags) != len(set(tag_ids)):
        raise ValidationFailed(fields={"tag_ids": [_("Not found.")]})
    return tags


def _payload_names(fn: Callable[[], Any]) -> Any:
    """Report the service's `owner` / `tags` errors under the names the payload used."""
    try:
        return fn()
    except ValidationFailed as exc:
        rename = {"owner": "owner_id", "tags": "tag_ids"}
        exc.fields = {rename.get(k, k): v for k, v in exc.fields.items()}
        raise


def _partner_endpoints(path: str, kind: str) -> None:
    """The same five endpoints for customers and for suppliers: one record, two doors."""
    flag = access.KIND_FIELD[kind]

    @router.get(f"/{path}", response=page_of(PartnerOut), operation_id=f"{path}_list")
    def partner_list(
        request: HttpRequest,
        q: str = "",
        tag: uuid.UUID | None = None,
        owner: uuid.UUID | None = None,
        is_active: bool | None = None,
        province: str = "",
        city: str = "",
        ordering: str = "name",
    ):
        """Search by name, code, pinyin initials or phone; filter by tag, owner, active, place."""
        platform_access.require_perm(request.actor, request.company, access.VIEW[kind])
        qs = selectors.partner_list(
            user=request.actor,
            company=request.company,
            kind=kind,
            q=q,
            tag=tag,
            owner=owner,
            is_active=is_active,
            province=province[:50],
            city=city[:50],
        )
        return paginate(request, ordered(qs, ordering, PARTNER_ORDERING, "name"))

    @router.get(
        f"/{path}/{{partner_id}}", response={200: PartnerOut, **ERRORS}, operation_id=f"{path}_detail"
    )
    def partner_detail(request: HttpRequest, partner_id: uuid.UUID):
        return access.access_partner(user=request.actor, company=request.company, id=partner_id, kind=kind)

    @router.post(f"/{path}", response={201: PartnerOut, **ERRORS}, operation_id=f"{path}_create")
    def partner_create(request: HttpRequest, payload: PartnerIn):
        c = request.company
        data = payload.dict(exclude={"tag_ids", "owner_id"})
        data[flag] = True
        for other in access.KIND_FIELD.values():
            data[other] = bool(data[other])
        partner = _payload_names(
            lambda: partner_services.partner_create(
                actor=request.actor,
                company=c,
                owner=_owner(c, payload.owner_id),
                tags=_tags(c, payload.tag_ids),
                **data,
            )
        )
        return Status(201, partner)

    @router.patch(
        f"/{path}/{{partner_id}}", response={200: PartnerOut, **ERRORS}, operation_id=f"{path}_update"
    )
    def partner_update(request: HttpRequest, partner_id: uuid.UUID, payload: PartnerPatch):
        c = request.company
        partner = access.access_partner(user=request.actor, company=c, id=partner_id, kind=kind)
        data = payload.dict(exclude_unset=True)
        version = data.pop("version")
        if "owner_id" in data:
            data["owner"] = _owner(c, data.pop("owner_id"))
        if "tag_ids" in data:
            tag_ids = data.pop("tag_ids")
            data["tags"] = _tags(c, tag_ids) if tag_ids is not None else None
        return _payload_names(
            lambda: partner_services.partner_update(
                actor=request.actor, company=c, partner=partner, data=data, version=version
            )
        )

    @router.post(
        f"/{path}/{{partner_id}}/deactivate",
        response={200: PartnerOut, **ERRORS},
        operation_id=f"{path}_deactivate",
    )
    def partner_deactivate(request: HttpRequest, partner_id: uuid.UUID):
        """Retire the partner; its history and documents stay."""
        partner = access.access_partner(user=request.actor, company=request.company, id=partner_id, kind=kind)
        return partner_services.partner_deactivate(
            actor=request.actor, company=request.company, partner=partner
        )


_partner_endpoints("customers", access.CUSTOMER)
_partner_endpoints("suppliers", access.SUPPLIER)


def _visible_partner_ids(request: HttpRequest):
    return access.partners_visible(user=request.actor, company=request.company).values("pk")


@router.get("/contacts", response=page_of(ContactOut))
def contact_list(request: HttpRequest, partner: uuid.UUID | None = None, q: str = "", ordering: str = "name"):
    """Contacts of the partners the caller may see; `?partner=` for one partner's people."""
    qs = Contact.objects.filter(company=request.company, partner__in=_visible_partner_ids(request))
    if partner is not None:
        qs = qs.filter(partner_id=partner)
    qs = text_search(qs, q, ["name", "mnemonic", "phone", "mobile", "email"])
    return paginate(request, ordered(qs, ordering, ["name", "created_at", "is_primary"], "name"))


@router.get("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_detail(request: HttpRequest, contact_id: uuid.UUID):
    return access.access_contact(user=request.actor, company=request.company, id=contact_id)


@router.post("/contacts", response={201: ContactOut, **ERRORS})
def contact_create(request: HttpRequest, payload: ContactIn):
    c = request.company
    partner = access.access_partner(user=request.actor, company=c, id=payload.partner_id)
    data = payload.dict(exclude={"partner_id"})
    return Status(
        201, contact_services.contact_create(actor=request.actor, company=c, partner=partner, **data)
    )


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_update(request: HttpRequest, contact_id: uuid.UUID, payload: ContactPatch):
    contact = access.access_contact(user=request.actor, company=request.company, id=contact_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return contact_services.contact_update(
        actor=request.actor, company=request.company, contact=contact, data=data, version=version
    )


@router.delete("/contacts/{contact_id}", response={204: None, **ERRORS})
def contact_delete(request: HttpRequest, contact_id: uuid.UUID):
    contact = access.access_contact(user=request.actor, company=request.company, id=contact_id)
    contact_services.contact_delete(actor=request.actor, company=request.company, contact=contact)
    return Status(204, None)


@router.get("/addresses", response=page_of(AddressOut))
def address_list(
    request: HttpRequest, partner: uuid.UUID | None = None, kind: str = "", ordering: str = "kind"
):
    qs = Address.objects.filter(company=request.company, partner__in=_visible_partner_ids(request))
    if partner is not None:
        qs = qs.filter(partner_id=partner)
    if kind:
        qs = qs.filter(kind=kind[:10])
    return paginate(request, ordered(qs, ordering, ["kind", "city", "created_at", "is_default"], "kind"))


@router.get("/addresses/{address_id}", response={200: AddressOut, **ERRORS})
def address_detail(request: HttpRequest, address_id: uuid.UUID):
    return access.access_address(user=request.actor, company=request.company, id=address_id)


@router.post("/addresses", response={201: AddressOut, **ERRORS})
def address_create(request: HttpRequest, payload: AddressIn):
    c = request.company
    partner = access.access_partner(user=request.actor, company=c, id=payload.partner_id)
    data = payload.dict(exclude={"partner_id"})
    return Status(
        201, contact_services.address_create(actor=request.actor, company=c, partner=partner, **data)
    )


@router.patch("/addresses/{address_id}", response={200: AddressOut, **ERRORS})
def address_update(request: HttpRequest, address_id: uuid.UUID, payload: AddressPatch):
    address = access.access_address(user=request.actor, company=request.company, id=address_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return contact_services.address_update(
        actor=request.actor, company=request.company, address=address, data=data, version=version
    )


@router.delete("/addresses/{address_id}", response={204: None, **ERRORS})
def address_delete(request: HttpRequest, address_id: uuid.UUID):
    address = access.access_address(user=request.actor, company=request.company, id=address_id)
    contact_services.address_delete(actor=request.actor, company=request.company, address=address)
    return Status(204, None)


@router.get("/tags", response=page_of(TagOut))
def tag_list(request: HttpRequest, q: str = "", ordering: str = "name"):
    qs = text_search(access.tags_visible(user=request.actor, company=request.company), q, ["name"])
    return paginate(request, ordered(qs, ordering, ["name", "created_at"], "name"))


@router.get("/tags/{tag_id}", response={200: TagOut, **ERRORS})
def tag_detail(request: HttpRequest, tag_id: uuid.UUID):
    return access.access_tag(user=request.actor, company=request.company, id=tag_id)


@router.post("/tags", response={201: TagOut, **ERRORS})
def tag_create(request: HttpRequest, payload: TagIn):
    return Status(
        201, tag_services.tag_create(actor=request.actor, company=request.company, **payload.dict())
    )


@router.patch("/tags/{tag_id}", response={200: TagOut, **ERRORS})
def tag_update(request: HttpRequest, tag_id: uuid.UUID, payload: TagPatch):
    tag = access.access_tag(user=request.actor, company=request.company, id=tag_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return tag_services.tag_update(
        actor=request.actor, company=request.company, tag=tag, data=data, version=version
    )


@router.delete("/tags/{tag_id}", response={204: None, **ERRORS})
def tag_delete(request: HttpRequest, tag_id: uuid.UUID):
    tag = access.access_tag(user=request.actor, company=request.company, id=tag_id)
    tag_services.tag_delete(actor=request.actor, company=request.company, tag=tag)
    return Status(204, None)
