"""Purchase requisitions (请购单): from a person, a stock alert or a sales shortage."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.approvals.services.instances import approval_abandon, approval_pending
from heyi.catalog.models import Product, Unit
from heyi.partners.models import Partner
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, User
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import record_create, record_transition, record_update

from ..access import access_requisition
from ..approval import REQUISITION
from ..errors import AlreadyRequested
from ..events import RequisitionApproved
from ..models import PurchaseRequisition, PurchasingSettings, RequisitionLine
from ..permissions import MANAGE_REQUISITION
from ._common import (
    check,
    lines_required,
    not_negative,
    positive_quantity,
    product_checked,
    refuse,
    supplier_checked,
)

Status = PurchaseRequisition.Status
Source = PurchaseRequisition.Source
HEADER_FIELDS = {"notes"}


@dataclass
class RequisitionLineIn:
    product: Product
    quantity: Decimal
    unit: Unit | None = None
    needed_by: datetime.date | None = None
    supplier: Partner | None = None
    unit_price: Decimal | None = None
    reason: str = ""


def _build_lines(company: Company, lines: list[RequisitionLineIn]) -> list[RequisitionLine]:
    lines_required(lines)
    built = []
    for i, line in enumerate(lines):
        field = f"lines[{i}]"
        unit = product_checked(company, field, line.product, line.unit)
        supplier_checked(company, f"{field}.supplier", line.supplier)
        built.append(
            RequisitionLine(
                company=company,
                position=i + 1,
                product=line.product,
                quantity=positive_quantity(f"{field}.quantity", line.quantity),
                unit=unit,
                needed_by=line.needed_by,
                supplier=line.supplier,
                unit_price=(
                    None
                    if line.unit_price is None
                    else not_negative(f"{field}.unit_price", line.unit_price, 6)
                ),
                reason=(line.reason or "")[:200],
            )
        )
    return built


def _save_lines(requisition: PurchaseRequisition, lines: list[RequisitionLine]) -> None:
    for line in lines:
        line.requisition = requisition
        line.save(force_insert=True)


def _new(
    actor: User | None, company: Company, *, owner: User | None, source: str, notes: str
) -> PurchaseRequisition:
    requisition = PurchaseRequisition(
        number=number_next(company=company, doc_type="purchase_requisition", prefix="PR"),
        owner=owner,
        source=source,
        notes=notes,
    )
    return record_create(actor=actor, company=company, obj=requisition)


def purchase_requisition_create(
    *,
    actor: User,
    company: Company,
    lines: list[RequisitionLineIn],
    notes: str = "",
    source: str = Source.MANUAL,
) -> PurchaseRequisition:
    """A draft requisition of the actor's (the requester)."""
    check(actor, company, MANAGE_REQUISITION)
    built = _build_lines(company, lines)
    with transaction.atomic():
        requisition = _new(actor, company, owner=actor, source=source, notes=notes)
        _save_lines(requisition, built)
    return requisition


def purchase_requisition_update(
    *,
    actor: User,
    company: Company,
    requisition: PurchaseRequisition,
    data: dict[str, Any],
    lines: list[RequisitionLineIn] | None = None,
    version: int | None,
) -> PurchaseRequisition:
    """Change a draft: its notes and, when given, all its lines (replaced as a whole)."""
    check(actor, company, MANAGE_REQUISITION)
    data = {k: v for k, v in data.items() if k in HEADER_FIELDS}
    built = _build_lines(company, lines) if lines is not None else None
    with transaction.atomic():
        locked = access_requisition(user=actor, company=company, id=requisition.pk, for_update=True)
        from heyi.platform.services.records import check_version

        check_version(locked, version)
        if locked.status not in PurchaseRequisition.EDITABLE:
            raise refuse("status", _("Only a draft requisition can be changed."))
        changed = record_update(actor=actor, company=company, obj=locked, data=data, version=version)
        if built is not None:
            locked.lines.all().delete()
            _save_lines(locked, built)
            if not changed:
                locked.version += 1
                locked.save(update_fields=["version", "updated_at"])
    return locked


