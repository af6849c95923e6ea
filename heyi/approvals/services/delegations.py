"""Delegation while away: from `start` to `end`, new tasks of `user` go to `deputy`."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from heyi.platform.access import has_perm
from heyi.platform.errors import NotPermitted, refuse
from heyi.platform.models import Company, Membership, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.records import record_create, record_update

from ..models import ApprovalTemplate, Delegation
from ..permissions import MANAGE_TEMPLATES, SUBMIT
from ._common import check


@retry_when_busy
def delegation_create(
    *,
    actor: User,
    company: Company,
    deputy: User | None,
    start: datetime.date,
    end: datetime.date,
    user: User | None = None,
    template: ApprovalTemplate | None = None,
) -> Delegation:
    """One's own delegation; a template designer may set one up for someone who is away."""
    check(actor, company, SUBMIT)
    user = user or actor
    if user.pk != actor.pk and not has_perm(actor, company, MANAGE_TEMPLATES):
        raise NotPermitted(_("You can only delegate your own tasks."))
    members = set(
        Membership.objects.filter(
            company=company, is_active=True, user__in=[u for u in (user, deputy) if u]
        ).values_list("user_id", flat=True)
    )
    if deputy is None or deputy.pk not in members:
        raise refuse("deputy", _("Choose an active member of the company."))
    if user.pk not in members:
        raise refuse("user", _("Choose an active member of the company."))
    if deputy.pk == user.pk:
        raise refuse("deputy", _("Choose someone other than the person who is away."))
    if end < start:
        raise refuse("end", _("The end is before the start."))
    if template is not None and template.company_id != company.pk:
        raise refuse("template", _("Not found."))
    with transaction.atomic():
        return record_create(
            actor=actor,
            company=company,
            obj=Delegation(user=user, deputy=deputy, start=start, end=end, template=template),
        )


@retry_when_busy
def delegation_end(*, actor: User, company: Company, delegation: Delegation) -> Delegation:
    check(actor, company, SUBMIT)
    if delegation.user_id != actor.pk and not has_perm(actor, company, MANAGE_TEMPLATES):
        raise NotPermitted()
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(company=company, pk=delegation.pk)
        if locked.is_active:
            record_update(actor=actor, company=company, obj=locked, data={"is_active": False}, version=None)
    return locked
