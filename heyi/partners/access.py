"""The door to partners on a user's behalf.

A partner is visible when the user may view one of its kinds (customer, supplier) within the
record scope their role gives that permission; it is changeable likewise with the manage
permissions. Anything else, including another company's partner, is simply not found.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from heyi.platform import access
from heyi.platform.errors import NotFound, NotPermitted
from heyi.platform.models import Company, User

from .models import Address, Contact, Partner, Tag
from .permissions import MANAGE_CUSTOMERS, MANAGE_SUPPLIERS, VIEW_CUSTOMERS, VIEW_SUPPLIERS

CUSTOMER = "customer"
SUPPLIER = "supplier"
VIEW = {CUSTOMER: VIEW_CUSTOMERS, SUPPLIER: VIEW_SUPPLIERS}
MANAGE = {CUSTOMER: MANAGE_CUSTOMERS, SUPPLIER: MANAGE_SUPPLIERS}
KIND_FIELD = {CUSTOMER: "is_customer", SUPPLIER: "is_supplier"}


def _partners(user: User, company: Company, perms: dict[str, str], kind: str | None) -> QuerySet[Partner]:
    result = Partner.objects.none()
    for k in (CUSTOMER, SUPPLIER):
        if kind in (None, k):
            of_kind = Partner.objects.filter(**{KIND_FIELD[k]: True})
            result = result | access.scoped(of_kind, user=user, company=company, perm=perms[k])
    return result


def partners_visible(*, user: User, company: Company, kind: str | None = None) -> QuerySet[Partner]:
    """Partners this user may see, of one kind or of either."""
    return _partners(user, company, VIEW, kind)


def partners_manageable(*, user: User, company: Company) -> QuerySet[Partner]:
    return _partners(user, company, MANAGE, None)


def can_view_partners(user: User, company: Company) -> bool:
    return any(access.has_perm(user, company, p) for p in (*VIEW.values(), *MANAGE.values()))


def can_manage_partners(user: User, company: Company) -> bool:
    return any(access.has_perm(user, company, p) for p in MANAGE.values())


def _one(qs: QuerySet, id: Any, for_update: bool) -> Any:
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=id)
    except (qs.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()


def access_partner(
    *, user: User, company: Company, id: Any, for_update: bool = False, kind: str | None = None
) -> Partner:
    return _one(partners_visible(user=user, company=company, kind=kind), id, for_update)


def require_partner_manage(user: User, company: Company, partner: Partner) -> None:
    """The user sees the partner; may they also change it (and its contacts and addresses)?"""
    if not partners_manageable(user=user, company=company).filter(pk=partner.pk).exists():
        raise NotPermitted(permission=" / ".join(MANAGE[k] for k in partner.kinds))


def access_contact(*, user: User, company: Company, id: Any, for_update: bool = False) -> Contact:
    visible = partners_visible(user=user, company=company).values("pk")
    return _one(Contact.objects.filter(company=company, partner__in=visible), id, for_update)


def access_address(*, user: User, company: Company, id: Any, for_update: bool = False) -> Address:
    visible = partners_visible(user=user, company=company).values("pk")
    return _one(Address.objects.filter(company=company, partner__in=visible), id, for_update)


def tags_visible(*, user: User, company: Company) -> QuerySet[Tag]:
    if not can_view_partners(user, company):
        return Tag.objects.none()
    return Tag.objects.filter(company=company)


def access_tag(*, user: User, company: Company, id: Any, for_update: bool = False) -> Tag:
    return _one(tags_visible(user=user, company=company), id, for_update)
