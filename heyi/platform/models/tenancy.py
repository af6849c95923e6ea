import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..modules import MODULES
from .base import CompanyOwned, UUIDModel, Versioned, WithMnemonic


class Company(WithMnemonic, UUIDModel):
    """A tenant: everything a customer's staff see and change belongs to exactly one."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    tax_number = models.CharField(_("tax number"), max_length=40, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    prices_include_tax = models.BooleanField(_("show prices tax-inclusive"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompanyModule(CompanyOwned):
    module = models.CharField(_("module"), max_length=20, choices=list(MODULES.items()))
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "module"], name="uniq_company_module")]


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    default_company = models.ForeignKey(
        Company,
        verbose_name=_("default company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Role(CompanyOwned):
    """A bundle of permissions and the record scope they apply with."""

    class Scope(models.TextChoices):
        OWN = "own", _("Own records")
        DEPARTMENT = "department", _("Department's records")
        COMPANY = "company", _("All records of the company")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    is_admin = models.BooleanField(_("administrator (all permissions)"), default=False)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    scope = models.CharField(_("record scope"), max_length=20, choices=Scope.choices, default=Scope.OWN)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_role_code")]

    def __str__(self) -> str:
        return self.name


class Membership(CompanyOwned):
    """A user's place in a company: whether they may work there and with which roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    roles = models.ManyToManyField(Role, blank=True, related_name="memberships")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="uniq_membership")]


class Department(WithMnemonic, Versioned, CompanyOwned):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    manager = models.ForeignKey(
        "platform.Employee",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "parent", "name"], name="uniq_department_name")
        ]

    def __str__(self) -> str:
        return self.name


class Employee(WithMnemonic, Versioned, CompanyOwned):
    number = models.CharField(_("employee number"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee_records",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="uniq_employee_number"),
            models.UniqueConstraint(
                fields=["company", "user"], condition=models.Q(user__isnull=False), name="uniq_employee_user"
            ),
        ]

    def __str__(self) -> str:
        return self.name
