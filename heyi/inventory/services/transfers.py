"""Transfers (调拨): goods leave one warehouse into transit and arrive in another.

Shipping and receiving each post a ledger transfer (`stock_transfer`), so the goods are
counted in the company's transit warehouse while on the way and their value goes with them.
"""

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.catalog.models import Product, Unit
from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.errors import Conflict
from heyi.platform.models import Company, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import record_create, record_transition, record_update

from ..access import access_transfer
from ..models import Batch, StockMove, Transfer, TransferLine, Warehouse
from ..permissions import MOVE_STOCK
from . import _documents as docs
from .ledger import MoveLine, Origin, stock_transfer
from .warehouses import special_warehouse

ORIGIN_TYPE = "inventory.transfer"
HEADER_FIELDS = {"from_warehouse", "to_warehouse", "note"}


@dataclasses.dataclass(frozen=True)
class TransferLineIn:
    product: Product
    quantity: Decimal
    unit: Unit | None = None
    batch: Batch | None = None


def _check(actor: User, company: Company) -> None:
    require_module(company, modules.ERP)
    require_perm(actor, company, MOVE_STOCK)


def _check_route(company: Company, source: Warehouse, destination: Warehouse) -> None:
    docs.check_warehouse(company, source, "from_warehouse_id")
    docs.check_warehouse(company, destination, "to_warehouse_id")
    if source.pk == destination.pk:
        raise docs.field_error("to_warehouse_id", _("Choose a warehouse other than the source."))


def _check_lines(company: Company, lines: Sequence[TransferLineIn]) -> None:
    if not lines:
        raise docs.field_error("lines", _("Add at least one line."))
    for index, line in enumerate(lines):
        prefix = f"lines[{index}]."
        docs.check_product(company, line.product, line.batch, prefix)
        docs.check_quantity(company, line.product, line.quantity, line.unit, prefix)


def _write_lines(company: Company, transfer: Transfer, lines: Sequence[TransferLineIn]) -> None:
    TransferLine.objects.bulk_create(
        [
            TransferLine(
                company=company,
                transfer=transfer,
                position=position,
                product=line.product,
                quantity=line.quantity,
                unit=line.unit or line.product.base_unit,
                batch=line.batch,
            )
            for position, line in enumerate(lines, start=1)
        ]
    )


def _summary(transfer: Transfer) -> list[list[str]]:
    return [
        [str(line.product_id), str(line.quantity), str(line.unit_id), str(line.batch_id or "")]
        for line in transfer.lines.all()
    ]


def transfer_create(
    *,
    actor: User,
    company: Company,
    from_warehouse: Warehouse,
    to_warehouse: Warehouse,
    lines: Sequence[TransferLineIn],
    note: str = "",
) -> Transfer:
    _check(actor, company)
    _check_route(company, from_warehouse, to_warehouse)
    _check_lines(company, lines)
    with transaction.atomic():
        number = number_next(company=company, doc_type=ORIGIN_TYPE, prefix="TR")
        transfer = record_create(
            actor=actor,
            company=company,
            obj=Transfer(number=number, from_warehouse=from_warehouse, to_warehouse=to_warehouse, note=note),
        )
        _write_lines(company, transfer, lines)
        docs.audit_lines(actor=actor, company=company, obj=transfer, old=[], new=_summary(transfer))
    return transfer


def transfer_update(
    *,
    actor: User,
    company: Company,
    transfer: Transfer,
    data: dict[str, Any],
    lines: Sequence[TransferLineIn] | None = None,
    version: int | None,
) -> Transfer:
    """Change a draft: its warehouses, note and (when given) all its lines."""
    _check(actor, company)
    data = {k: v for k, v in data.items() if k in HEADER_FIELDS}
    if lines is not None:
        _check_lines(company, lines)
    with transaction.atomic():
        locked = access_transfer(user=actor, company=company, id=transfer.pk, for_update=True)
        docs.check_version(locked, version)
        if locked.state != Transfer.State.DRAFT:
            raise Conflict(_("Only a draft transfer can be changed."))
        _check_route(
            company,
            data.get("from_warehouse", locked.from_warehouse),
            data.get("to_warehouse", locked.to_warehouse),
        )
        changed = record_update(actor=actor, company=company, obj=locked, data=data, version=None)
        if lines is not None:
            old = _summary(locked)
            locked.lines.all().delete()
            _write_lines(company, locked, lines)
            new = _summary(locked)
            if new != old:
                docs.audit_lines(actor=actor, company=company, obj=locked, old=old, new=new)
                if not changed:
                    locked.version += 1
                    locked.save(update_fields=["version", "updated_at"])
    return locked


def _move_lines(transfer: Transfer, warehouse: Warehouse) -> list[MoveLine]:
    return [
        MoveLine(
            product=line.product,
            warehouse=warehouse,
            quantity=line.quantity,
            unit=line.unit,
            batch=line.batch,
        )
        for line in transfer.lines.select_related("product__base_unit", "unit", "batch")
    ]


def _origin(transfer: Transfer) -> Origin:
    return Origin(ORIGIN_TYPE, str(transfer.pk), transfer.number)


@retry_when_busy
@retry_when_busy
def transfer_ship(*, actor: User, company: Company, transfer: Transfer) -> Transfer:
    """The goods leave the source warehouse and are counted in transit."""
    _check(actor, company)
    with transaction.atomic():
        locked = access_transfer(user=actor, company=company, id=transfer.pk, for_update=True)
        locked.shipped_at = timezone.now()
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=Transfer.State.IN_TRANSIT,
            allowed=Transfer.TRANSITIONS,
        )
        stock_transfer(
            actor=actor,
            company=company,
            origin=_origin(locked),
            lines=_move_lines(locked, locked.from_warehouse),
            to_warehouse=special_warehouse(company=company, kind=Warehouse.Kind.TRANSIT),
        )
    return locked


def transit_warehouse_of(company: Company, transfer: Transfer) -> Warehouse:
    """The transit warehouse the goods were shipped into."""
    arrived = (
        StockMove.objects.filter(
            company=company,
            origin_type=ORIGIN_TYPE,
            origin_id=str(transfer.pk),
            quantity__gt=0,
            warehouse__kind=Warehouse.Kind.TRANSIT,
        )
        .select_related("warehouse")
        .first()
    )
    return arrived.warehouse if arrived else special_warehouse(company=company, kind=Warehouse.Kind.TRANSIT)


@retry_when_busy
@retry_when_busy
def transfer_receive(*, actor: User, company: Company, transfer: Transfer) -> Transfer:
    """The goods arrive from transit in the destination warehouse."""
    _check(actor, company)
    with transaction.atomic():
        locked = access_transfer(user=actor, company=company, id=transfer.pk, for_update=True)
        locked.received_at = timezone.now()
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=Transfer.State.RECEIVED,
            allowed=Transfer.TRANSITIONS,
        )
        stock_transfer(
            actor=actor,
            company=company,
            origin=_origin(locked),
            lines=_move_lines(locked, transit_warehouse_of(company, locked)),
            to_warehouse=locked.to_warehouse,
        )
    return locked


def transfer_cancel(*, actor: User, company: Company, transfer: Transfer) -> Transfer:
    """A draft that will not be sent; nothing has moved."""
    _check(actor, company)
    with transaction.atomic():
        locked = access_transfer(user=actor, company=company, id=transfer.pk, for_update=True)
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=Transfer.State.CANCELLED,
            allowed=Transfer.TRANSITIONS,
        )
    return locked
