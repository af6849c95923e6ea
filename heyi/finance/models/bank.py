"""The bank's own record of a bank account (银行流水), kept to reconcile the books with it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned

from .accounts import Account
from .ledger import AMOUNT, VoucherLine


class BankLine(CompanyOwned):
    """One transaction as the bank reports it: money in (amount > 0) or out (< 0), and the
    bank's balance after it. Lines are kept in the bank's order (`sequence` per account), each
    balance following from the one before. Matched, it names the posted voucher line on the
    same account that records the same money (银行对账)."""

    account = models.ForeignKey(
        Account, verbose_name=_("bank account"), on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveIntegerField(_("line"))
    line_date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **AMOUNT)
    balance = models.DecimalField(_("balance"), **AMOUNT)
    description = models.CharField(_("description"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    counterparty = models.CharField(_("counterparty"), max_length=100, blank=True)
    matched_line = models.ForeignKey(
        VoucherLine,
        verbose_name=_("matched voucher line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)
    created_by = models.ForeignKey("platform.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("bank line")
        verbose_name_plural = _("bank lines")
        ordering = ["account", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "account", "sequence"], name="uniq_bank_line_sequence"
            ),
            models.UniqueConstraint(
                fields=["company", "matched_line"],
                condition=Q(matched_line__isnull=False),
                name="uniq_bank_line_match",
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="bank_line_amount_not_zero"),
        ]
        indexes = [models.Index(fields=["company", "account", "line_date"], name="bank_line_date")]

    def __str__(self) -> str:
        return f"{self.line_date} {self.amount}"
