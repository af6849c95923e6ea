"""The company's work calendar: the days that differ from a plain Monday-to-Friday week."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned


class CalendarDay(CompanyOwned):
    """A public holiday on a weekday (法定节假日) or a weekend worked in exchange (调休上班).

    Leave counts working days with these: a day off takes no leave, a working weekend does."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("work calendar")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["company", "date"], name="uniq_calendar_day")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
