from .documents import StockCount, StockCountLine, Transfer, TransferLine
from .stock import (
    Batch,
    BatchBalance,
    CostAdjustment,
    InventorySettings,
    ProductValuation,
    Reservation,
    StockAlert,
    StockBalance,
    StockMove,
)
from .warehouses import Location, Warehouse

__all__ = [
    "Batch",
    "BatchBalance",
    "CostAdjustment",
    "InventorySettings",
    "Location",
    "ProductValuation",
    "Reservation",
    "StockAlert",
    "StockBalance",
    "StockCount",
    "StockCountLine",
    "StockMove",
    "Transfer",
    "TransferLine",
    "Warehouse",
]
