"""Navigation entries: each app registers its pages; the web shell shows those the company
subscribes to and the user may open."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

SECTIONS: dict[str, Any] = {
    "crm": _("CRM"),
    "sales": _("Sales"),
    "purchasing": _("Purchasing"),
    "inventory": _("Inventory"),
    "production": _("Production"),
    "finance": _("Finance"),
    "oa": _("Office"),
    "master": _("Master data"),
    "insights": _("Insights"),
    "settings": _("Settings"),
}


@dataclass(frozen=True)
class NavItem:
    section: str
    label: Any
    url_name: str
    permission: str | None = None
    module: str | None = None
    order: int = 100


_items: list[NavItem] = []


def register_nav(*items: NavItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)


def nav_items() -> list[NavItem]:
    return sorted(_items, key=lambda i: (list(SECTIONS).index(i.section), i.order))
