from .accounts import Account, FinanceSettings
from .bank import BankLine
from .documents import Allocation, ExpenseClaim, ExpenseClaimLine, Invoice, InvoiceLine, Payment
from .ledger import FiscalYear, LedgerChain, Period, Voucher, VoucherLine

__all__ = [
    "Account",
    "Allocation",
    "BankLine",
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
