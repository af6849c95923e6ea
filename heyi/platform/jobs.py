"""Background jobs: a registry of job kinds and the one task that runs them.

`job_start` records a `Job` row and enqueues `run_job` on Django's tasks API (the database
backend by default, RQ on Redis in production). The job reports progress on its row, so the
UI can show a progress bar, and a failed job keeps its error and can be retried.
"""

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django_tasks import task

JobFunction = Callable[[Any, Callable[[int, int, str], None]], dict]

_kinds: dict[str, JobFunction] = {}


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    def register(fn: JobFunction) -> JobFunction:
        _kinds[name] = fn
        return fn

    return register


def job_function(name: str) -> JobFunction:
    return _kinds[name]


@task()
def run_job(job_id: str) -> None:
    from .models import Job

    updated = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), error="", progress=0
    )
    if not updated:
        return
    job = Job.objects.get(pk=job_id)
    job.attempts += 1
    job.save(update_fields=["attempts"])

    def progress(done: int, total: int, message: str = "") -> None:
        Job.objects.filter(pk=job_id).update(progress=done, total=total, message=message[:300])

    try:
        result = job_function(job.kind)(job, progress)
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:4000], finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, result=result or {}, finished_at=timezone.now()
    )


@job_kind("platform.dispatch_events")
def _dispatch_events(job: Any, progress: Callable[[int, int, str], None]) -> dict:
    from .services.events import events_dispatch

    return events_dispatch()
