from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ..eventbus import publish
from ..handlers import NotificationCreated
from ..models import Company, Membership, Notification, User


def notify(
    *,
    company: Company,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """In-app notifications for members of the company; each is also e-mailed from the outbox."""
    ids = {u.pk for u in recipients}
    members = set(
        Membership.objects.filter(company=company, user_id__in=ids, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    created = []
    with transaction.atomic():
        for user_id in sorted(members, key=str):
            n = Notification.objects.create(
                company=company,
                recipient_id=user_id,
                kind=kind,
                title=title[:200],
                body=body,
                link=link[:300],
            )
            publish(
                NotificationCreated(
                    company_id=company.pk,
                    actor_id=actor.pk if actor else None,
                    subject_type="platform.notification",
                    subject_id=str(n.pk),
                    recipient_id=str(user_id),
                    title=title[:200],
                )
            )
            created.append(n)
    return created


def notifications_mark_read(*, user: User, company: Company, ids: Iterable | None = None) -> int:
    qs = Notification.objects.filter(company=company, recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
