"""Financial reports, read from posted voucher lines and the open documents.

Each report is a selector taking the company and its dates and returning plain dataclasses,
so the pages, the Excel exports and the API show the same figures.
"""

from .ledger import TrialBalance, TrialBalanceRow, trial_balance

__all__ = ["TrialBalance", "TrialBalanceRow", "trial_balance"]
