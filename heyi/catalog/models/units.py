from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned


def positive(value) -> None:
    if value is not None and value <= 0:
        raise ValidationError(_("Must be greater than zero."), code="positive")


class Unit(Versioned, CompanyOwned):
    """A unit of measure. Units of one category convert through their ratio to its reference unit.

    A unit without a ratio (箱, 包) is a packaging unit: how much it holds depends on the
    product, so it converts only through that product's packaging units.
    """

    class Category(models.TextChoices):
        COUNT = "count", _("Count")
        WEIGHT = "weight", _("Weight")
        LENGTH = "length", _("Length")
        VOLUME = "volume", _("Volume")
        TIME = "time", _("Time")

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=40)
    category = models.CharField(_("unit category"), max_length=10, choices=Category.choices)
    ratio = models.DecimalField(
        _("ratio to the reference unit"),
        max_digits=24,
        decimal_places=12,
        null=True,
        blank=True,
        validators=[positive],
        help_text=_("How many reference units of the category one of this unit is; empty for packaging."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="uniq_unit_code"),
            models.CheckConstraint(
                condition=models.Q(ratio__isnull=True) | models.Q(ratio__gt=0), name="unit_ratio_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name
