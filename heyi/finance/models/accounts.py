"""The chart of accounts (会计科目) of one company and its finance settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned

PERCENT = {"max_digits": 6, "decimal_places": 2}


class Account(Versioned, CompanyOwned):
    """A ledger account. Only leaf accounts take postings; a parent sums its children.

    `partner_required` makes the account a sub-ledger by partner (辅助核算: customer or
    supplier): every line on it names the partner, so receivables and payables age per partner.
    """

    class Type(models.TextChoices):
        ASSET = "asset", _("Assets")
        LIABILITY = "liability", _("Liabilities")
        EQUITY = "equity", _("Owners' equity")
        COST = "cost", _("Costs")
        PROFIT_LOSS = "profit_loss", _("Profit and loss")

    class Side(models.TextChoices):
        DEBIT = "debit", _("Debit")
        CREDIT = "credit", _("Credit")

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    side = models.CharField(_("normal balance"), max_length=6, choices=Side.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_leaf = models.BooleanField(_("takes postings"), default=True)
    partner_required = models.BooleanField(_("by partner"), default=False)
    is_cash = models.BooleanField(_("cash or bank"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_account_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FinanceSettings(Versioned, CompanyOwned):
    """Which accounts automatic postings use, and how far a supplier bill may stray from its
    order and receipt before it is held (three-way match)."""

    receivable = models.ForeignKey(
        Account, verbose_name=_("receivable"), on_delete=models.PROTECT, related_name="+"
    )
    payable = models.ForeignKey(
        Account, verbose_name=_("payable"), on_delete=models.PROTECT, related_name="+"
    )
    goods_received_not_invoiced = models.ForeignKey(
        Account, verbose_name=_("goods received not invoiced"), on_delete=models.PROTECT, related_name="+"
    )
    inventory = models.ForeignKey(
        Account, verbose_name=_("inventory"), on_delete=models.PROTECT, related_name="+"
    )
    cost_of_goods_sold = models.ForeignKey(
        Account, verbose_name=_("cost of goods sold"), on_delete=models.PROTECT, related_name="+"
    )
    revenue = models.ForeignKey(
        Account, verbose_name=_("revenue"), on_delete=models.PROTECT, related_name="+"
    )
    output_vat = models.ForeignKey(
        Account, verbose_name=_("output VAT"), on_delete=models.PROTECT, related_name="+"
    )
    input_vat = models.ForeignKey(
        Account, verbose_name=_("input VAT"), on_delete=models.PROTECT, related_name="+"
    )
    price_difference = models.ForeignKey(
        Account, verbose_name=_("purchase price difference"), on_delete=models.PROTECT, related_name="+"
    )
    stock_adjustment = models.ForeignKey(
        Account, verbose_name=_("stock gains and losses"), on_delete=models.PROTECT, related_name="+"
    )
    expense = models.ForeignKey(
        Account, verbose_name=_("default expense"), on_delete=models.PROTECT, related_name="+"
    )
    employee_payable = models.ForeignKey(
        Account, verbose_name=_("owed to employees"), on_delete=models.PROTECT, related_name="+"
    )
    current_year_profit = models.ForeignKey(
        Account, verbose_name=_("profit of the year"), on_delete=models.PROTECT, related_name="+"
    )
    retained_earnings = models.ForeignKey(
        Account, verbose_name=_("undistributed profit"), on_delete=models.PROTECT, related_name="+"
    )
    price_tolerance_percent = models.DecimalField(_("price tolerance (%)"), default=2, **PERCENT)
    quantity_tolerance_percent = models.DecimalField(_("quantity tolerance (%)"), default=0, **PERCENT)
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=30)

    class Meta:
        verbose_name = _("finance settings")
        constraints = [models.UniqueConstraint(fields=["company"], name="uniq_finance_settings")]
