"""Approval templates a company designs: a form and a flow, kept as immutable versions.

Editing a template adds a version; an instance keeps the version it started with, so changing
a flow never changes the route of a request already under way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned


class ApprovalTemplate(Versioned, CompanyOwned):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=40, blank=True)
    document_type = models.CharField(
        _("document type"),
        max_length=60,
        blank=True,
        help_text=_("The business document this template approves; empty for a free form."),
    )
    outcome = models.CharField(
        _("on approval"),
        max_length=60,
        blank=True,
        help_text=_("What an approved request leads to, such as a purchase requisition."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    current_version = models.ForeignKey(
        "approvals.TemplateVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("approval template")
        verbose_name_plural = _("approval templates")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="uniq_approval_template_code"),
            models.UniqueConstraint(
                fields=["company", "document_type"],
                condition=models.Q(is_active=True) & ~models.Q(document_type=""),
                name="uniq_active_template_per_document_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateVersion(CompanyOwned):
    """One saved design of a template: never changed once written."""

    template = models.ForeignKey(ApprovalTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    form = models.JSONField(_("form"), default=list)
    flow = models.JSONField(_("flow"), default=dict)
    created_by = models.ForeignKey("platform.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("template version")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["company", "template", "number"], name="uniq_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.number}"
