"""Fixed-asset purchase requests (固定资产申购): a template of the company's own whose approved
requests become purchase requisitions. The company designs the flow (typically the manager,
then finance); the form needs a table `items` with the product's `sku` and a `quantity`, and
may carry an estimated `unit_price` per row and a `reason`."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heyi.approvals.models import ApprovalInstance
from heyi.approvals.registry import Outcome, register_outcome
from heyi.catalog.models import Product
from heyi.platform.models import Company, User

from .services.requisitions import RequisitionLineIn, purchase_requisition_from_approval

OUTCOME = "purchasing.requisition"
FIELDS = [
    {
        "key": "items",
        "type": "table",
        "columns": [{"key": "sku", "type": "text"}, {"key": "quantity", "type": "number"}],
    }
]


def _products(company: Company, rows: list[dict[str, Any]]) -> dict[str, Product]:
    skus = {str(r.get("sku", "")).strip() for r in rows}
    return {p.sku: p for p in Product.objects.filter(company=company, sku__in=skus, is_active=True)}


def _check(company: Company, values: dict[str, Any]) -> dict[str, list[str]]:
    rows = values.get("items") or []
    if not rows:
        return {"items": [_("List at least one item to buy.")]}
    products = _products(company, rows)
    problems: dict[str, list[str]] = {}
    for i, row in enumerate(rows):
        if str(row.get("sku", "")).strip() not in products:
            problems[f"items.{i}.sku"] = [_("No active product has this code.")]
        try:
            quantity = Decimal(str(row.get("quantity")))
        except (InvalidOperation, ValueError):
            quantity = Decimal(0)
        if not quantity > 0:
            problems[f"items.{i}.quantity"] = [_("The quantity must be greater than zero.")]
    return problems


def _run(*, actor: User | None, company: Company, instance: ApprovalInstance) -> None:
    rows = instance.values["items"]
    products = _products(company, rows)
    reason = str(instance.values.get("reason") or "")
    lines = [
        RequisitionLineIn(
            product=products[str(row["sku"]).strip()],
            quantity=Decimal(str(row["quantity"])),
            unit_price=Decimal(str(row["unit_price"])) if row.get("unit_price") else None,
            reason=reason[:200],
        )
        for row in rows
    ]
    purchase_requisition_from_approval(
        actor=actor,
        company=company,
        requester=instance.submitter,
        lines=lines,
        origin_id=str(instance.pk),
        reference=instance.number,
        notes=_("From the approved request %(number)s: %(title)s")
        % {"number": instance.number, "title": instance.title},
    )


register_outcome(
    Outcome(
        key=OUTCOME,
        label=gettext_lazy("Create an approved purchase requisition"),
        fields=FIELDS,
        check=_check,
        run=_run,
    )
)
