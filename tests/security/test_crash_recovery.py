"""T27 for the platform and master data: a request that dies half-way leaves nothing behind.

The partner's number, the partner, its audit row, its outbox event and the idempotency key
commit together or not at all, so the client's retry with the same key completes exactly once.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from conftest import ApiClient
from heyi.partners.models import Partner
from heyi.partners.services import partners as partner_services
from heyi.platform.models import AuditEntry, DocumentSequence, IdempotencyRecord, OutboxEvent

from .figures import report

BODY = {"name": "宁波港口物流有限公司"}


def _leftovers(company) -> dict[str, int]:
    sequence = DocumentSequence.objects.filter(company=company, doc_type="partner").first()
    return {
        "partners": Partner.objects.filter(company=company).count(),
        "numbers": sequence.last_number if sequence else 0,
        "audit": AuditEntry.objects.filter(
            company=company, action="create", object_type="partners.partner"
        ).count(),
        "events": OutboxEvent.objects.filter(company=company, type="partners.partner_created").count(),
        "keys": IdempotencyRecord.objects.filter(company=company).count(),
    }


def _retry_completes_once(company, admin, key: str):
    retry = ApiClient(admin, company).post("/customers", BODY, headers={"Idempotency-Key": key})
    again = ApiClient(admin, company).post("/customers", BODY, headers={"Idempotency-Key": key})
    assert retry.status_code == 201 and retry.json()["code"].startswith("BP")
    assert again.status_code == 201 and again.get("Idempotent-Replayed") == "true"
    assert again.content == retry.content
    assert _leftovers(company) == {"partners": 1, "numbers": 1, "audit": 1, "events": 1, "keys": 1}


def test_t27_a_request_that_fails_after_writing_leaves_nothing_and_the_retry_runs_once(
    company, admin, monkeypatch
):
    real_create = partner_services.partner_create

    def create_then_fail(**kwargs):
        real_create(**kwargs)
        raise RuntimeError("the worker died after the partner was saved")

    monkeypatch.setattr(partner_services, "partner_create", create_then_fail)
    client = ApiClient(admin, company)
    client.client = Client(raise_request_exception=False)
    failed = client.post("/customers", BODY, headers={"Idempotency-Key": "crash-1"})
    assert failed.status_code == 500
    assert _leftovers(company) == {"partners": 0, "numbers": 0, "audit": 0, "events": 0, "keys": 0}
    monkeypatch.setattr(partner_services, "partner_create", real_create)
    _retry_completes_once(company, admin, "crash-1")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's")
@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_t27_the_database_connection_killed_mid_request_leaves_nothing_and_the_retry_runs_once(
    company, admin, monkeypatch
):
    real_create = partner_services.partner_create
    written, killed = threading.Event(), threading.Event()
    backend: list[int] = []

    def create_then_wait(**kwargs):
        partner = real_create(**kwargs)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend.append(cursor.fetchone()[0])
        written.set()
        killed.wait(timeout=30)
        return partner

    monkeypatch.setattr(partner_services, "partner_create", create_then_wait)
    headers = {**ApiClient(admin, company).headers, "Idempotency-Key": "crash-2"}
    outcome: list = []

    def first_attempt() -> None:
        try:
            answer = Client(raise_request_exception=False).post(
                "/api/v1/customers", BODY, content_type="application/json", headers=headers
            )
            outcome.append(answer.status_code)
        except Exception as exc:  # the dead connection may surface either way
            outcome.append(type(exc).__name__)
        finally:
            connection.close()

    worker = threading.Thread(target=first_attempt)
    worker.start()
    assert written.wait(timeout=30), "the first attempt never reached the middle of its work"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend[0]])
    killed.set()
    worker.join(timeout=60)
    assert outcome and outcome[0] != 201, outcome
    assert _leftovers(company) == {"partners": 0, "numbers": 0, "audit": 0, "events": 0, "keys": 0}
    monkeypatch.setattr(partner_services, "partner_create", real_create)
    _retry_completes_once(company, admin, "crash-2")
    report(
        f"T27 killed connection mid-request: first attempt -> {outcome[0]}; "
        "0 half-written partners, 0 numbers without a document, retry created exactly 1"
    )
