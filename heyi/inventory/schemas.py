import datetime
import uuid

from ninja import Field, Schema


class WarehouseOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    address: str
    manager_id: uuid.UUID | None
    manager: str | None
    is_active: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_manager(obj) -> str | None:
        return obj.manager.name if obj.manager_id else None


class WarehouseIn(Schema):
    code: str = Field(..., min_length=1, max_length=20)
    name: str = Field(..., min_length=1, max_length=100)
    address: str = Field("", max_length=300)
    manager_id: uuid.UUID | None = None
    is_active: bool = True


class WarehousePatch(Schema):
    version: int
    code: str | None = Field(None, min_length=1, max_length=20)
    name: str | None = Field(None, min_length=1, max_length=100)
    address: str | None = Field(None, max_length=300)
    manager_id: uuid.UUID | None = None
    is_active: bool | None = None
