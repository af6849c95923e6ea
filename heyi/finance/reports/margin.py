"""Gross margin from the books: revenue posted by invoices less the cost of goods sold posted
by deliveries and returns, per product or per customer, over a period.

Per product both sides carry the product dimension. Per customer, revenue belongs to the
partner of the invoice that posted it and cost to the customer of the delivery (or return)
that posted it; cost posted otherwise (a revaluation of earlier deliveries, a voucher made by
hand) is shown on a line of its own.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum, UUIDField
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from heyi.catalog.models import Product
from heyi.partners.models import Partner
from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company
from heyi.sales.models import Delivery, SalesReturn
from heyi.sales.models.deliveries import DELIVERY_ORIGIN

from ..models import FinanceSettings, Invoice, VoucherLine
from ..postings import SALES_RETURN_ORIGIN
from .ledger import ZERO, account_tree, ancestors, cents

BY_PRODUCT, BY_CUSTOMER = "product", "customer"
MARGIN_GROUPS = (BY_PRODUCT, BY_CUSTOMER)


@dataclass
class MarginRow:
    key: uuid.UUID | None  # the product or customer; None for what carries neither
    code: str
    label: str
    revenue: Decimal = ZERO
    cost: Decimal = ZERO

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        if not self.revenue:
            return None
        return (self.margin * 100 / self.revenue).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class GrossMargin:
    start: datetime.date
    end: datetime.date
    by: str
    rows: list[MarginRow]
    totals: MarginRow


def _account_ids(company: Company, top: Any) -> list[uuid.UUID]:
    accounts = account_tree(company)
    return [pk for pk in accounts if top.pk in ancestors(accounts, pk)]


def gross_margin(
    company: Company, start: datetime.date, end: datetime.date, by: str = BY_PRODUCT
) -> GrossMargin:
    if by not in MARGIN_GROUPS:
        raise ValidationFailed(
            fields={"by": [_("Choose from: %(groups)s.") % {"groups": ", ".join(MARGIN_GROUPS)}]}
        )
    rows: dict[uuid.UUID | None, MarginRow] = {}
    totals = MarginRow(key=None, code="", label="")
    settings = (
        FinanceSettings.objects.filter(company=company)
        .select_related("revenue", "cost_of_goods_sold")
        .first()
    )
    if settings is None:
        return GrossMargin(start, end, by, [], totals)
    lines = VoucherLine.objects.filter(company=company, posted=True, date__gte=start, date__lte=end)
    revenue = lines.filter(account_id__in=_account_ids(company, settings.revenue))
    cost = lines.filter(account_id__in=_account_ids(company, settings.cost_of_goods_sold))
    if by == BY_CUSTOMER:
        earned, spent, labels = _by_customer(company, revenue, cost)
    else:
        earned, spent, labels = _by_product(company, revenue, cost)
    for key in set(earned) | set(spent):
        code, label = labels.get(key, ("", "")) if key is not None else ("", "")
        row = rows[key] = MarginRow(key=key, code=code, label=label)
        row.revenue, row.cost = earned.get(key, ZERO), spent.get(key, ZERO)
        totals.revenue += row.revenue
        totals.cost += row.cost
    ordered = sorted(rows.values(), key=lambda r: (r.key is None, -r.margin, r.code, r.label))
    return GrossMargin(start, end, by, [r for r in ordered if r.revenue or r.cost], totals)


Figures = dict[uuid.UUID | None, Decimal]
Labels = dict[uuid.UUID, tuple[str, str]]


def _by_product(company: Company, revenue: QuerySet, cost: QuerySet) -> tuple[Figures, Figures, Labels]:
    earned: Figures = {}
    spent: Figures = {}
    for r in revenue.values("product_id").annotate(value=Sum(F("credit") - F("debit"))).order_by():
        earned[r["product_id"]] = cents(r["value"])
    for c in cost.values("product_id").annotate(value=Sum(F("debit") - F("credit"))).order_by():
        spent[c["product_id"]] = cents(c["value"])
    keys = {k for k in (*earned, *spent) if k is not None}
    products = Product.objects.filter(company=company, pk__in=keys).values_list("pk", "sku", "name")
    return earned, spent, {pk: (sku, name) for pk, sku, name in products}


def _by_customer(company: Company, revenue: QuerySet, cost: QuerySet) -> tuple[Figures, Figures, Labels]:
    """Revenue per partner of the line, or else of the invoice whose voucher it is."""
    earned: Figures = {}
    invoice_partner = Invoice.objects.filter(voucher_id=OuterRef("voucher_id")).values("partner_id")[:1]
    for r in (
        revenue.annotate(who=Coalesce("partner_id", Subquery(invoice_partner), output_field=UUIDField()))
        .values("who")
        .annotate(value=Sum(F("credit") - F("debit")))
        .order_by()
    ):
        earned[r["who"]] = earned.get(r["who"], ZERO) + cents(r["value"])
    spent = _cost_by_customer(company, cost)
    keys = {k for k in (*earned, *spent) if k is not None}
    partners = Partner.objects.filter(company=company, pk__in=keys).values_list("pk", "name")
    return earned, spent, {pk: ("", name) for pk, name in partners}


def _cost_by_customer(company: Company, cost: QuerySet) -> Figures:
    """Cost of goods sold per customer of the delivery or return whose stock posting it is."""
    by_source = list(
        cost.values("voucher__source_type", "voucher__source_id")
        .annotate(value=Sum(F("debit") - F("credit")))
        .order_by()
    )
    deliveries = _ids(
        s["voucher__source_id"] for s in by_source if s["voucher__source_type"] == DELIVERY_ORIGIN
    )
    returns = _ids(
        s["voucher__source_id"] for s in by_source if s["voucher__source_type"] == SALES_RETURN_ORIGIN
    )
    customers: dict[tuple[str, str], uuid.UUID] = {}
    for pk, customer in Delivery.objects.filter(company=company, pk__in=deliveries).values_list(
        "pk", "order__customer_id"
    ):
        customers[(DELIVERY_ORIGIN, str(pk))] = customer
    for pk, customer in SalesReturn.objects.filter(company=company, pk__in=returns).values_list(
        "pk", "delivery__order__customer_id"
    ):
        customers[(SALES_RETURN_ORIGIN, str(pk))] = customer
    spent: Figures = {}
    for s in by_source:
        who = customers.get((s["voucher__source_type"], s["voucher__source_id"]))
        spent[who] = spent.get(who, ZERO) + cents(s["value"])
    return spent


def _ids(values) -> set[uuid.UUID]:
    found = set()
    for value in values:
        try:
            found.add(uuid.UUID(value))
        except ValueError:
            continue
    return found
