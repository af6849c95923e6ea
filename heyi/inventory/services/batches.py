"""Batches (lots) of a product, with the dates picking goes by."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from heyi.catalog.models import Product
from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.errors import DuplicateValue, ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.records import record_create

from ..models import Batch
from ..permissions import MOVE_STOCK


def batch_create(
    *,
    actor: User,
    company: Company,
    product: Product,
    code: str,
    expiry_date: datetime.date | None = None,
    manufactured_on: datetime.date | None = None,
) -> Batch:
    """A new batch entered by hand in inventory."""
    require_perm(actor, company, MOVE_STOCK)
    code = _checked(company, product, code, expiry_date, manufactured_on)
    try:
        with transaction.atomic():
            if Batch.objects.filter(company=company, product=product, code=code).exists():
                raise ValidationFailed(
                    fields={"code": [str(_("This product already has a batch with this code."))]}
                )
            return _create(actor, company, product, code, expiry_date, manufactured_on)
    except IntegrityError as exc:
        raise DuplicateValue() from exc


def batch_for_receipt(
    *,
    actor: User | None,
    company: Company,
    product: Product,
    code: str,
    expiry_date: datetime.date | None = None,
) -> Batch:
    """The product's batch with this code, made on its first receipt (its expiry kept from then).

    For the receiving documents of other apps, which check their own permission first.
    """
    code = _checked(company, product, code, expiry_date, None)
    found = Batch.objects.filter(company=company, product=product, code=code).first()
    if found is None:
        try:
            with transaction.atomic():
                return _create(actor, company, product, code, expiry_date, None)
        except IntegrityError:
            found = Batch.objects.get(company=company, product=product, code=code)
    if expiry_date is not None and found.expiry_date is not None and found.expiry_date != expiry_date:
        raise ValidationFailed(
            fields={
                "expiry_date": [str(_("Batch %(code)s already has another expiry date.") % {"code": code})]
            }
        )
    return found


def _checked(
    company: Company,
    product: Product,
    code: str,
    expiry_date: datetime.date | None,
    manufactured_on: datetime.date | None,
) -> str:
    require_module(company, modules.ERP)
    if product.company_id != company.pk:
        raise ValidationFailed(fields={"product_id": [str(_("Not found."))]})
    if product.kind == Product.Kind.SERVICE:
        raise ValidationFailed(fields={"product_id": [str(_("A service is not kept in stock."))]})
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(fields={"code": [str(_("Enter a batch code."))]})
    if expiry_date and manufactured_on and manufactured_on > expiry_date:
        raise ValidationFailed(
            fields={"expiry_date": [str(_("The expiry date is before the date of manufacture."))]}
        )
    return code


def _create(
    actor: User | None,
    company: Company,
    product: Product,
    code: str,
    expiry_date: datetime.date | None,
    manufactured_on: datetime.date | None,
) -> Batch:
    return record_create(
        actor=actor,
        company=company,
        obj=Batch(product=product, code=code, expiry_date=expiry_date, manufactured_on=manufactured_on),
    )
