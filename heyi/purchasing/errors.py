"""Purchasing's domain errors, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import DomainError


class OverReceipt(DomainError):
    code = "over_receipt"
    status = 422
    default_message = _("This receipt brings more than was ordered, beyond the company's tolerance.")


class OverReturn(DomainError):
    code = "over_return"
    status = 422
    default_message = _("More is being returned than was received and not yet returned.")


class InspectionMismatch(DomainError):
    code = "inspection_mismatch"
    status = 422
    default_message = _("Accepted and rejected quantities must add up to the quantity received.")


class NotASupplier(DomainError):
    code = "not_a_supplier"
    status = 422
    default_message = _("This partner is not an active supplier.")


class NoLines(DomainError):
    code = "no_lines"
    status = 422
    default_message = _("A document needs at least one line.")


class NotOrderable(DomainError):
    code = "not_orderable"
    status = 422
    default_message = _("Only approved requisitions can be turned into purchase orders.")


class AlreadyRequested(DomainError):
    code = "already_requested"
    status = 409
    default_message = _("An open requisition already asks for this product because of this alert.")


class NotReceivable(DomainError):
    code = "order_not_receivable"
    status = 422
    default_message = _("Goods can only be received against a confirmed order that is not fully received.")


class NoSupplier(DomainError):
    code = "no_supplier"
    status = 422
    default_message = _("No supplier is named and none has sold this product before; name a supplier.")
