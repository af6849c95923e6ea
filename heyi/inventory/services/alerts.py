"""Low-stock alerts: opened when available stock falls below safety stock, closed when back."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.catalog.models import Product
from heyi.platform.access import holders_of
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, User
from heyi.platform.services.notifications import notify

from ..events import StockBelowSafety
from ..models import StockAlert, StockBalance, Warehouse
from ..permissions import WATCH_STOCK_ALERTS

ZERO = Decimal(0)
QTY = Decimal("0.0001")


def stock_alerts_refresh(
    *, actor: User | None, company: Company, products: Iterable[Product]
) -> list[StockAlert]:
    """Open or close the alerts of `products` from their available stock; returns the new ones."""
    by_id = {p.pk: p for p in products}
    open_alerts = {
        a.product_id: a
        for a in StockAlert.objects.filter(company=company, product_id__in=by_id, state=StockAlert.State.OPEN)
    }
    watched = [p for p in by_id.values() if p.safety_stock > 0 or p.pk in open_alerts]
    if not watched:
        return []
    available = dict(
        StockBalance.objects.filter(
            company=company, product_id__in=[p.pk for p in watched], warehouse__kind=Warehouse.Kind.STOCK
        )
        .values("product_id")
        .annotate(total=Sum("on_hand") - Sum("reserved"))
        .values_list("product_id", "total")
    )
    opened = []
    for product in watched:
        now_available = Decimal(available.get(product.pk) or ZERO).quantize(QTY)
        alert = open_alerts.get(product.pk)
        if now_available < product.safety_stock and alert is None:
            opened.append(_open(actor, company, product, now_available))
        elif alert is not None and now_available >= product.safety_stock:
            alert.state, alert.available, alert.closed_at = (
                StockAlert.State.CLOSED,
                now_available,
                timezone.now(),
            )
            alert.save(update_fields=["state", "available", "closed_at", "updated_at"])
        elif alert is not None and alert.available != now_available:
            alert.available = now_available
            alert.save(update_fields=["available", "updated_at"])
    return opened


def _open(actor: User | None, company: Company, product: Product, available) -> StockAlert:
    alert = StockAlert.objects.create(
        company=company, product=product, available=available, safety_stock=product.safety_stock
    )
    publish(
        StockBelowSafety(
            company_id=company.pk,
            actor_id=actor.pk if actor is not None else None,
            subject_type="catalog.product",
            subject_id=str(product.pk),
            alert_id=str(alert.pk),
            sku=product.sku,
            available=available,
            safety_stock=product.safety_stock,
        )
    )
    notify(
        company=company,
        recipients=holders_of(company, WATCH_STOCK_ALERTS),
        kind="inventory.stock_below_safety",
        title=_("Low stock: %(product)s") % {"product": product.name},
        body=_("%(available)s %(unit)s available, safety stock %(safety)s.")
        % {
            "available": available.normalize(),
            "unit": product.base_unit.name,
            "safety": product.safety_stock.normalize(),
        },
        link=reverse("inventory:stock_alert_list"),
        actor=actor,
    )
    return alert
