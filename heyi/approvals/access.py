"""The door to requests and templates on a user's behalf (OA module).

A request is seen by its submitter, by everyone who holds or held a task on it (and those they
stood in for), by the people it was copied to, and by whoever may see every request. Templates
are read by every member (to start a request) and changed by their designers.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from heyi.platform import modules
from heyi.platform.access import has_perm, require_module, require_perm
from heyi.platform.errors import NotFound
from heyi.platform.models import Company, User

from .models import ApprovalInstance, ApprovalTemplate, Delegation
from .permissions import MANAGE_TEMPLATES, SUBMIT, VIEW_ALL


def instances_visible(*, user: User, company: Company) -> QuerySet[ApprovalInstance]:
    require_module(company, modules.OA)
    base = ApprovalInstance.objects.filter(company=company)
    if has_perm(user, company, VIEW_ALL):
        return base
    if not has_perm(user, company, SUBMIT):
        return base.none()
    involved = (
        Q(submitter=user) | Q(tasks__assignee=user) | Q(tasks__delegated_from=user) | Q(copies__user=user)
    )
    return base.filter(pk__in=base.filter(involved).values("pk"))


def access_instance(*, user: User, company: Company, id: Any, for_update: bool = False) -> ApprovalInstance:
    qs = instances_visible(user=user, company=company)
    try:
        found = qs.get(pk=id)
    except (ApprovalInstance.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
    if for_update:
        return (
            ApprovalInstance.objects.select_for_update()
            .select_related("template", "template_version", "submitter")
            .get(pk=found.pk)
        )
    return found


def templates_visible(*, user: User, company: Company) -> QuerySet[ApprovalTemplate]:
    require_module(company, modules.OA)
    base = ApprovalTemplate.objects.filter(company=company)
    if has_perm(user, company, MANAGE_TEMPLATES):
        return base
    require_perm(user, company, SUBMIT)
    return base.filter(is_active=True)


def access_template(*, user: User, company: Company, id: Any, for_update: bool = False) -> ApprovalTemplate:
    try:
        found = templates_visible(user=user, company=company).get(pk=id)
    except (ApprovalTemplate.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
    if for_update:
        return ApprovalTemplate.objects.select_for_update().get(pk=found.pk)
    return found


def access_delegation(*, user: User, company: Company, id: Any) -> Delegation:
    """One's own delegations; a template designer sees everyone's."""
    require_module(company, modules.OA)
    qs = Delegation.objects.filter(company=company)
    if not has_perm(user, company, MANAGE_TEMPLATES):
        qs = qs.filter(user=user)
    try:
        return qs.get(pk=id)
    except (Delegation.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()


def access_instance_to_decide(*, user: User, company: Company, id: Any) -> ApprovalInstance:
    """A request of the company, for a decision: whether the user may decide is the decision's
    own check (a member outside the approver set is told 403, not that it does not exist)."""
    require_module(company, modules.OA)
    require_perm(user, company, SUBMIT)
    try:
        return ApprovalInstance.objects.get(company=company, pk=id)
    except (ApprovalInstance.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
