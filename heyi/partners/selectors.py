"""Reads of partners: the filtered, searched lists behind the API and the web pages."""

import re
import uuid

from django.db.models import Q, QuerySet

from heyi.platform.models import Company, User

from .access import partners_visible
from .models import Partner
from .validators import normalize_phone

PHONE_LIKE = re.compile(r"^[\d\s()+\-]{3,}$")


def partner_search(qs: QuerySet[Partner], q: str | None) -> QuerySet[Partner]:
    """By name, short name, code, pinyin initials (hzkj finds 杭州科技), e-mail or phone however typed."""
    q = (q or "").strip()[:100]
    if not q:
        return qs
    cond = (
        Q(name__icontains=q)
        | Q(short_name__icontains=q)
        | Q(code__icontains=q)
        | Q(mnemonic__icontains=q)
        | Q(phone__icontains=q)
        | Q(email_normalized__icontains=q)
    )
    digits = normalize_phone(q) if PHONE_LIKE.match(q) else ""
    if len(digits) >= 3:
        cond |= Q(phone_normalized__contains=digits)
    return qs.filter(cond)


def partner_list(
    *,
    user: User,
    company: Company,
    kind: str | None,
    q: str = "",
    tag: uuid.UUID | None = None,
    owner: uuid.UUID | None = None,
    is_active: bool | None = None,
    province: str = "",
    city: str = "",
) -> QuerySet[Partner]:
    qs = partner_search(partners_visible(user=user, company=company, kind=kind), q)
    if tag is not None:
        qs = qs.filter(tags=tag)
    if owner is not None:
        qs = qs.filter(owner_id=owner)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    if province:
        qs = qs.filter(province=province)
    if city:
        qs = qs.filter(city=city)
    return qs.select_related("owner").prefetch_related("tags")