def purchase_requisition_submit(
    *, actor: User, company: Company, requisition: PurchaseRequisition
) -> PurchaseRequisition:
    """Send a draft for approval; approved at once when no approval flow applies."""
    check(actor, company, MANAGE_REQUISITION)
    with transaction.atomic():
        locked = access_requisition(user=actor, company=company, id=requisition.pk, for_update=True)
        if not locked.lines.exists():
            from ..errors import NoLines

            raise NoLines()
        locked.submitted_at = timezone.now()
        _transition(actor, company, locked, Status.SUBMITTED)
        if not approval_pending(actor=actor, company=company, document_type=REQUISITION, document=locked):
            _approve(actor, company, locked)
    return locked


def _transition(actor: User | None, company: Company, obj: PurchaseRequisition, new: str) -> None:
    record_transition(
        actor=actor,
        company=company,
        obj=obj,
        field="status",
        new=new,
        allowed=PurchaseRequisition.TRANSITIONS,
    )


def _approve(actor: User | None, company: Company, requisition: PurchaseRequisition) -> None:
    requisition.decided_at = timezone.now()
    requisition.decided_by = actor
    _transition(actor, company, requisition, Status.APPROVED)
    publish(
        RequisitionApproved(
            company_id=company.pk,
            actor_id=actor.pk if actor else None,
            subject_type="purchasing.requisition",
            subject_id=str(requisition.pk),
            number=requisition.number,
            source=requisition.source,
            lines=requisition.lines.count(),
        )
    )


def purchase_requisition_approve(
    *, actor: User | None, company: Company, requisition: PurchaseRequisition
) -> PurchaseRequisition:
    """The approval engine's callback on a final approval (it has checked the approver)."""
    check(None, company)
    with transaction.atomic():
        locked = PurchaseRequisition.objects.select_for_update().get(company=company, pk=requisition.pk)
        _approve(actor, company, locked)
    return locked


def purchase_requisition_reject(
    *, actor: User | None, company: Company, requisition: PurchaseRequisition
) -> PurchaseRequisition:
    """The approval engine's callback on a rejection; the requester may revise and resubmit."""
    check(None, company)
    with transaction.atomic():
        locked = PurchaseRequisition.objects.select_for_update().get(company=company, pk=requisition.pk)
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        _transition(actor, company, locked, Status.REJECTED)
    return locked


def purchase_requisition_withdraw(
    *, actor: User | None, company: Company, requisition: PurchaseRequisition
) -> PurchaseRequisition:
    """The approval engine's callback when the requester takes the request back: a draft again."""
    check(None, company)
    with transaction.atomic():
        locked = PurchaseRequisition.objects.select_for_update().get(company=company, pk=requisition.pk)
        locked.submitted_at = None
        _transition(actor, company, locked, Status.DRAFT)
    return locked


def purchase_requisition_reopen(
    *, actor: User, company: Company, requisition: PurchaseRequisition
) -> PurchaseRequisition:
    """A rejected requisition back to draft, to be revised."""
    check(actor, company, MANAGE_REQUISITION)
    with transaction.atomic():
        locked = access_requisition(user=actor, company=company, id=requisition.pk, for_update=True)
        _transition(actor, company, locked, Status.DRAFT)
    return locked


def purchase_requisition_cancel(
    *, actor: User, company: Company, requisition: PurchaseRequisition
) -> PurchaseRequisition:
    check(actor, company, MANAGE_REQUISITION)
    with transaction.atomic():
        locked = access_requisition(user=actor, company=company, id=requisition.pk, for_update=True)
        if locked.status == Status.SUBMITTED:
            approval_abandon(actor=actor, company=company, document_type=REQUISITION, document_id=locked.pk)
        _transition(actor, company, locked, Status.CANCELLED)
    return locked


def proposed_reorder_quantity(product: Product, available: Decimal, safety_stock: Decimal) -> Decimal:
    """Up to the reorder point (or the safety stock when none is set), and at least the shortfall."""
    target = max(product.reorder_point, safety_stock, product.safety_stock)
    return max(target - available, safety_stock - available, Decimal(0))


