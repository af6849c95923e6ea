"""Verify every company's chain of approval actions; exits non-zero when one is broken."""

import sys

from django.core.management.base import BaseCommand

from heyi.approvals.integrity import chain_breaks
from heyi.approvals.models import ApprovalAction
from heyi.platform.models import Company

FIELDS = ("company_id", "sequence", "previous_hash", "hash", "instance_id", "task_id", "actor_id", "kind")
BATCH = 5000


class _Row:
    __slots__ = (*FIELDS, "node_id", "comment", "data", "at")

    def __init__(self, values: dict):
        for name, value in values.items():
            setattr(self, name, value)


def _rows(company: Company):
    """The company's actions in sequence order, a batch at a time as plain rows."""
    last = 0
    while True:
        batch = list(
            ApprovalAction.objects.filter(company=company, sequence__gt=last)
            .order_by("sequence")
            .values(*FIELDS, "node_id", "comment", "data", "at")[:BATCH]
        )
        if not batch:
            return
        for values in batch:
            yield _Row(values)
        last = batch[-1]["sequence"]


class Command(BaseCommand):
    help = "Check the hash chain of every company's approval decisions."

    def handle(self, *args, **options):
        broken = 0
        for company in Company.objects.order_by("code"):
            for problem in chain_breaks(_rows(company)):
                broken += 1
                self.stdout.write(f"{company.code}: {problem}")
        if broken:
            self.stdout.write(f"{broken} problem(s) found")
            sys.exit(1)
        self.stdout.write("approval log OK")
