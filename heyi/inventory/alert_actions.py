"""What apps above inventory offer on a low-stock alert (purchasing: a requisition).

Inventory cannot import them; they register their buttons here, and the alert page shows
those the user may press.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from heyi.platform.access import has_perm, module_enabled
from heyi.platform.models import Company, User

from .models import StockAlert


@dataclass(frozen=True)
class AlertAction:
    label: Any
    url: Callable[[StockAlert], str]
    perm: str
    module: str | None = None


_actions: list[AlertAction] = []


def register_alert_action(action: AlertAction) -> None:
    _actions.append(action)


def alert_actions(user: User, company: Company) -> list[AlertAction]:
    return [a for a in _actions if module_enabled(company, a.module) and has_perm(user, company, a.perm)]
