"""Approval inbox benchmark on PostgreSQL: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heyi_bench .venv/bin/python bench/approvals.py

Builds (once; kept between runs) a company with 100,000 approval requests from 200 people over
the last year, each with its tasks: most decided, the rest pending with one of 50 approvers.
The measured approver holds about 2,000 of the pending tasks and has decided about 20,000 of
the others. Then measures, median and p95 of 30 runs each, the reads the inbox page and
`GET /approval-tasks` make: the first page (50 tasks with their requests, templates and
submitters) and the count of the user's pending tasks; and the same for "submitted by me".
Seeding writes rows with COPY (the services would take an hour for 100,000 requests); the
measured reads go through the real selectors.
"""

import datetime
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heyi.settings.test")
if "postgres" not in os.environ.get("DATABASE_URL", ""):
    sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/heyi_bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import JSONField  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

CODE = "approvals-bench"
INSTANCES = 100_000
PEOPLE = 200
APPROVERS = 50
PAGE = 50


def _copy(model, rows: list[dict]) -> None:
    """COPY rows (dicts by attribute name) into the model's table; missing fields take their default."""
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    defaults = {f.attname: f.get_default() for f in fields}
    as_json = {f.attname for f in fields if isinstance(f, JSONField)}

    def value(row: dict, name: str):
        raw = row[name] if name in row else defaults[name]
        return json.dumps(raw) if name in as_json else raw

    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([value(row, f.attname) for f in fields])


def seed():
    from heyi.approvals.models import ApprovalInstance, ApprovalTask, ApprovalTemplate
    from heyi.approvals.services.templates import approval_template_create
    from heyi.platform import modules
    from heyi.platform.models import Company, User
    from heyi.platform.services.tenancy import company_create, membership_add

    company = Company.objects.filter(code=CODE).first()
    if company is not None and ApprovalInstance.objects.filter(company=company).count() >= INSTANCES:
        return company
    if company is not None:
        sys.exit(f"Company {CODE} is half seeded; drop the database and run again.")
    started = time.perf_counter()
    with transaction.atomic():
        company = company_create(
            actor=None, name="审批基准公司", code=CODE, modules_on=tuple(modules.MODULES)
        )
        people = []
        for i in range(PEOPLE):
            person = User.objects.create_user(username=f"ap-bench-{i:03d}", password="bench-pw-1234")
            membership_add(
                actor=None, company=company, user=person, role_codes=["admin" if i == 0 else "employee"]
            )
            people.append(person)
        designer = people[0]
        flow = {
            "nodes": [
                {"id": "start", "type": "start", "next": "a"},
                {
                    "id": "a",
                    "type": "approve",
                    "name": "审批",
                    "approvers": [{"kind": "manager"}],
                    "next": "end",
                },
                {"id": "end", "type": "end"},
            ]
        }
        form = [{"key": "amount", "label": "金额", "type": "money"}]
        templates = [
            approval_template_create(
                actor=designer, company=company, code=f"t{i}", name=f"模板{i}", form=form, flow=flow
            )
            for i in range(5)
        ]
        rng = random.Random(2026)
        now = timezone.now()
        me = people[1]
        approvers = people[1 : 1 + APPROVERS]
        print(f"seeding {INSTANCES:,} requests ...", flush=True)
        for chunk in range(0, INSTANCES, 10_000):
            instances, tasks = [], []
            for n in range(chunk, min(chunk + 10_000, INSTANCES)):
                template: ApprovalTemplate = rng.choice(templates)
                submitted = now - datetime.timedelta(minutes=rng.randint(1, 525_600))
                open_ = rng.random() < 0.2
                instance_id = uuid.uuid4()
                instances.append(
                    {
                        "id": instance_id,
                        "created_at": submitted,
                        "updated_at": submitted,
                        "company_id": company.pk,
                        "number": f"SP-B-{n:07d}",
                        "template_id": template.pk,
                        "template_version_id": template.current_version_id,
                        "title": f"申请 {n}",
                        "submitter_id": rng.choice(people[APPROVERS + 1 :]).pk,
                        "values": {"amount": f"{rng.randint(1, 100_000)}.00"},
                        "state": "running" if open_ else "approved",
                        "current_node": "a" if open_ else "",
                        "activation": 1,
                        "path": ["start", "a", "end"],
                        "submitted_at": submitted,
                        "finished_at": None
                        if open_
                        else submitted + datetime.timedelta(hours=rng.randint(1, 72)),
                    }
                )
                holder = me if rng.random() < (0.1 if open_ else 0.25) else rng.choice(approvers)
                tasks.append(
                    {
                        "id": uuid.uuid4(),
                        "created_at": submitted,
                        "updated_at": submitted,
                        "company_id": company.pk,
                        "instance_id": instance_id,
                        "node_id": "a",
                        "node_name": "审批",
                        "activation": 1,
                        "chain": 1,
                        "assignee_id": holder.pk,
                        "state": "pending" if open_ else "approved",
                        "assigned_at": submitted,
                        "decided_at": None if open_ else submitted + datetime.timedelta(hours=1),
                    }
                )
            _copy(ApprovalInstance, instances)
            _copy(ApprovalTask, tasks)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return company


def _timed(fn, runs: int = 30) -> tuple[float, float, int]:
    fn()
    ms = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fn()
    ms.sort()
    return statistics.median(ms), ms[int(len(ms) * 0.95) - 1], len(queries)


def main():
    call_command("migrate", verbosity=0)
    company = seed()
    from heyi.approvals.models import ApprovalInstance, ApprovalTask
    from heyi.approvals.selectors import pending_tasks, submitted_by
    from heyi.platform.models import User

    me = User.objects.get(username="ap-bench-001")
    mine = ApprovalTask.objects.filter(company=company, assignee=me)
    print(
        f"company: {ApprovalInstance.objects.filter(company=company).count():,} requests, "
        f"{ApprovalTask.objects.filter(company=company).count():,} tasks; the approver holds "
        f"{mine.filter(state='pending').count():,} pending and {mine.exclude(state='pending').count():,} decided"
    )

    def inbox():
        tasks = pending_tasks(me, company)
        page = list(tasks[:PAGE])
        _ = [(t.instance.title, t.instance.template.name, t.instance.submitter.username) for t in page]
        return tasks.count()

    submitter = User.objects.get(username=f"ap-bench-{APPROVERS + 5:03d}")

    def submitted():
        rows = submitted_by(submitter, company)
        list(rows[:PAGE])
        return rows.count()

    for label, fn in (
        ("pending list (page of 50 + count)", inbox),
        ("submitted by me (page + count)", submitted),
    ):
        median, p95, queries = _timed(fn)
        print(f"{label:<36} median {median:6.1f} ms   p95 {p95:6.1f} ms   {queries} queries")


if __name__ == "__main__":
    main()
