from .api_support import ApiToken, IdempotencyRecord
from .audit import AuditEntry
from .base import CompanyOwned, Owned, UUIDModel, Versioned, WithMnemonic
from .events import HandlerRun, OutboxEvent
from .files import Attachment
from .imports import ImportBatch
from .jobs import Job
from .numbering import DocumentSequence
from .social import Comment, Notification
from .tenancy import Company, CompanyModule, Department, Employee, Membership, Role, User
from .webhooks import Webhook, WebhookDelivery

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "Comment",
    "Company",
    "CompanyModule",
    "CompanyOwned",
    "Department",
    "DocumentSequence",
    "Employee",
    "HandlerRun",
    "IdempotencyRecord",
    "ImportBatch",
    "Job",
    "Membership",
    "Notification",
    "OutboxEvent",
    "Owned",
    "Role",
    "User",
    "UUIDModel",
    "Versioned",
    "Webhook",
    "WebhookDelivery",
    "WithMnemonic",
]
