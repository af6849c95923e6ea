"""Leave (请假): the kinds of leave a company grants, each employee's yearly balance of a kind,
and the requests that take days from it once approved."""

from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from heyi.platform.models import CompanyOwned, Versioned

DAYS = {"max_digits": 6, "decimal_places": 1}
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


class LeaveType(Versioned, CompanyOwned):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    paid = models.BooleanField(_("paid"), default=True)
    annual_allowance = models.DecimalField(
        _("annual allowance (days)"),
        default=Decimal(0),
        validators=NOT_NEGATIVE,
        help_text=_("The days an employee is entitled to each year unless HR sets otherwise."),
        **DAYS,
    )
    needs_balance = models.BooleanField(
        _("limited by balance"),
        default=True,
        help_text=_("Requests of this kind may not take more days than are left of the year's balance."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("leave type")
        verbose_name_plural = _("leave types")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="uniq_leave_type_code"),
            models.CheckConstraint(
                condition=Q(annual_allowance__gte=0), name="leave_type_allowance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LeaveBalance(CompanyOwned):
    """One employee's days of one kind of leave in one year: entitled, taken (approved) and
    pending (submitted, reserved until decided)."""

    employee = models.ForeignKey(
        "platform.Employee", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    leave_type = models.ForeignKey(
        LeaveType, verbose_name=_("leave type"), on_delete=models.PROTECT, related_name="balances"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    entitled = models.DecimalField(_("entitled days"), default=Decimal(0), validators=NOT_NEGATIVE, **DAYS)
    taken = models.DecimalField(_("days taken"), default=Decimal(0), validators=NOT_NEGATIVE, **DAYS)
    pending = models.DecimalField(_("days pending"), default=Decimal(0), validators=NOT_NEGATIVE, **DAYS)

    class Meta:
        verbose_name = _("leave balance")
        verbose_name_plural = _("leave balances")
        ordering = ["year", "employee__name", "leave_type__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "employee", "leave_type", "year"], name="uniq_leave_balance"
            ),
            models.CheckConstraint(
                condition=Q(entitled__gte=0) & Q(taken__gte=0) & Q(pending__gte=0),
                name="leave_balance_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["company", "year", "employee"], name="leave_balance_year")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.leave_type_id} {self.year}"

    @property
    def available(self) -> Decimal:
        return self.entitled - self.taken - self.pending


class LeaveRequest(Versioned, CompanyOwned):
    """A request for leave from a first half-day to a last half-day (请假单)."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("leave", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("leave", "In approval")
        APPROVED = "approved", pgettext_lazy("leave", "Approved")
        REJECTED = "rejected", pgettext_lazy("leave", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("leave", "Withdrawn")
        CANCELLED = "cancelled", pgettext_lazy("leave", "Cancelled")

    class Half(models.TextChoices):
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")

    TRANSITIONS: ClassVar[dict[str, Iterable[str]]] = {
        State.DRAFT: {State.SUBMITTED, State.APPROVED, State.CANCELLED},
        State.WITHDRAWN: {State.SUBMITTED, State.APPROVED, State.CANCELLED},
        State.SUBMITTED: {State.APPROVED, State.REJECTED, State.WITHDRAWN},
        State.APPROVED: {State.CANCELLED},
        State.REJECTED: set(),
        State.CANCELLED: set(),
    }
    EDITABLE = (State.DRAFT, State.WITHDRAWN)
    HOLDING = (State.SUBMITTED, State.APPROVED)
    """States whose days count against the balance and block overlapping requests."""

    number = models.CharField(_("number"), max_length=30)
    employee = models.ForeignKey(
        "platform.Employee", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    leave_type = models.ForeignKey(
        LeaveType, verbose_name=_("leave type"), on_delete=models.PROTECT, related_name="requests"
    )
    start_date = models.DateField(_("from"))
    start_half = models.CharField(_("starting"), max_length=10, choices=Half.choices, default=Half.MORNING)
    end_date = models.DateField(_("to"))
    end_half = models.CharField(_("ending"), max_length=10, choices=Half.choices, default=Half.AFTERNOON)
    days = models.DecimalField(_("days"), **DAYS)
    reason = models.TextField(_("reason"), blank=True, validators=[MaxLengthValidator(2000)])
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        "platform.User", verbose_name=_("filed by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    approval = models.ForeignKey(
        "approvals.ApprovalInstance",
        verbose_name=_("approval"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The approval request of the latest submission."),
    )

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="uniq_leave_request_number"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="leave_request_dates"),
            models.CheckConstraint(condition=Q(days__gt=0), name="leave_request_days_positive"),
        ]
        indexes = [
            models.Index(fields=["company", "employee", "start_date"], name="leave_request_employee"),
            models.Index(fields=["company", "state", "start_date"], name="leave_request_state"),
        ]

    def __str__(self) -> str:
        return self.number
