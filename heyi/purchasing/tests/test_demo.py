"""The demo company has something to buy, receive and return, and its stock agrees with the ledger."""

from heyi.approvals.models import ApprovalInstance
from heyi.inventory.models import StockBalance, Warehouse
from heyi.inventory.selectors import stock_available, stock_differences
from heyi.purchasing.models import PurchaseOrder, PurchaseRequisition, Receipt, SupplierPrice

APPS_UP_TO_PURCHASING = [
    "heyi.platform",
    "heyi.approvals",
    "heyi.partners",
    "heyi.catalog",
    "heyi.inventory",
    "heyi.purchasing",
]


def test_the_demo_company_has_price_history_open_orders_and_a_rejected_part(db):
    from heyi.platform.demo import load_demo

    company = load_demo(APPS_UP_TO_PURCHASING)
    assert SupplierPrice.objects.filter(company=company).count() >= 8
    statuses = list(PurchaseOrder.objects.filter(company=company).values_list("status", flat=True))
    assert statuses.count("closed") == 7 and "confirmed" in statuses and "partially_received" in statuses
    assert PurchaseRequisition.objects.filter(company=company, status="draft").exists()
    assert PurchaseRequisition.objects.filter(company=company, status="approved").exists()
    receipt = Receipt.objects.get(company=company, lines__rejected_quantity__gt=0)
    line = receipt.lines.get()
    quarantine = Warehouse.objects.get(company=company, kind=Warehouse.Kind.QUARANTINE)
    assert StockBalance.objects.get(company=company, product=line.product, warehouse=quarantine).on_hand == 2
    in_stock = StockBalance.objects.filter(
        company=company, product=line.product, warehouse__kind=Warehouse.Kind.STOCK
    ).values_list("on_hand", flat=True)
    assert line.accepted_quantity == 10
    assert stock_available(company, line.product) == sum(in_stock), (
        "the rejects in quarantine are not available"
    )
    assert stock_differences() == []
    requests = ApprovalInstance.objects.filter(company=company, document_type="purchasing.requisition")
    assert sorted(requests.values_list("state", flat=True)) == ["approved", "running"]
    waiting = requests.get(state="running")
    assert PurchaseRequisition.objects.get(pk=waiting.document_id).status == "submitted"
    assert waiting.tasks.get(state="pending").assignee.username == "admin", "over 50,000: the general manager"


def test_the_demo_fixed_asset_request_became_an_approved_requisition(db):
    from heyi.approvals.models import ApprovalInstance
    from heyi.platform.demo import load_demo

    company = load_demo(APPS_UP_TO_PURCHASING)
    requests = ApprovalInstance.objects.filter(company=company, template__code="fixed_asset_request")
    approved = requests.get(state="approved")
    assert requests.filter(state="running").exists()
    requisition = PurchaseRequisition.objects.get(company=company, lines__origin_reference=approved.number)
    assert requisition.status == "approved" and requisition.owner.username == "employee"
    assert requisition.lines.get().product.sku == "PRJ-EP-CB2247"
