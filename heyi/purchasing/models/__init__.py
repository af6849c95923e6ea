from .orders import PurchaseOrder, PurchaseOrderLine
from .prices import PurchasingSettings, SupplierPrice
from .receipts import PurchaseReturn, PurchaseReturnLine, Receipt, ReceiptLine
from .requisitions import PurchaseRequisition, RequisitionLine

__all__ = [
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseRequisition",
    "PurchaseReturn",
    "PurchaseReturnLine",
    "PurchasingSettings",
    "Receipt",
    "ReceiptLine",
    "RequisitionLine",
    "SupplierPrice",
]
