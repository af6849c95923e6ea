"""Reads of sales: the filtered lists behind the API and pages, and the gross margin figures."""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from heyi.inventory.models import CostAdjustment
from heyi.platform.models import Company, User

from .access import deliveries_visible, orders_visible, returns_visible
from .models import Delivery, DeliveryLine, SalesOrder, SalesOrderLine, SalesReturn, SalesReturnLine
from .models.deliveries import DELIVERY_ORIGIN
from .totals import money

MARGIN_GROUPS = ("line", "order", "product", "customer", "salesperson")


def order_list(
    *,
    user: User,
    company: Company,
    q: str = "",
    state: str = "",
    customer: uuid.UUID | None = None,
    owner: uuid.UUID | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[SalesOrder]:
    """Orders this user may see; `q` matches the number, the customer's name, code or initials."""
    qs = orders_visible(user=user, company=company).select_related("customer", "owner", "warehouse")
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(customer__name__icontains=q)
            | Q(customer__code__icontains=q)
            | Q(customer__mnemonic__icontains=q)
        )
    if state:
        qs = qs.filter(state=state[:20])
    if customer is not None:
        qs = qs.filter(customer_id=customer)
    if owner is not None:
        qs = qs.filter(owner_id=owner)
    if date_from is not None:
        qs = qs.filter(order_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(order_date__lte=date_to)
    return qs


def delivery_list(
    *, user: User, company: Company, q: str = "", state: str = "", order: uuid.UUID | None = None
) -> QuerySet[Delivery]:
    qs = deliveries_visible(user=user, company=company).select_related("order", "order__customer")
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(order__number__icontains=q)
            | Q(order__customer__name__icontains=q)
            | Q(tracking_number__icontains=q)
        )
    if state:
        qs = qs.filter(state=state[:12])
    if order is not None:
        qs = qs.filter(order_id=order)
    return qs


def return_list(
    *, user: User, company: Company, q: str = "", state: str = "", delivery: uuid.UUID | None = None
) -> QuerySet[SalesReturn]:
    qs = returns_visible(user=user, company=company).select_related("delivery", "delivery__order__customer")
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(delivery__number__icontains=q)
            | Q(delivery__order__number__icontains=q)
            | Q(delivery__order__customer__name__icontains=q)
        )
    if state:
        qs = qs.filter(state=state[:12])
    if delivery is not None:
        qs = qs.filter(delivery_id=delivery)
    return qs


@dataclass
class Margin:
    """Revenue of what left and stayed out, the cost of it, and their difference."""

    key: str
    label: str
    revenue: Decimal = Decimal("0.00")
    cost: Decimal = Decimal("0.00")
    quantity: Decimal = Decimal("0")
    orders: set = field(default_factory=set)

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        if not self.revenue:
            return None
        return money(self.margin * 100 / self.revenue)

    @property
    def order_count(self) -> int:
        return len(self.orders)


def line_margins(lines: list[SalesOrderLine]) -> dict:
    """Per order line: (revenue, cost, net quantity out).

    Revenue is the line's net amount in proportion to what was shipped and not returned,
    rounded half-up; cost is what the shipped moves took out of stock, plus the revaluations
    a back-dated receipt later put on them, minus the value the returns brought back (returns
    come back at the shipped cost, so margins stay right).
    """
    ids = [ln.pk for ln in lines]
    shipped = dict(
        DeliveryLine.objects.filter(order_line_id__in=ids, delivery__state=Delivery.State.SHIPPED)
        .values("order_line")
        .annotate(total=Sum("cost_amount"))
        .values_list("order_line", "total")
    )
    returned = dict(
        SalesReturnLine.objects.filter(
            delivery_line__order_line_id__in=ids, sales_return__state=SalesReturn.State.RECEIVED
        )
        .values("delivery_line__order_line")
        .annotate(total=Sum("value"))
        .values_list("delivery_line__order_line", "total")
    )
    revalued: dict = {}
    delivery_lines = dict(
        DeliveryLine.objects.filter(
            order_line_id__in=ids, delivery__state=Delivery.State.SHIPPED
        ).values_list("pk", "order_line_id")
    )
    for origin_line, amount in (
        CostAdjustment.objects.filter(
            company_id__in={ln.company_id for ln in lines},
            move__origin_type=DELIVERY_ORIGIN,
            move__origin_line__in=[str(pk) for pk in delivery_lines],
        )
        .values("move__origin_line")
        .annotate(total=Sum("amount"))
        .values_list("move__origin_line", "total")
    ):
        key = delivery_lines[uuid.UUID(origin_line)]
        revalued[key] = revalued.get(key, Decimal("0.00")) - money(Decimal(amount))
    result = {}
    for ln in lines:
        out = ln.delivered_quantity - ln.returned_quantity
        revenue = money(ln.net_amount * out / ln.quantity) if ln.quantity else Decimal("0.00")
        cost = (
            (shipped.get(ln.pk) or Decimal("0.00"))
            + revalued.get(ln.pk, Decimal("0.00"))
            - (returned.get(ln.pk) or Decimal("0.00"))
        )
        result[ln.pk] = (revenue, cost, out)
    return result


def margins(
    *,
    user: User,
    company: Company,
    group: str = "order",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    order: uuid.UUID | None = None,
) -> list[Margin]:
    """Gross margin of the orders this user may see, by line, order, product, customer or salesperson."""
    orders = order_list(user=user, company=company, date_from=date_from, date_to=date_to)
    if order is not None:
        orders = orders.filter(pk=order)
    lines = list(
        SalesOrderLine.objects.filter(
            company=company, order__in=orders.values("pk"), delivered_quantity__gt=0
        )
        .select_related("order", "order__customer", "order__owner", "product")
        .order_by("order__number", "position")
    )
    figures = line_margins(lines)
    groups: dict[str, Margin] = {}
    for ln in lines:
        key, label = _group_of(ln, group)
        entry = groups.get(key) or groups.setdefault(key, Margin(key=key, label=label))
        revenue, cost, out = figures[ln.pk]
        entry.revenue += revenue
        entry.cost += cost
        entry.quantity += out if group in ("line", "product") else 0
        entry.orders.add(ln.order_id)
    return sorted(groups.values(), key=lambda m: (-m.margin, m.label))


def _group_of(ln: SalesOrderLine, group: str) -> tuple[str, str]:
    if group == "line":
        return str(ln.pk), f"{ln.order.number}/{ln.position} {ln.product.name}"
    if group == "product":
        return str(ln.product_id), f"{ln.product.sku} {ln.product.name}"
    if group == "customer":
        return str(ln.order.customer_id), ln.order.customer.name
    if group == "salesperson":
        return str(ln.order.owner_id), str(ln.order.owner)
    return str(ln.order_id), ln.order.number


def order_margin(order: SalesOrder) -> tuple[Decimal, Decimal]:
    """(revenue, cost) of one order, for its page."""
    lines = list(order.lines.all())
    figures = line_margins(lines)
    return (
        sum((f[0] for f in figures.values()), Decimal("0.00")),
        sum((f[1] for f in figures.values()), Decimal("0.00")),
    )
