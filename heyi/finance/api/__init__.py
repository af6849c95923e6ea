"""Finance endpoints (ERP module), one router per area: the ledger (accounts, vouchers,
periods), invoices and bills, payments and expense claims, and the reports."""

from .documents import router as documents_router
from .ledger import router as ledger_router
from .payments import router as payments_router
from .reports import router as reports_router

routers = [ledger_router, documents_router, payments_router, reports_router]
