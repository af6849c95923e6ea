"""Reversing a stock move on a person's behalf: the ledger's reversal behind the permission."""

from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.models import Company, User

from ..models import StockMove
from ..permissions import MOVE_STOCK
from . import ledger


def stock_move_reverse(*, actor: User, company: Company, move: StockMove) -> StockMove:
    """A mirror move taking the original back; only for those who may move stock."""
    require_module(company, modules.ERP)
    require_perm(actor, company, MOVE_STOCK)
    return ledger.stock_move_reverse(actor=actor, company=company, move=move)
