import datetime
import uuid
from typing import Any

from ninja import Field, Schema

Comment = Field("", max_length=2000)


class TemplateIn(Schema):
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=100)
    description: str = Field("", max_length=2000)
    category: str = Field("", max_length=40)
    document_type: str = Field("", max_length=60, description="empty for a free form")
    outcome: str = Field(
        "",
        max_length=60,
        description="a free template's action on approval (GET /approval-outcomes); fixed once created",
    )
    form: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    flow: dict[str, Any]


class TemplatePatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=2000)
    category: str | None = Field(None, max_length=40)
    is_active: bool | None = None
    form: list[dict[str, Any]] | None = Field(None, max_length=100)
    flow: dict[str, Any] | None = None


class TemplateOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    description: str
    category: str
    document_type: str
    outcome: str
    is_active: bool
    version: int
    template_version: int | None
    form: list[dict[str, Any]]
    flow: dict[str, Any]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_template_version(obj) -> int | None:
        return obj.current_version.number if obj.current_version_id else None

    @staticmethod
    def resolve_form(obj) -> list:
        return obj.current_version.form if obj.current_version_id else []

    @staticmethod
    def resolve_flow(obj) -> dict:
        return obj.current_version.flow if obj.current_version_id else {}


class ApprovalOutcomeOut(Schema):
    key: str
    label: str
    fields: list[dict[str, Any]] = Field(..., description="the fields a template's form must have")


class ApprovalIn(Schema):
    template_id: uuid.UUID
    title: str = Field("", max_length=200)
    values: dict[str, Any] = Field(default_factory=dict)


class ApprovalOut(Schema):
    id: uuid.UUID
    number: str
    title: str
    template_id: uuid.UUID
    template: str
    template_version: int
    state: str
    submitter_id: uuid.UUID
    submitter: str
    current_node: str
    document_type: str
    document_id: str
    submitted_at: datetime.datetime
    finished_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_template(obj) -> str:
        return obj.template.name

    @staticmethod
    def resolve_template_version(obj) -> int:
        return obj.template_version.number

    @staticmethod
    def resolve_submitter(obj) -> str:
        return str(obj.submitter)


class DecisionOut(Schema):
    task_id: uuid.UUID
    assignee_id: uuid.UUID
    assignee: str
    on_behalf_of: str
    state: str
    comment: str
    auto: bool
    assigned_at: datetime.datetime
    decided_at: datetime.datetime | None
    due_at: datetime.datetime | None


class RouteNodeOut(Schema):
    id: str
    type: str
    name: str
    status: str = Field(..., description="done, current, ahead or skipped")
    decisions: list[DecisionOut]
    copied_to: list[str]


class TaskOut(Schema):
    id: uuid.UUID
    instance_id: uuid.UUID
    number: str
    title: str
    template: str
    submitter: str
    node_id: str
    node_name: str
    state: str
    assignee_id: uuid.UUID
    delegated_from_id: uuid.UUID | None
    assigned_at: datetime.datetime
    due_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    comment: str

    @staticmethod
    def resolve_number(obj) -> str:
        return obj.instance.number

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.instance.title

    @staticmethod
    def resolve_template(obj) -> str:
        return obj.instance.template.name

    @staticmethod
    def resolve_submitter(obj) -> str:
        return str(obj.instance.submitter)


class ActionOut(Schema):
    sequence: int
    kind: str
    actor_id: uuid.UUID | None
    actor: str
    node_id: str
    comment: str
    data: dict[str, Any]
    at: datetime.datetime

    @staticmethod
    def resolve_actor(obj) -> str:
        return str(obj.actor) if obj.actor_id else ""


class ApprovalDetailOut(ApprovalOut):
    values: dict[str, Any]
    form: list[dict[str, Any]]
    route: list[RouteNodeOut]
    tasks: list[TaskOut]
    actions: list[ActionOut]


class DecisionIn(Schema):
    comment: str = Comment
    version: int | None = None
    attachments: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class ReturnIn(Schema):
    to: str = Field(..., max_length=40, description='an earlier approval step\'s node id, or "submitter"')
    comment: str = Comment
    version: int | None = None


class ApprovalTransferIn(Schema):
    to_user_id: uuid.UUID
    comment: str = Comment
    version: int | None = None


class AddSignerIn(Schema):
    signer_id: uuid.UUID
    position: str = Field(..., description="before or after")
    comment: str = Comment
    version: int | None = None


class WithdrawIn(Schema):
    comment: str = Comment
    version: int | None = None


class ResubmitIn(Schema):
    values: dict[str, Any] | None = None
    version: int | None = None


class ApprovalCommentIn(Schema):
    comment: str = Field(..., max_length=2000)
    attachments: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class BatchApproveIn(Schema):
    ids: list[uuid.UUID] = Field(..., min_length=1, max_length=200)
    comment: str = Comment


class BatchApproveOut(Schema):
    approved: list[str]
    failed: dict[str, str]


class DelegationIn(Schema):
    deputy_id: uuid.UUID
    start: datetime.date
    end: datetime.date
    template_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = Field(None, description="someone else who is away (template designers)")


class DelegationOut(Schema):
    id: uuid.UUID
    user_id: uuid.UUID
    user: str
    deputy_id: uuid.UUID
    deputy: str
    start: datetime.date
    end: datetime.date
    template_id: uuid.UUID | None
    is_active: bool

    @staticmethod
    def resolve_user(obj) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_deputy(obj) -> str:
        return str(obj.deputy)


class CycleTimeOut(Schema):
    template_id: uuid.UUID | None
    code: str
    name: str
    count: int
    median_seconds: int
    p90_seconds: int
