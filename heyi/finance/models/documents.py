"""Invoices, supplier bills, credit notes, payments and expense claims, with their allocations.

Customer invoices, supplier bills and the credit notes of both are one model (`Invoice`)
told apart by `kind`: they share lines, tax, numbering at posting and open amounts.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned

from .accounts import Account
from .ledger import Voucher

QTY = {"max_digits": 16, "decimal_places": 4}
PRICE = {"max_digits": 18, "decimal_places": 6}
AMOUNT = {"max_digits": 16, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 4}


class Invoice(Versioned, CompanyOwned):
    class Kind(models.TextChoices):
        CUSTOMER_INVOICE = "customer_invoice", _("Customer invoice")
        CUSTOMER_CREDIT_NOTE = "customer_credit_note", _("Customer credit note")
        SUPPLIER_BILL = "supplier_bill", _("Supplier bill")
        SUPPLIER_CREDIT_NOTE = "supplier_credit_note", _("Supplier credit note")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        HELD = "held", _("Held")
        POSTED = "posted", _("Posted")
        CANCELLED = "cancelled", _("Cancelled")

    SALES_KINDS = (Kind.CUSTOMER_INVOICE, Kind.CUSTOMER_CREDIT_NOTE)
    PURCHASE_KINDS = (Kind.SUPPLIER_BILL, Kind.SUPPLIER_CREDIT_NOTE)
    CREDIT_NOTES = (Kind.CUSTOMER_CREDIT_NOTE, Kind.SUPPLIER_CREDIT_NOTE)

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, blank=True)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    prices_include_tax = models.BooleanField(_("prices include tax"), default=False)
    partner_reference = models.CharField(_("partner's invoice number"), max_length=64, blank=True)
    sales_order = models.ForeignKey(
        "sales.SalesOrder",
        verbose_name=_("sales order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery = models.ForeignKey(
        "sales.Delivery",
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sales_return = models.ForeignKey(
        "sales.SalesReturn",
        verbose_name=_("sales return"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purchase_order = models.ForeignKey(
        "purchasing.PurchaseOrder",
        verbose_name=_("purchase order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    credited_invoice = models.ForeignKey(
        "self",
        verbose_name=_("credits invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    untaxed_amount = models.DecimalField(_("amount excl. tax"), default=Decimal("0.00"), **AMOUNT)
    tax_amount = models.DecimalField(_("tax"), default=Decimal("0.00"), **AMOUNT)
    total_amount = models.DecimalField(_("total"), default=Decimal("0.00"), **AMOUNT)
    open_amount = models.DecimalField(_("open"), default=Decimal("0.00"), **AMOUNT)
    hold_reason = models.CharField(_("held because"), max_length=500, blank=True)
    voucher = models.ForeignKey(
        Voucher, verbose_name=_("voucher"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(2000)])
    created_by = models.ForeignKey("platform.User", null=True, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-invoice_date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "voucher"], condition=Q(voucher__isnull=False), name="uniq_invoice_voucher"
            ),
            models.UniqueConstraint(
                fields=["company", "kind", "number"], condition=~Q(number=""), name="uniq_invoice_number"
            ),
            models.CheckConstraint(condition=Q(open_amount__gte=0), name="invoice_open_not_negative"),
        ]
        indexes = [
            models.Index(fields=["company", "kind", "state"], name="invoice_kind_state"),
            models.Index(fields=["company", "partner", "state"], name="invoice_partner_state"),
            models.Index(fields=["company", "invoice_date"], name="invoice_date"),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_sales(self) -> bool:
        return self.kind in self.SALES_KINDS

    @property
    def is_credit_note(self) -> bool:
        return self.kind in self.CREDIT_NOTES


class InvoiceLine(CompanyOwned):
    """A product or service billed; amounts rounded at the line, tax on the rounded net."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("line"), default=1)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_price = models.DecimalField(_("unit price"), **PRICE)
    tax_rate = models.DecimalField(_("tax rate"), **RATE)
    net_amount = models.DecimalField(_("amount excl. tax"), **AMOUNT)
    tax_amount = models.DecimalField(_("tax"), **AMOUNT)
    gross_amount = models.DecimalField(_("amount incl. tax"), **AMOUNT)
    delivery_line = models.ForeignKey(
        "sales.DeliveryLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sales_return_line = models.ForeignKey(
        "sales.SalesReturnLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt_line = models.ForeignKey(
        "purchasing.ReceiptLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("invoice line")
        ordering = ["position"]
        indexes = [
            models.Index(fields=["company", "delivery_line"], name="invoice_line_delivery"),
            models.Index(fields=["company", "receipt_line"], name="invoice_line_receipt"),
        ]


class Payment(Versioned, CompanyOwned):
    """Money in from a customer or out to a supplier, through a cash or bank account.

    What is not allocated to invoices (or bills) stays as the partner's credit. A draft may
    plan its allocations; they are applied when it posts, against what is open then. A refund
    pays a partner's credit back (money out to a customer, in from a supplier): it draws on one
    unallocated receipt or payment, or on one open credit note, and settles it when it posts.
    """

    class Kind(models.TextChoices):
        CUSTOMER_RECEIPT = "customer_receipt", _("Customer receipt")
        SUPPLIER_PAYMENT = "supplier_payment", _("Supplier payment")
        CUSTOMER_REFUND = "customer_refund", _("Customer refund")
        SUPPLIER_REFUND = "supplier_refund", _("Supplier refund")

    REFUNDS = (Kind.CUSTOMER_REFUND, Kind.SUPPLIER_REFUND)

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        POSTED = "posted", _("Posted")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: ClassVar[dict[str, Iterable[str]]] = {
        State.DRAFT: {State.SUBMITTED, State.POSTED, State.CANCELLED},
        State.SUBMITTED: {State.POSTED, State.DRAFT},
        State.POSTED: set(),
        State.CANCELLED: set(),
    }

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, blank=True)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    payment_date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **AMOUNT)
    account = models.ForeignKey(
        Account, verbose_name=_("cash or bank account"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    unallocated_amount = models.DecimalField(_("unallocated"), default=Decimal("0.00"), **AMOUNT)
    planned_allocations = models.JSONField(_("allocations on posting"), default=list, blank=True)
    voucher = models.ForeignKey(
        Voucher, verbose_name=_("voucher"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refunded_payment = models.ForeignKey(
        "self",
        verbose_name=_("refunds payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    refunded_credit_note = models.ForeignKey(
        Invoice,
        verbose_name=_("refunds credit note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(2000)])
    created_by = models.ForeignKey("platform.User", null=True, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-payment_date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "voucher"], condition=Q(voucher__isnull=False), name="uniq_payment_voucher"
            ),
            models.UniqueConstraint(
                fields=["company", "kind", "number"], condition=~Q(number=""), name="uniq_payment_number"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(unallocated_amount__gte=0) & Q(unallocated_amount__lte=models.F("amount")),
                name="payment_unallocated_in_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["customer_refund", "supplier_refund"],
                    refunded_payment__isnull=False,
                    refunded_credit_note__isnull=True,
                )
                | Q(
                    kind__in=["customer_refund", "supplier_refund"],
                    refunded_payment__isnull=True,
                    refunded_credit_note__isnull=False,
                )
                | Q(
                    kind__in=["customer_receipt", "supplier_payment"],
                    refunded_payment__isnull=True,
                    refunded_credit_note__isnull=True,
                ),
                name="payment_refund_has_one_credit",
            ),
        ]
        indexes = [models.Index(fields=["company", "partner", "state"], name="payment_partner_state")]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_refund(self) -> bool:
        return self.kind in self.REFUNDS

    @property
    def refunded(self) -> "Payment | Invoice | None":
        return self.refunded_payment or self.refunded_credit_note


class Allocation(CompanyOwned):
    """Part of a payment, or of a credit note, settling part of an invoice or bill, or paid
    back to the partner by a refund."""

    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    refund = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="credits_refunded"
    )
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    credit_note = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations_given"
    )
    amount = models.DecimalField(_("amount"), **AMOUNT)
    allocated_on = models.DateField(_("date"))
    created_by = models.ForeignKey("platform.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("allocation")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=Q(payment__isnull=False, credit_note__isnull=True)
                | Q(payment__isnull=True, credit_note__isnull=False),
                name="allocation_one_source",
            ),
            models.CheckConstraint(
                condition=Q(invoice__isnull=False, refund__isnull=True)
                | Q(invoice__isnull=True, refund__isnull=False),
                name="allocation_one_target",
            ),
        ]
        indexes = [models.Index(fields=["company", "invoice"], name="allocation_invoice")]


class ExpenseClaim(Versioned, CompanyOwned):
    """An employee's claim for money spent on the company's behalf (报销单).

    An approvable document: approved, it posts Dr expenses / Cr owed to the employee (until
    the approval engine exists, submission approves; while a flow decides it stays
    submitted); paid, Dr owed / Cr cash or bank.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: ClassVar[dict[str, Iterable[str]]] = {
        State.DRAFT: {State.SUBMITTED, State.APPROVED, State.CANCELLED},
        State.SUBMITTED: {State.APPROVED, State.DRAFT},
        State.APPROVED: {State.PAID},
        State.PAID: set(),
        State.CANCELLED: set(),
    }

    number = models.CharField(_("number"), max_length=30)
    employee = models.ForeignKey(
        "platform.Employee", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "platform.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claim_date = models.DateField(_("date"))
    description = models.CharField(_("purpose"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    total_amount = models.DecimalField(_("total"), default=Decimal("0.00"), **AMOUNT)
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payment_voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey("platform.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        ordering = ["-claim_date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "voucher"],
                condition=Q(voucher__isnull=False),
                name="uniq_expense_claim_voucher",
            ),
            models.UniqueConstraint(
                fields=["company", "payment_voucher"],
                condition=Q(payment_voucher__isnull=False),
                name="uniq_expense_claim_payment_voucher",
            ),
            models.UniqueConstraint(fields=["company", "number"], name="uniq_expense_claim_number"),
        ]

    def __str__(self) -> str:
        return self.number


class ExpenseClaimLine(CompanyOwned):
    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("line"), default=1)
    account = models.ForeignKey(
        Account, verbose_name=_("expense account"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), **AMOUNT)

    class Meta:
        ordering = ["position"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_line_positive")]