def purchase_requisition_from_alert(*, actor: User, company: Company, alert: Any) -> PurchaseRequisition:
    """A draft requisition for a low-stock alert, quantity up to the reorder point."""
    check(actor, company, MANAGE_REQUISITION)
    if alert.company_id != company.pk:
        raise refuse("alert_id", _("Not found."))
    product = alert.product
    quantity = proposed_reorder_quantity(product, alert.available, alert.safety_stock)
    if quantity <= 0:
        raise refuse("alert_id", _("Stock is no longer below the safety stock."))
    with transaction.atomic():
        open_states = [Status.DRAFT, Status.SUBMITTED, Status.APPROVED]
        if RequisitionLine.objects.filter(
            company=company,
            origin_type="inventory.stock_alert",
            origin_id=str(alert.pk),
            requisition__status__in=open_states,
        ).exists():
            raise AlreadyRequested()
        requisition = _new(actor, company, owner=actor, source=Source.STOCK_ALERT, notes="")
        line = _build_lines(
            company,
            [
                RequisitionLineIn(
                    product=product,
                    quantity=quantity.quantize(Decimal("0.0001")),
                    reason=_("Available %(available)s below safety stock %(safety)s")
                    % {
                        "available": f"{alert.available.normalize():f}",
                        "safety": f"{alert.safety_stock.normalize():f}",
                    },
                )
            ],
        )[0]
        line.origin_type = "inventory.stock_alert"
        line.origin_id = str(alert.pk)
        line.origin_reference = product.sku[:64]
        _save_lines(requisition, [line])
    return requisition


def _settings_locked(company: Company) -> PurchasingSettings:
    """The company's settings row, locked: it serialises who opens the automatic requisition."""
    found = PurchasingSettings.objects.select_for_update().filter(company=company).first()
    if found is None:
        try:
            with transaction.atomic():
                PurchasingSettings.objects.create(company=company)
        except IntegrityError:
            pass
        found = PurchasingSettings.objects.select_for_update().get(company=company)
    return found


def purchase_requisition_add_shortage(
    *,
    actor: User | None,
    company: Company,
    product: Product,
    quantity: Decimal,
    origin_type: str,
    origin_id: str,
    reference: str = "",
) -> PurchaseRequisition:
    """A sales shortage becomes a line of the company's open automatic requisition.

    System action (the sales confirmation that ran short is the cause): no purchasing
    permission is asked of the salesperson. The automatic requisition is approved on creation
    and collects lines until a buyer orders it; the next shortage then opens a new one.
    """
    check(None, company)
    if product.company_id != company.pk or quantity <= 0:
        raise refuse("product", _("Not found."))
    with transaction.atomic():
        _settings_locked(company)
        requisition = (
            PurchaseRequisition.objects.select_for_update()
            .filter(company=company, source=Source.SHORTAGE, status=Status.APPROVED)
            .order_by("created_at")
            .first()
        )
        if requisition is None:
            requisition = _new(
                actor, company, owner=actor, source=Source.SHORTAGE, notes=_("Opened for sales shortages.")
            )
            requisition.submitted_at = timezone.now()
            _transition(actor, company, requisition, Status.SUBMITTED)
            _approve(actor, company, requisition)
        position = requisition.lines.count() + 1
        RequisitionLine.objects.create(
            company=company,
            requisition=requisition,
            position=position,
            product=product,
            quantity=Decimal(quantity).quantize(Decimal("0.0001")),
            unit=product.base_unit,
            reason=(_("Shortage for %(reference)s") % {"reference": reference or origin_id})[:200],
            origin_type=origin_type[:60],
            origin_id=str(origin_id)[:64],
            origin_reference=reference[:64],
        )
        requisition.version += 1
        requisition.save(update_fields=["version", "updated_at"])
    return requisition


def purchase_requisition_from_approval(
    *,
    actor: User | None,
    company: Company,
    requester: User,
    lines: list[RequisitionLineIn],
    origin_id: str,
    reference: str,
    notes: str = "",
) -> PurchaseRequisition:
    """An approved request (a fixed-asset purchase request, say) becomes an approved
    requisition of its submitter's, ready for the buyers: the request's flow was its approval.

    System action inside the approving transaction: the approver needs no purchasing permission."""
    check(None, company)
    built = _build_lines(company, lines)
    for line in built:
        line.origin_type, line.origin_id, line.origin_reference = "approvals.instance", origin_id, reference
    with transaction.atomic():
        requisition = _new(actor, company, owner=requester, source=Source.MANUAL, notes=notes[:2000])
        _save_lines(requisition, built)
        requisition.submitted_at = timezone.now()
        _transition(actor, company, requisition, Status.SUBMITTED)
        _approve(actor, company, requisition)
    return requisition
