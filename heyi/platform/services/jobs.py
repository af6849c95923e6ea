from typing import Any

from django.db import transaction
from django_tasks import default_task_backend

from ..errors import InvalidTransition
from ..jobs import job_function, run_job
from ..models import Company, Job, User
from .audit import audit_record


def _enqueue(job: Job) -> None:
    """Enqueue after commit when the queue lives outside the database (RQ), else right away."""
    job_id = str(job.pk)
    if type(default_task_backend).__module__.startswith("django_tasks_rq"):
        transaction.on_commit(lambda: run_job.enqueue(job_id))
    else:
        run_job.enqueue(job_id)


def job_start(
    *, actor: User | None, company: Company, kind: str, params: dict[str, Any] | None = None
) -> Job:
    job_function(kind)  # an unknown kind fails here, not in the worker
    with transaction.atomic():
        job = Job.objects.create(company=company, kind=kind, params=params or {}, created_by=actor)
        audit_record(
            actor=actor, company=company, action="job_start", obj=job, changes={"kind": [None, kind]}
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


def job_retry(*, actor: User | None, company: Company, job: Job) -> Job:
    if job.status != Job.Status.FAILED:
        raise InvalidTransition(current=job.status, target=Job.Status.QUEUED)
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, error="")
        audit_record(actor=actor, company=company, action="job_retry", obj=job)
        _enqueue(job)
    job.refresh_from_db()
    return job
