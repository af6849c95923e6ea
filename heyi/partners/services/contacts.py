"""Contacts (people at a partner) and addresses (billing, shipping).

Both are changed by whoever may change their partner. The partner row is locked first, then
the contact or address, so the "one primary contact" and "one default address per kind" rules
hold under concurrent edits.
"""

from typing import Any

from django.db import transaction

from heyi.platform.models import Company, User
from heyi.platform.services.records import record_create, record_delete, record_update

from ..access import access_address, access_contact, access_partner, require_partner_manage
from ..models import Address, Contact, Partner
from .common import allowed

CONTACT_FIELDS = {"name", "title", "phone", "mobile", "email", "is_primary", "notes"}
ADDRESS_FIELDS = {
    "kind",
    "province",
    "city",
    "district",
    "street",
    "postal_code",
    "contact_name",
    "phone",
    "is_default",
}


def _partner_for_change(actor: User, company: Company, partner_id: Any) -> Partner:
    partner = access_partner(user=actor, company=company, id=partner_id, for_update=True)
    require_partner_manage(actor, company, partner)
    return partner


def contact_create(*, actor: User, company: Company, partner: Partner, **fields: Any) -> Contact:
    """A person at the partner; the first one becomes the primary contact."""
    data = allowed(fields, CONTACT_FIELDS)
    with transaction.atomic():
        locked = _partner_for_change(actor, company, partner.pk)
        others = Contact.objects.filter(company=company, partner=locked)
        if data.get("is_primary") or not others.exists():
            data["is_primary"] = True
            _unset(actor, company, others.filter(is_primary=True), "is_primary")
        return record_create(actor=actor, company=company, obj=Contact(partner=locked, **data))


def contact_update(
    *, actor: User, company: Company, contact: Contact, data: dict[str, Any], version: int | None
) -> Contact:
    fields = allowed(data, CONTACT_FIELDS)
    with transaction.atomic():
        partner = _partner_for_change(actor, company, contact.partner_id)
        locked = access_contact(user=actor, company=company, id=contact.pk, for_update=True)
        if fields.get("is_primary") and not locked.is_primary:
            others = Contact.objects.filter(company=company, partner=partner, is_primary=True)
            _unset(actor, company, others.exclude(pk=locked.pk), "is_primary")
        record_update(actor=actor, company=company, obj=locked, data=fields, version=version)
    return locked


def contact_delete(*, actor: User, company: Company, contact: Contact) -> None:
    """Remove a contact; if it was the primary one, the longest-standing other contact takes over."""
    with transaction.atomic():
        partner = _partner_for_change(actor, company, contact.partner_id)
        locked = access_contact(user=actor, company=company, id=contact.pk, for_update=True)
        was_primary = locked.is_primary
        record_delete(actor=actor, company=company, obj=locked)
        if was_primary:
            _promote(actor, company, Contact.objects.filter(company=company, partner=partner), "is_primary")


def address_create(*, actor: User, company: Company, partner: Partner, **fields: Any) -> Address:
    """A billing or shipping address; the first of its kind becomes the default."""
    data = allowed(fields, ADDRESS_FIELDS)
    data.setdefault("kind", Address.Kind.SHIPPING)
    with transaction.atomic():
        locked = _partner_for_change(actor, company, partner.pk)
        same_kind = Address.objects.filter(company=company, partner=locked, kind=data.get("kind"))
        if data.get("is_default") or not same_kind.exists():
            data["is_default"] = True
            _unset(actor, company, same_kind.filter(is_default=True), "is_default")
        return record_create(actor=actor, company=company, obj=Address(partner=locked, **data))


def address_update(
    *, actor: User, company: Company, address: Address, data: dict[str, Any], version: int | None
) -> Address:
    fields = allowed(data, ADDRESS_FIELDS)
    with transaction.atomic():
        partner = _partner_for_change(actor, company, address.partner_id)
        locked = access_address(user=actor, company=company, id=address.pk, for_update=True)
        kind = fields.get("kind", locked.kind)
        if fields.get("is_default", locked.is_default) and (kind != locked.kind or not locked.is_default):
            others = Address.objects.filter(company=company, partner=partner, kind=kind, is_default=True)
            _unset(actor, company, others.exclude(pk=locked.pk), "is_default")
        record_update(actor=actor, company=company, obj=locked, data=fields, version=version)
    return locked


def address_delete(*, actor: User, company: Company, address: Address) -> None:
    """Remove an address; if it was a default, the oldest other address of its kind takes over."""
    with transaction.atomic():
        partner = _partner_for_change(actor, company, address.partner_id)
        locked = access_address(user=actor, company=company, id=address.pk, for_update=True)
        was_default, kind = locked.is_default, locked.kind
        record_delete(actor=actor, company=company, obj=locked)
        if was_default:
            _promote(
                actor,
                company,
                Address.objects.filter(company=company, partner=partner, kind=kind),
                "is_default",
            )


def _unset(actor: User, company: Company, qs: Any, flag: str) -> None:
    for obj in qs.select_for_update().order_by("pk"):
        record_update(actor=actor, company=company, obj=obj, data={flag: False}, version=None)


def _promote(actor: User, company: Company, qs: Any, flag: str) -> None:
    successor = qs.select_for_update().order_by("created_at", "pk").first()
    if successor is not None:
        record_update(actor=actor, company=company, obj=successor, data={flag: True}, version=None)
