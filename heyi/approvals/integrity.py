"""The hash of an approval action: what was decided, by whom, when, and the hash before it.

Changing a decision, its actor, its time or its comment behind the application's back breaks
the chain from that action on, which `check_approvals` reports.
"""

import hashlib
import json
from typing import Any


def action_hash(action: Any, previous_hash: str) -> str:
    """`action` may be a model object or a plain row with the same attribute names."""
    content = {
        "company": str(action.company_id),
        "sequence": action.sequence,
        "previous": previous_hash,
        "instance": str(action.instance_id),
        "task": str(action.task_id or ""),
        "actor": str(action.actor_id or ""),
        "kind": action.kind,
        "node": action.node_id,
        "comment": action.comment,
        "data": action.data,
        "at": action.at.isoformat(),
    }
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def chain_breaks(rows: Any) -> list[str]:
    """Walk a company's actions in sequence order; the first problem of each kind is named."""
    problems: list[str] = []
    previous, expected = "", 1
    for row in rows:
        if row.sequence != expected:
            problems.append(f"action {row.sequence}: expected sequence {expected}")
            expected = row.sequence
        if row.previous_hash != previous:
            problems.append(f"action {row.sequence}: does not follow the one before")
        if action_hash(row, row.previous_hash) != row.hash:
            problems.append(f"action {row.sequence}: its content was changed")
        previous, expected = row.hash, expected + 1
    return problems
