"""Stock moves post themselves: receipts to inventory against goods received not invoiced,
deliveries from inventory to cost of goods sold, at the moving-average cost."""

from decimal import Decimal

from heyi.finance.models import Voucher, VoucherLine
from heyi.finance.selectors import account_balance

D = Decimal


def test_receipt_and_delivery_post_inventory_grni_and_cost_of_goods_sold(
    company, received, shipped, printer, supplier
):
    receipt = received([(printer, 10, "2000")])
    voucher = Voucher.objects.get(
        company=company, source_type="purchasing.receipt", source_id=str(receipt.pk)
    )
    assert (
        voucher.state == Voucher.State.POSTED
        and voucher.number == "转-0001"
        and voucher.total == D("20000.00")
    )
    grni = VoucherLine.objects.get(voucher=voucher, account__code="220202")
    assert grni.credit == D("20000.00") and grni.partner == supplier

    shipped([(printer, 3, "2680")])
    assert account_balance(company, "1405") == D("14000.00")
    assert account_balance(company, "540101") == D("6000.00")
    assert account_balance(company, "220202") == D("-20000.00")
