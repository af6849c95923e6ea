"""What the platform needs to know about partners: record type, navigation and imports."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import ValidationFailed
from heyi.platform.imports import ImportColumn, ImportSpec, register_import
from heyi.platform.models import Company, User
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.registry import RecordType, register_record_type

from .access import CUSTOMER, KIND_FIELD, SUPPLIER, partners_visible, tags_visible
from .models import Partner, Tag
from .permissions import MANAGE_CUSTOMERS, MANAGE_SUPPLIERS, VIEW_CUSTOMERS, VIEW_SUPPLIERS
from .services.partners import partner_create
from .services.tags import tag_create

register_record_type(
    RecordType(
        key="partners.partner",
        model=Partner,
        label=_("Business partner"),
        view_permission=VIEW_CUSTOMERS,
        search_fields=(
            "name",
            "short_name",
            "code",
            "mnemonic",
            "phone",
            "phone_normalized",
            "email_normalized",
        ),
        detail_url_name="partners:partner_detail",
        subtitle=lambda p: " · ".join(x for x in (p.code, p.city) if x),
        visible=lambda user, company: partners_visible(user=user, company=company),
    )
)

register_nav(
    NavItem("master", _("Customers"), "partners:customer_list", VIEW_CUSTOMERS, None, 10),
    NavItem("master", _("Partner tags"), "partners:tag_list", MANAGE_CUSTOMERS, None, 40),
    NavItem("purchasing", _("Suppliers"), "partners:supplier_list", VIEW_SUPPLIERS, None, 10),
)

TAG_SEPARATORS = re.compile(r"[,，、;；]")
COLUMN_OF_FIELD = {"payment_terms_days": "payment_terms"}  # service field -> import column


def _decimal(text: str, column: str) -> Decimal:
    text = (text or "").replace(",", "").strip() or "0"
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValidationFailed(fields={column: [str(_("Enter a number, such as 50000.00."))]})
    return value


def _days(text: str, column: str) -> int:
    text = (text or "").strip().removesuffix("天").strip() or "0"
    if not text.isdigit():
        raise ValidationFailed(fields={column: [str(_("Enter a whole number of days from 0 to 365."))]})
    return int(text)


def _tags(user: User, company: Company, text: str) -> list[Tag]:
    """Tags by name; names the company does not have yet are created."""
    names = list(dict.fromkeys(n.strip() for n in TAG_SEPARATORS.split(text or "") if n.strip()))
    existing = {t.name: t for t in tags_visible(user=user, company=company).filter(name__in=names)}
    return [existing.get(n) or tag_create(actor=user, company=company, name=n) for n in names]


def _row_importer(kind: str):
    def create_row(user: User, company: Company, row: dict[str, str]) -> Partner:
        try:
            return partner_create(
                actor=user,
                company=company,
                **{KIND_FIELD[kind]: True},
                name=row.get("name", ""),
                code=row.get("code", ""),
                tax_number=row.get("tax_number", ""),
                phone=row.get("phone", ""),
                email=row.get("email", ""),
                province=row.get("province", ""),
                city=row.get("city", ""),
                credit_limit=_decimal(row.get("credit_limit", ""), "credit_limit"),
                payment_terms_days=_days(row.get("payment_terms", ""), "payment_terms"),
                tags=_tags(user, company, row.get("tags", "")),
            )
        except ValidationFailed as exc:
            exc.fields = {COLUMN_OF_FIELD.get(k, k): v for k, v in exc.fields.items()}
            raise

    return create_row


COLUMNS = (
    ImportColumn("name", _("Name"), required=True),
    ImportColumn("code", _("Code"), help=_("Left empty, a number such as BP-2026-000001 is given.")),
    ImportColumn("tax_number", _("Unified social credit code")),
    ImportColumn("phone", _("Phone")),
    ImportColumn("email", _("E-mail")),
    ImportColumn("province", _("Province")),
    ImportColumn("city", _("City")),
    ImportColumn("credit_limit", _("Credit limit")),
    ImportColumn("payment_terms", _("Payment terms (days)")),
    ImportColumn("tags", _("Tags"), help=_("Several tags separated by commas; new ones are created.")),
)

register_import(
    ImportSpec(
        key="partners.customer",
        label=_("Customers"),
        permission=MANAGE_CUSTOMERS,
        columns=COLUMNS,
        create_row=_row_importer(CUSTOMER),
    )
)
register_import(
    ImportSpec(
        key="partners.supplier",
        label=_("Suppliers"),
        permission=MANAGE_SUPPLIERS,
        columns=COLUMNS,
        create_row=_row_importer(SUPPLIER),
    )
)
