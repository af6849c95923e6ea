"""Finance endpoints (ERP module), one router per area: the ledger (accounts, vouchers,
periods), invoices and bills, payments and expense claims, bank reconciliation, and the
reports."""

from .bank import router as bank_router
from .documents import router as documents_router
from .ledger import router as ledger_router
from .payments import router as payments_router
from .reports import router as reports_router

routers = [ledger_router, documents_router, payments_router, bank_router, reports_router]
