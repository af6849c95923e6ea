"""Writing the decision log: one hash-chained row per action, under the chain head's lock."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heyi.platform.models import Company, User
from heyi.platform.services.audit import jsonable

from ..integrity import action_hash
from ..models import ApprovalAction, ApprovalChain, ApprovalInstance, ApprovalTask


def _chain_head(company: Company) -> ApprovalChain:
    head = ApprovalChain.objects.select_for_update().filter(company=company).first()
    if head is None:
        try:
            with transaction.atomic():
                ApprovalChain.objects.create(company=company)
        except IntegrityError:
            pass  # started by a concurrent first action
        head = ApprovalChain.objects.select_for_update().get(company=company)
    return head


def action_write(
    *,
    company: Company,
    instance: ApprovalInstance,
    kind: str,
    actor: User | None,
    task: ApprovalTask | None = None,
    node_id: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> ApprovalAction:
    head = _chain_head(company)
    action = ApprovalAction(
        company=company,
        instance=instance,
        task=task,
        actor=actor if actor is not None and actor.pk else None,
        kind=kind,
        node_id=node_id,
        comment=comment,
        data=jsonable(data or {}),
        at=timezone.now(),
        sequence=head.last_sequence + 1,
        previous_hash=head.last_hash,
    )
    action.hash = action_hash(action, head.last_hash)
    action.save(force_insert=True)
    head.last_sequence, head.last_hash = action.sequence, action.hash
    head.save(update_fields=["last_sequence", "last_hash", "updated_at"])
    return action
