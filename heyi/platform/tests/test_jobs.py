"""Background jobs: progress on the row, failures kept and retried, on every queue backend."""

import pytest
from django.core.management import call_command

from heyi.platform.jobs import job_kind
from heyi.platform.models import Job
from heyi.platform.services.jobs import job_start

ATTEMPTS: list[str] = []


@job_kind("test.count_to")
def count_to(job, progress):
    total = int(job.params["n"])
    for i in range(1, total + 1):
        progress(i, total, f"{i}/{total}")
    return {"counted": total}


@job_kind("test.fails_first")
def fails_first(job, progress):
    ATTEMPTS.append(str(job.pk))
    if ATTEMPTS.count(str(job.pk)) == 1:
        raise RuntimeError("supplier file unreadable")
    return {"ok": True}


def test_a_job_reports_progress_and_result(company, admin):
    job = job_start(actor=admin, company=company, kind="test.count_to", params={"n": 4})
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress, job.total, job.percent) == (4, 4, 100)
    assert job.result == {"counted": 4}


def test_a_failed_job_is_visible_and_can_be_retried(company, admin, api):
    job = job_start(actor=admin, company=company, kind="test.fails_first")
    assert job.status == Job.Status.FAILED
    assert "supplier file unreadable" in job.error
    listed = api.get("/jobs", status="failed").json()["items"]
    assert [j["id"] for j in listed] == [str(job.pk)]
    r = api.post(f"/jobs/{job.pk}/retry")
    assert r.status_code == 200
    assert r.json()["status"] == "succeeded"
    assert r.json()["attempts"] == 2
    assert api.post(f"/jobs/{job.pk}/retry").status_code == 409


def test_an_unknown_job_kind_is_refused_before_queueing(company, admin):
    with pytest.raises(KeyError):
        job_start(actor=admin, company=company, kind="test.nope")
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_database_backend_queues_in_the_transaction_and_the_worker_runs_it(settings, company, admin):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = job_start(actor=admin, company=company, kind="test.count_to", params={"n": 3})
    assert job.status == Job.Status.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"counted": 3}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_rq_backend_on_real_redis_runs_the_job(settings, company, admin):
    import django_rq
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rq import SimpleWorker

    connection = django_rq.get_connection("default")
    try:
        connection.ping()
    except RedisConnectionError:
        pytest.skip("no Redis at REDIS_URL")
    queue = django_rq.get_queue("default")
    queue.empty()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    job = job_start(actor=admin, company=company, kind="test.count_to", params={"n": 5})
    assert job.status == Job.Status.QUEUED
    assert queue.count == 1
    from django_tasks_rq import Job as RQJob

    SimpleWorker([queue], connection=connection, job_class=RQJob).work(burst=True)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"counted": 5}
