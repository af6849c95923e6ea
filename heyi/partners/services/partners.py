"""Creating, changing and deactivating partners (customers and suppliers)."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from heyi.platform import access
from heyi.platform.errors import InvalidTransition, ValidationFailed
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, Membership, Role, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import check_version, record_create, record_update

from ..access import (
    CUSTOMER,
    KIND_FIELD,
    MANAGE,
    SUPPLIER,
    access_partner,
    require_partner_manage,
)
from ..events import PartnerCreated, PartnerDeactivated, PartnerUpdated
from ..models import Partner, PartnerTag, Tag
from .common import allowed, unique_or_field_error

PARTNER_FIELDS = {
    "code",
    "name",
    "short_name",
    "is_customer",
    "is_supplier",
    "tax_number",
    "credit_limit",
    "payment_terms_days",
    "currency",
    "phone",
    "email",
    "website",
    "province",
    "city",
    "region",
    "bank_name",
    "bank_account",
    "notes",
    "is_active",
}
DUPLICATE_CODE = _("Another partner already has this code.")


def partner_create(
    *,
    actor: User,
    company: Company,
    owner: User | None = None,
    tags: Iterable[Tag] | None = None,
    **fields: Any,
) -> Partner:
    """A new customer and/or supplier, numbered BP-YYYY-NNNNNN unless a code is given.

    The owner is the creator unless someone who manages partners company-wide names another.
    """
    data = _clean(fields)
    kinds = [k for k in (CUSTOMER, SUPPLIER) if data.get(KIND_FIELD[k])]
    if not kinds:
        raise ValidationFailed(
            fields={"is_customer": [str(_("A partner is a customer, a supplier, or both."))]}
        )
    for kind in kinds:
        access.require_perm(actor, company, MANAGE[kind])
    tag_list = _same_company_tags(company, tags or [])
    owner = _check_owner(actor, company, owner or actor, kinds)
    with transaction.atomic():
        if not data.get("code"):
            data["code"] = number_next(company=company, doc_type="partner", prefix="BP")
        _code_free(company, data["code"])
        partner = unique_or_field_error(
            lambda: record_create(actor=actor, company=company, obj=Partner(owner=owner, **data)),
            "code",
            DUPLICATE_CODE,
        )
        _set_tags(actor, company, partner, tag_list)
        publish(
            PartnerCreated(
                company_id=company.pk,
                actor_id=actor.pk,
                subject_type="partners.partner",
                subject_id=str(partner.pk),
                code=partner.code,
                name=partner.name,
                is_customer=partner.is_customer,
                is_supplier=partner.is_supplier,
            )
        )
    return partner


def partner_update(
    *, actor: User, company: Company, partner: Partner, data: dict[str, Any], version: int | None
) -> Partner:
    """Change a partner the actor may manage; `tags` replaces the set, `owner` reassigns it."""
    tags = _same_company_tags(company, data["tags"]) if data.get("tags") is not None else None
    owner_given = "owner" in data
    fields = _clean(data)
    with transaction.atomic():
        locked = access_partner(user=actor, company=company, id=partner.pk, for_update=True)
        require_partner_manage(actor, company, locked)
        check_version(locked, version)
        for kind, field in KIND_FIELD.items():
            if field in fields and fields[field] != getattr(locked, field):
                access.require_perm(actor, company, MANAGE[kind])
        if not (
            fields.get("is_customer", locked.is_customer) or fields.get("is_supplier", locked.is_supplier)
        ):
            raise ValidationFailed(
                fields={"is_customer": [str(_("A partner is a customer, a supplier, or both."))]}
            )
        kinds = [k for k in (CUSTOMER, SUPPLIER) if fields.get(KIND_FIELD[k], getattr(locked, KIND_FIELD[k]))]
        if owner_given and data["owner"] != locked.owner:
            fields["owner"] = _check_owner(actor, company, data["owner"], kinds)
        if fields.get("code") and fields["code"] != locked.code:
            _code_free(company, fields["code"])
        changes = unique_or_field_error(
            lambda: record_update(actor=actor, company=company, obj=locked, data=fields, version=version),
            "code",
            DUPLICATE_CODE,
        )
        changed = set(changes)
        if tags is not None and _set_tags(actor, company, locked, tags):
            changed.add("tags")
            if not changes:
                locked.version += 1
                locked.save(update_fields=["version", "updated_at"])
        if changed:
            publish(
                PartnerUpdated(
                    company_id=company.pk,
                    actor_id=actor.pk,
                    subject_type="partners.partner",
                    subject_id=str(locked.pk),
                    fields=sorted(changed),
                )
            )
    return locked


def partner_deactivate(
    *, actor: User, company: Company, partner: Partner, version: int | None = None
) -> Partner:
    """Retire a partner: kept with its history and documents, offered no more for new business."""
    with transaction.atomic():
        locked = access_partner(user=actor, company=company, id=partner.pk, for_update=True)
        require_partner_manage(actor, company, locked)
        check_version(locked, version)
        if not locked.is_active:
            raise InvalidTransition(
                _("This partner is already inactive."), current="inactive", target="inactive"
            )
        record_update(actor=actor, company=company, obj=locked, data={"is_active": False}, version=version)
        publish(
            PartnerDeactivated(
                company_id=company.pk,
                actor_id=actor.pk,
                subject_type="partners.partner",
                subject_id=str(locked.pk),
                code=locked.code,
            )
        )
    return locked


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    data = allowed(fields, PARTNER_FIELDS)
    for name in ("tax_number", "currency"):
        if isinstance(data.get(name), str):
            data[name] = data[name].upper()
    return data


def _code_free(company: Company, code: str) -> None:
    if Partner.objects.filter(company=company, code=code).exists():
        raise ValidationFailed(fields={"code": [str(DUPLICATE_CODE)]})


def _same_company_tags(company: Company, tags: Iterable[Tag]) -> list[Tag]:
    unique = {t.pk: t for t in tags}
    if any(t.company_id != company.pk for t in unique.values()):
        raise ValidationFailed(fields={"tags": [str(_("Not found."))]})
    return sorted(unique.values(), key=lambda t: t.name)


def _check_owner(actor: User, company: Company, owner: User | None, kinds: list[str]) -> User:
    """Only someone who manages these partners company-wide may hand them to another person."""
    if owner is None:
        raise ValidationFailed(fields={"owner": [str(_("Choose an owner."))]})
    if not Membership.objects.filter(company=company, user=owner, is_active=True).exists():
        raise ValidationFailed(fields={"owner": [str(_("Not found."))]})
    scopes = {access.grants(actor, company).scope_for(MANAGE[k]) for k in kinds}
    if owner != actor and Role.Scope.COMPANY not in scopes:
        raise ValidationFailed(
            fields={"owner": [str(_("Only someone who manages all partners may assign them to others."))]}
        )
    return owner


def _set_tags(actor: User, company: Company, partner: Partner, tags: list[Tag]) -> bool:
    """Replace the partner's tags; audited by name. Returns whether anything changed."""
    current = {pt.tag_id: pt for pt in PartnerTag.objects.filter(company=company, partner=partner)}
    before = sorted(Tag.objects.filter(pk__in=list(current)).values_list("name", flat=True))
    wanted = {t.pk for t in tags}
    PartnerTag.objects.filter(company=company, partner=partner).exclude(tag_id__in=wanted).delete()
    PartnerTag.objects.bulk_create(
        [PartnerTag(company=company, partner=partner, tag=t) for t in tags if t.pk not in current]
    )
    after = [t.name for t in tags]
    if before == after:
        return False
    audit_record(
        actor=actor, company=company, action="update", obj=partner, changes={"tags": [before, after]}
    )
    return True
