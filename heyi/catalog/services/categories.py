"""The product category tree."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from heyi.platform.access import require_perm
from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.records import record_create, record_delete, record_update

from ..access import access_category
from ..models import Category
from ..permissions import MANAGE_PRODUCT
from ._checks import duplicates_refused, same_company, unique

CATEGORY_FIELDS = {"name", "code", "parent"}
DUPLICATE_NAME = _("A category with this name already exists here.")
DUPLICATE_CODE = _("A category with this code already exists.")


def _unique_name(company: Company, name: Any, parent: Category | None, exclude_pk: Any = None) -> None:
    unique(
        Category,
        company=company,
        field="name",
        value=name,
        message=DUPLICATE_NAME,
        exclude_pk=exclude_pk,
        parent=parent,
    )


def category_create(
    *, actor: User, company: Company, name: str, parent: Category | None = None, code: str = ""
) -> Category:
    require_perm(actor, company, MANAGE_PRODUCT)
    same_company(company, parent=parent)
    with transaction.atomic():
        _unique_name(company, name, parent)
        unique(Category, company=company, field="code", value=code, message=DUPLICATE_CODE)
        with duplicates_refused():
            return record_create(
                actor=actor, company=company, obj=Category(name=name, parent=parent, code=code)
            )


def category_update(
    *, actor: User, company: Company, category: Category, data: dict[str, Any], version: int | None
) -> Category:
    """Rename or move a category; it can never end up below itself."""
    require_perm(actor, company, MANAGE_PRODUCT)
    data = {k: v for k, v in data.items() if k in CATEGORY_FIELDS}
    same_company(company, parent=data.get("parent"))
    with transaction.atomic():
        locked = access_category(user=actor, company=company, id=category.pk, for_update=True)
        ancestor = data.get("parent")
        while ancestor is not None:
            if ancestor.pk == locked.pk:
                raise ValidationFailed(fields={"parent": [str(_("A category cannot sit below itself."))]})
            ancestor = ancestor.parent
        _unique_name(company, data.get("name", locked.name), data.get("parent", locked.parent), locked.pk)
        unique(
            Category,
            company=company,
            field="code",
            value=data.get("code"),
            message=DUPLICATE_CODE,
            exclude_pk=locked.pk,
        )
        with duplicates_refused():
            record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    return locked


def category_delete(*, actor: User, company: Company, category: Category) -> None:
    """Only an empty category (no products, no subcategories) can be deleted."""
    require_perm(actor, company, MANAGE_PRODUCT)
    with transaction.atomic():
        locked = access_category(user=actor, company=company, id=category.pk, for_update=True)
        record_delete(actor=actor, company=company, obj=locked)
