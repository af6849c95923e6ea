"""Financial reports, read from posted voucher lines and the open documents.

Each report is a selector taking the company and its dates and returning plain dataclasses,
so the pages, the Excel exports and the API show the same figures.
"""

from .ageing import Ageing, AgeingRow, OpenDocument, open_documents, payable_ageing, receivable_ageing
from .bank import BankReconciliation, bank_reconciliation
from .ledger import (
    CashPosition,
    GeneralLedger,
    LedgerEntry,
    TrialBalance,
    TrialBalanceRow,
    cash_position,
    general_ledger,
    trial_balance,
)
from .margin import GrossMargin, MarginRow, gross_margin
from .statements import BalanceSheet, IncomeStatement, StatementLine, balance_sheet, income_statement

__all__ = [
    "Ageing",
    "AgeingRow",
    "BalanceSheet",
    "BankReconciliation",
    "CashPosition",
    "GeneralLedger",
    "GrossMargin",
    "IncomeStatement",
    "LedgerEntry",
    "MarginRow",
    "OpenDocument",
    "StatementLine",
    "TrialBalance",
    "TrialBalanceRow",
    "balance_sheet",
    "bank_reconciliation",
    "cash_position",
    "gross_margin",
    "income_statement",
    "open_documents",
    "payable_ageing",
    "receivable_ageing",
    "general_ledger",
    "trial_balance",
]
