"""Platform event handlers: notifications go out by e-mail after the transaction commits."""

import dataclasses

from django.core.mail import send_mail
from django.utils import timezone

from .eventbus import DomainEvent, event_type, subscribe


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class NotificationCreated(DomainEvent):
    type = "platform.notification_created"
    recipient_id: str
    title: str


@subscribe(NotificationCreated, mode="async")
def email_notification(event: NotificationCreated) -> None:
    from .models import Notification

    notification = Notification.objects.select_related("recipient").filter(pk=event.subject_id).first()
    if notification is None or notification.emailed_at or not notification.recipient.email:
        return
    send_mail(
        subject=notification.title,
        message=f"{notification.body}\n\n{notification.link}".strip(),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
