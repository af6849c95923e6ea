"""Events about partners: the start of a customer's timeline and what the KPIs count."""

import dataclasses

from heyi.platform.eventbus import DomainEvent, event_type


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class PartnerCreated(DomainEvent):
    type = "partners.partner_created"
    code: str
    name: str
    is_customer: bool
    is_supplier: bool


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class PartnerUpdated(DomainEvent):
    type = "partners.partner_updated"
    fields: list[str]


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class PartnerDeactivated(DomainEvent):
    type = "partners.partner_deactivated"
    code: str
