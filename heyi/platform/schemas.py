import datetime
import uuid
from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    error: dict[str, Any]


class TokenIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=256)


class TokenOut(Schema):
    token: str


class CompanyOut(Schema):
    id: uuid.UUID
    name: str
    code: str
    currency: str
    time_zone: str
    prices_include_tax: bool
    modules: list[str]

    @staticmethod
    def resolve_modules(obj) -> list[str]:
        from .access import enabled_modules

        return sorted(enabled_modules(obj))


class CompanyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    tax_number: str | None = Field(None, max_length=40)
    time_zone: str | None = Field(None, max_length=64)
    prices_include_tax: bool | None = None


class ModuleSwitchIn(Schema):
    module: str = Field(..., max_length=20)
    enabled: bool


class MeOut(Schema):
    id: uuid.UUID
    username: str
    display_name: str
    email: str
    language: str
    company: CompanyOut
    companies: list[CompanyOut]
    roles: list[str]
    permissions: list[str]
    is_admin: bool


class UserOut(Schema):
    id: uuid.UUID
    username: str
    display_name: str
    email: str
    roles: list[str]


class RoleAssignIn(Schema):
    roles: list[uuid.UUID] = Field(..., max_length=50)


class RoleOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    is_admin: bool
    scope: str
    permissions: list[str]


class RoleIn(Schema):
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")
    name: str = Field(..., min_length=1, max_length=100)
    scope: str = Field("own", pattern=r"^(own|department|company)$")
    permissions: list[str] = Field(default_factory=list, max_length=500)


class RolePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    scope: str | None = Field(None, pattern=r"^(own|department|company)$")
    permissions: list[str] | None = Field(None, max_length=500)


class DepartmentOut(Schema):
    id: uuid.UUID
    name: str
    code: str
    parent_id: uuid.UUID | None
    manager_id: uuid.UUID | None
    version: int


class DepartmentIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    code: str = Field("", max_length=40)
    parent_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None


class DepartmentPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=100)
    code: str | None = Field(None, max_length=40)
    parent_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None


class EmployeeOut(Schema):
    id: uuid.UUID
    number: str
    name: str
    user_id: uuid.UUID | None
    department_id: uuid.UUID | None
    manager_id: uuid.UUID | None
    position: str
    email: str
    phone: str
    is_active: bool
    version: int


class EmployeeIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    number: str = Field("", max_length=40)
    user_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    position: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)


class EmployeePatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=100)
    department_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    position: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    is_active: bool | None = None


class SubjectOut(Schema):
    type: str
    id: str


class EventOut(Schema):
    id: uuid.UUID
    type: str
    occurred_at: datetime.datetime
    actor: str | None
    subject: SubjectOut
    data: dict[str, Any]
    state: str

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.username if obj.actor_id else None

    @staticmethod
    def resolve_subject(obj) -> dict:
        return {"type": obj.subject_type, "id": obj.subject_id}


class AuditOut(Schema):
    id: uuid.UUID
    at: datetime.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    source: str
    ip: str | None
    request_id: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_name


class NotificationOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class MarkReadIn(Schema):
    ids: list[uuid.UUID] | None = Field(None, max_length=500)


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    progress: int
    total: int
    percent: int
    message: str
    result: dict[str, Any]
    error: str
    attempts: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def page_of(item_schema: type[Schema]) -> type[Schema]:
    """The list envelope of API.md: items, count, page, page_size."""
    return type(
        f"{item_schema.__name__}Page",
        (Schema,),
        {"__annotations__": {"items": list[item_schema], "count": int, "page": int, "page_size": int}},  # type: ignore[valid-type]
    )
