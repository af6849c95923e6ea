"""Fiscal years, monthly periods and vouchers (凭证) with their lines.

A posted voucher and its lines are never changed or deleted (database triggers refuse it);
a mistake is corrected by a reversing voucher. Posted vouchers are chained by hash per
company in posting order, so a change made behind the application's back is found.
"""

from decimal import Decimal

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from heyi.platform.models import CompanyOwned, Versioned

from .accounts import Account

AMOUNT = {"max_digits": 16, "decimal_places": 2}


class FiscalYear(CompanyOwned):
    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("accounting period", "Open")
        CLOSED = "closed", pgettext_lazy("accounting period", "Closed")

    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(pgettext_lazy("accounting period", "closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fiscal year")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["company", "year"], name="uniq_fiscal_year")]

    def __str__(self) -> str:
        return str(self.year)


class Period(CompanyOwned):
    """One month of a fiscal year; closed, it refuses any posting dated in it."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("accounting period", "Open")
        CLOSED = "closed", pgettext_lazy("accounting period", "Closed")

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="periods")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(pgettext_lazy("accounting period", "closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["company", "year", "month"], name="uniq_period")]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


class LedgerChain(CompanyOwned):
    """The head of a company's chain of posted vouchers; locked while a voucher is posted."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company"], name="uniq_ledger_chain")]


class Voucher(Versioned, CompanyOwned):
    """A journal entry. Numbered per period and voucher word when posted (记-0001)."""

    class Word(models.TextChoices):
        GENERAL = "记", _("General (记)")
        RECEIPT = "收", _("Receipt (收)")
        PAYMENT = "付", _("Payment (付)")
        TRANSFER = "转", _("Transfer (转)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    word = models.CharField(_("voucher word"), max_length=2, choices=Word.choices, default=Word.GENERAL)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=20, blank=True)
    date = models.DateField(_("date"))
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+")
    narration = models.CharField(_("narration"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    total = models.DecimalField(_("total"), default=Decimal("0.00"), **AMOUNT)
    source_type = models.CharField(_("source type"), max_length=60, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    source_reference = models.CharField(_("source"), max_length=64, blank=True)
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(2000)])
    created_by = models.ForeignKey(
        "platform.User", verbose_name=_("prepared by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_by = models.ForeignKey(
        "platform.User",
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    chain_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "period", "word", "sequence"],
                condition=Q(sequence__isnull=False),
                name="uniq_voucher_number",
            ),
            models.UniqueConstraint(
                fields=["company", "reverses"],
                condition=Q(reverses__isnull=False),
                name="uniq_voucher_reversal",
            ),
            models.UniqueConstraint(
                fields=["company", "chain_sequence"],
                condition=Q(chain_sequence__isnull=False),
                name="uniq_voucher_chain",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(sequence__isnull=False) & ~Q(hash="")),
                name="voucher_posted_numbered",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "date"], name="voucher_company_date"),
            models.Index(fields=["company", "state"], name="voucher_company_state"),
            models.Index(fields=["company", "source_type", "source_id"], name="voucher_source"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft voucher"))


class VoucherLine(CompanyOwned):
    """One debit or credit. Date and posted state are copied from the voucher so reports read
    lines alone; auxiliary dimensions (辅助核算) say whom and what the amount concerns."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("line"), default=1)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    narration = models.CharField(_("narration"), max_length=200, blank=True)
    debit = models.DecimalField(_("debit"), default=Decimal("0.00"), **AMOUNT)
    credit = models.DecimalField(_("credit"), default=Decimal("0.00"), **AMOUNT)
    date = models.DateField(_("date"))
    posted = models.BooleanField(default=False)
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "platform.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employee = models.ForeignKey(
        "platform.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.CharField(_("project"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("voucher line")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gte=0) & Q(credit__gte=0), name="voucher_line_not_negative"
            ),
            models.CheckConstraint(
                condition=(Q(debit=0) & Q(credit__gt=0)) | (Q(credit=0) & Q(debit__gt=0)),
                name="voucher_line_one_side",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "posted", "account", "date"], name="voucher_line_ledger"),
            models.Index(fields=["company", "account", "partner"], name="voucher_line_partner"),
        ]
