"""Stock postings in the books, in the stock posting's own transaction.

Every stock posting moves its value between the inventory account and the account its
origin names (cost of goods sold for deliveries and customer returns, goods received not
invoiced for receipts, stock gains and losses for counts and anything else); transfers move
value only between warehouses and post nothing. Goods sent back to a supplier leave stock at
the moving average but take goods received not invoiced back at the receipt's cost, the
difference going to purchase price differences, so the supplier's credit note clears the
account to the cent. Revaluations of earlier outgoing moves caused by a back-dated move go to
the account of those moves' origin (price differences for returns to suppliers). So the
inventory account always equals the value of the stock ledger.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from heyi.catalog.models import Product
from heyi.inventory.events import StockMoved
from heyi.partners.models import Partner
from heyi.platform.eventbus import DomainEvent, subscribe
from heyi.platform.models import Company, User
from heyi.purchasing.models import PurchaseReturn, Receipt
from heyi.purchasing.services.receipts import RECEIPT_ORIGIN, RETURN_ORIGIN
from heyi.sales.models.deliveries import DELIVERY_ORIGIN

from .models import Account, FinanceSettings, Voucher
from .services.bills import returned_at_receipt_cost
from .services.common import ZERO, finance_settings
from .services.vouchers import LineIn, ledger_post

SALES_RETURN_ORIGIN = "sales.return"


def _counter_account(settings: FinanceSettings, origin_type: str) -> Account:
    if origin_type in (DELIVERY_ORIGIN, SALES_RETURN_ORIGIN):
        return settings.cost_of_goods_sold
    if origin_type in (RECEIPT_ORIGIN, RETURN_ORIGIN):
        return settings.goods_received_not_invoiced
    return settings.stock_adjustment


def _supplier(company: Company, origin_type: str, origin_id: str) -> Partner | None:
    if origin_type == RECEIPT_ORIGIN:
        receipt = (
            Receipt.objects.filter(company=company, pk=origin_id).select_related("order__supplier").first()
        )
        return receipt.order.supplier if receipt else None
    if origin_type == RETURN_ORIGIN:
        found = (
            PurchaseReturn.objects.filter(company=company, pk=origin_id)
            .select_related("receipt__order__supplier")
            .first()
        )
        return found.receipt.order.supplier if found else None
    return None


@subscribe(StockMoved)
def stock_moved_post(event: DomainEvent) -> None:
    assert isinstance(event, StockMoved)
    company = Company.objects.get(pk=event.company_id)
    actor = User.objects.filter(pk=event.actor_id).first() if event.actor_id else None
    settings = finance_settings(company)
    by_origin: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
    for line in event.lines:
        by_origin[(event.subject_type, event.subject_id, line["product"])] += Decimal(line["value"])
    for adjustment in event.adjustments:
        key = (adjustment["origin_type"], adjustment["origin_id"], adjustment["product"])
        by_origin[key] += Decimal(adjustment["amount"])
    values = {key: value for key, value in by_origin.items() if value}
    if not values:
        return
    products = {str(pk): p for pk, p in Product.objects.in_bulk({key[2] for key in values}).items()}
    at_receipt_cost = (
        returned_at_receipt_cost(company, event.subject_id) if event.subject_type == RETURN_ORIGIN else {}
    )
    suppliers: dict[tuple[str, str], Partner | None] = {}
    lines: list[LineIn] = []

    def add(account: Account, signed: Decimal, product: Product, partner: Partner | None = None) -> None:
        if signed:
            debit, credit = (signed, ZERO) if signed > 0 else (ZERO, -signed)
            lines.append(
                LineIn(account=account, debit=debit, credit=credit, product=product, partner=partner)
            )

    for (origin_type, origin_id, product_id), value in sorted(values.items()):
        product = products[product_id]
        counter = _counter_account(settings, origin_type)
        partner = None
        if counter.partner_required:
            if (origin_type, origin_id) not in suppliers:
                suppliers[(origin_type, origin_id)] = _supplier(company, origin_type, origin_id)
            partner = suppliers[(origin_type, origin_id)]
            if partner is None:
                counter = settings.stock_adjustment
        add(settings.inventory, value, product)
        if origin_type == RETURN_ORIGIN and counter == settings.goods_received_not_invoiced:
            grni = at_receipt_cost.get(product_id, ZERO) if origin_id == event.subject_id else ZERO
            add(counter, grni, product, partner)
            add(settings.price_difference, -value - grni, product)
        else:
            add(counter, -value, product, partner)
    ledger_post(
        actor=actor,
        company=company,
        date=event.occurred_on,
        word=Voucher.Word.TRANSFER,
        narration=_("Stock posting %(reference)s") % {"reference": event.reference},
        lines=lines,
        source=(event.subject_type, event.subject_id, event.reference),
    )
