from .accounts import Account, FinanceSettings
from .documents import Allocation, ExpenseClaim, ExpenseClaimLine, Invoice, InvoiceLine, Payment
from .ledger import FiscalYear, LedgerChain, Period, Voucher, VoucherLine

__all__ = [
    "Account",
    "Allocation",
    "ExpenseClaim",
    "ExpenseClaimLine",
    "FinanceSettings",
    "FiscalYear",
    "Invoice",
    "InvoiceLine",
    "LedgerChain",
    "Payment",
    "Period",
    "Voucher",
    "VoucherLine",
]
