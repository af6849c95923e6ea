from django.db.models import QuerySet

from .access import scoped
from .models import AuditEntry, Company, Membership, OutboxEvent, User
from .permissions import VIEW_AUDIT, VIEW_EVENTS


def user_companies(user: User) -> list[Company]:
    return [
        m.company
        for m in Membership.objects.filter(user=user, is_active=True, company__is_active=True)
        .select_related("company")
        .order_by("company__name")
    ]


def company_members(company: Company) -> QuerySet[User]:
    return User.objects.filter(memberships__company=company, memberships__is_active=True).order_by("username")


def event_history(
    *, user: User, company: Company, subject_type: str = "", subject_id: str = "", type_: str = ""
) -> QuerySet[OutboxEvent]:
    qs = scoped(OutboxEvent.objects.select_related("actor"), user=user, company=company, perm=VIEW_EVENTS)
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    if type_:
        qs = qs.filter(type=type_)
    return qs.order_by("-occurred_at")


def audit_trail(
    *,
    user: User,
    company: Company,
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    actor: str = "",
    q: str = "",
) -> QuerySet[AuditEntry]:
    qs = scoped(AuditEntry.objects.all(), user=user, company=company, perm=VIEW_AUDIT)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if q:
        qs = qs.filter(object_repr__icontains=q[:100])
    return qs.order_by("-at")
