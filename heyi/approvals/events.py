"""What the engine tells other apps: a request started, a task was assigned, and the outcome."""

import dataclasses

from heyi.platform.eventbus import DomainEvent, event_type


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class InstanceSubmitted(DomainEvent):
    type = "approvals.instance_submitted"
    number: str
    template: str
    document_type: str
    document_id: str


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class TaskAssigned(DomainEvent):
    type = "approvals.task_assigned"
    instance_id: str
    number: str
    assignee_id: str
    node: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class InstanceFinished(DomainEvent):
    """`cycle_seconds` runs from the first submission to the decision: the figure the
    overview's cycle times are computed from."""

    number: str
    template: str
    document_type: str
    document_id: str
    cycle_seconds: int


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class InstanceApproved(InstanceFinished):
    type = "approvals.instance_approved"


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class InstanceRejected(InstanceFinished):
    type = "approvals.instance_rejected"


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class InstanceWithdrawn(InstanceFinished):
    type = "approvals.instance_withdrawn"
