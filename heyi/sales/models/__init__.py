from .deliveries import Delivery, DeliveryLine
from .orders import SalesOrder, SalesOrderLine, SalesSettings
from .returns import SalesReturn, SalesReturnLine

__all__ = [
    "Delivery",
    "DeliveryLine",
    "SalesOrder",
    "SalesOrderLine",
    "SalesReturn",
    "SalesReturnLine",
    "SalesSettings",
]
