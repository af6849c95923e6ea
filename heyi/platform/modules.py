"""Modules a company subscribes to. Platform and master data are always on."""

from django.utils.translation import gettext_lazy as _

CRM = "crm"
ERP = "erp"
OA = "oa"

MODULES = {
    CRM: _("CRM"),
    ERP: _("ERP (supply chain and finance)"),
    OA: _("OA (approvals and collaboration)"),
}
ALWAYS_ON = None  # apps whose module is None belong to every company
