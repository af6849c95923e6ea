"""A request under approval, the tasks its flow hands out, who was copied, and the decision log.

Every action on an instance is written to `ApprovalAction`, chained by hash per company in the
order written, so a decision changed behind the application's back is found by
`check_approvals`.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from heyi.platform.models import CompanyOwned, Versioned

from .templates import ApprovalTemplate, TemplateVersion


class ApprovalInstance(Versioned, CompanyOwned):
    class State(models.TextChoices):
        RUNNING = "running", pgettext_lazy("approval", "In approval")
        RETURNED = "returned", pgettext_lazy("approval", "Returned to submitter")
        APPROVED = "approved", pgettext_lazy("approval", "Approved")
        REJECTED = "rejected", pgettext_lazy("approval", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("approval", "Withdrawn")

    FINISHED = (State.APPROVED, State.REJECTED, State.WITHDRAWN)

    number = models.CharField(_("number"), max_length=30)
    template = models.ForeignKey(ApprovalTemplate, on_delete=models.PROTECT, related_name="instances")
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="instances")
    title = models.CharField(_("title"), max_length=200)
    submitter = models.ForeignKey(
        "platform.User", verbose_name=_("submitter"), on_delete=models.PROTECT, related_name="+"
    )
    document_type = models.CharField(_("document type"), max_length=60, blank=True)
    document_id = models.CharField(_("document"), max_length=64, blank=True)
    values = models.JSONField(_("form values"), default=dict)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RUNNING)
    current_node = models.CharField(_("current step"), max_length=40, blank=True)
    activation = models.PositiveIntegerField(default=0, help_text="Counts node entries; tasks carry it.")
    round_start = models.PositiveIntegerField(
        default=0,
        help_text="The first activation since the request was last sent back; earlier approvals do not count.",
    )
    path = models.JSONField(default=list, help_text="Nodes entered, in order.")
    submitted_at = models.DateTimeField(_("submitted at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    urged_at = models.DateTimeField(_("last urged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="uniq_approval_number"),
            models.UniqueConstraint(
                fields=["company", "document_type", "document_id"],
                condition=Q(state__in=["running", "returned"]) & ~Q(document_type=""),
                name="uniq_open_approval_per_document",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "submitter", "-submitted_at"], name="approval_by_submitter"),
            models.Index(fields=["company", "template", "state"], name="approval_by_template"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.RUNNING, self.State.RETURNED)


class ApprovalTask(CompanyOwned):
    """One person's decision at one node. `waits_for` orders signers: sequential signing and
    signers added before or after someone wait for the task in front of them."""

    class State(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("approval task", "Waiting")
        PENDING = "pending", pgettext_lazy("approval task", "Pending")
        APPROVED = "approved", pgettext_lazy("approval task", "Approved")
        REJECTED = "rejected", pgettext_lazy("approval task", "Rejected")
        RETURNED = "returned", pgettext_lazy("approval task", "Returned")
        TRANSFERRED = "transferred", pgettext_lazy("approval task", "Transferred")
        CANCELLED = "cancelled", pgettext_lazy("approval task", "No longer needed")

    OPEN = (State.WAITING, State.PENDING)

    instance = models.ForeignKey(ApprovalInstance, on_delete=models.CASCADE, related_name="tasks")
    node_id = models.CharField(max_length=40)
    node_name = models.CharField(_("step"), max_length=100)
    activation = models.PositiveIntegerField()
    chain = models.PositiveIntegerField(help_text="Signers in one chain decide one after another.")
    waits_for = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assignee = models.ForeignKey(
        "platform.User", verbose_name=_("approver"), on_delete=models.PROTECT, related_name="+"
    )
    delegated_from = models.ForeignKey(
        "platform.User",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        "platform.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING)
    auto = models.BooleanField(default=False, help_text="Decided by the engine (already approved earlier).")
    comment = models.TextField(_("comment"), blank=True, validators=[MaxLengthValidator(2000)])
    assigned_at = models.DateTimeField(_("assigned at"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated = models.BooleanField(default=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval task")
        ordering = ["assigned_at"]
        indexes = [
            models.Index(fields=["company", "assignee", "state", "-assigned_at"], name="approval_task_inbox"),
            models.Index(fields=["company", "instance", "activation"], name="approval_task_node"),
        ]

    def __str__(self) -> str:
        return f"{self.node_name}: {self.assignee_id}"


class ApprovalCc(CompanyOwned):
    instance = models.ForeignKey(ApprovalInstance, on_delete=models.CASCADE, related_name="copies")
    node_id = models.CharField(max_length=40)
    user = models.ForeignKey("platform.User", on_delete=models.CASCADE, related_name="+")
    created_at_node = models.DateTimeField()
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("copy")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "instance", "node_id", "user"], name="uniq_approval_cc"
            )
        ]
        indexes = [models.Index(fields=["company", "user", "-created_at_node"], name="approval_cc_inbox")]


class ApprovalChain(CompanyOwned):
    """The head of a company's chain of approval actions; locked while one is written."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company"], name="uniq_approval_chain")]


class ApprovalAction(CompanyOwned):
    """One entry of the decision log; written once, never changed."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", pgettext_lazy("approval action", "Submitted")
        RESUBMIT = "resubmit", pgettext_lazy("approval action", "Submitted again")
        APPROVE = "approve", pgettext_lazy("approval action", "Approved")
        AUTO_APPROVE = "auto_approve", pgettext_lazy("approval action", "Approved automatically")
        REJECT = "reject", pgettext_lazy("approval action", "Rejected")
        RETURN = "return", pgettext_lazy("approval action", "Returned")
        TRANSFER = "transfer", pgettext_lazy("approval action", "Transferred")
        ADD_SIGNER = "add_signer", pgettext_lazy("approval action", "Added a signer")
        WITHDRAW = "withdraw", pgettext_lazy("approval action", "Withdrawn")
        COMMENT = "comment", pgettext_lazy("approval action", "Commented")
        URGE = "urge", pgettext_lazy("approval action", "Urged")
        REMIND = "remind", pgettext_lazy("approval action", "Reminded")
        ESCALATE = "escalate", pgettext_lazy("approval action", "Escalated")
        SKIP = "skip", pgettext_lazy("approval action", "Skipped (no approver)")
        CC = "cc", pgettext_lazy("approval action", "Copied")
        FINISH = "finish", pgettext_lazy("approval action", "Finished")

    instance = models.ForeignKey(ApprovalInstance, on_delete=models.PROTECT, related_name="actions")
    task = models.ForeignKey(ApprovalTask, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        "platform.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("action"), max_length=14, choices=Kind.choices)
    node_id = models.CharField(max_length=40, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("at"))
    sequence = models.PositiveBigIntegerField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("approval action")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["company", "sequence"], name="uniq_approval_action_sequence")
        ]
        indexes = [models.Index(fields=["company", "instance", "sequence"], name="approval_action_log")]


class Delegation(CompanyOwned):
    """While away, an approver's new tasks go to a deputy (optionally for one template only)."""

    user = models.ForeignKey(
        "platform.User", verbose_name=_("approver"), on_delete=models.CASCADE, related_name="+"
    )
    deputy = models.ForeignKey(
        "platform.User", verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    template = models.ForeignKey(
        ApprovalTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every template."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start"]
        indexes = [models.Index(fields=["company", "user", "start", "end"], name="approval_delegation_user")]
