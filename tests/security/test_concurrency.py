"""T24, T25, T26: numbers, idempotency keys and versions hold when requests race or repeat.

The [PG] tests need committed data and real row locks, so they run on PostgreSQL only,
each thread on its own connection, all released together by a barrier.
"""

import datetime
import json
import random

import pytest
from django.db import connection, transaction
from django.test import Client

from conftest import ApiClient, make_member
from heyi.platform.models import Department, DocumentSequence
from heyi.platform.services.numbering import number_next
from heyi.platform.services.tenancy import membership_add

from .figures import report
from .racing import race

pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


class RolledBack(Exception):
    pass


@pg
@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("opened", [False, True], ids=["first numbers of the year", "sequence already open"])
def test_t24_concurrent_numbers_with_forced_rollbacks_have_no_gap_and_no_duplicate(company, opened):
    on = datetime.date(2026, 6, 30)
    if opened:  # the usual case: the year's sequence row exists and every thread fights over it
        DocumentSequence.objects.create(company=company, doc_type="invoice", year=2026)
    rollback = set(random.Random(24).sample(range(20), 6))  # 30% of the documents fail

    def take(i: int) -> str | None:
        try:
            with transaction.atomic():
                number = number_next(company=company, doc_type="invoice", prefix="INV", on=on)
                if i in rollback:
                    raise RolledBack()
                return number
        except RolledBack:
            return None

    results = race(20, take)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    committed = sorted(r for r in results if r)
    expected = [f"INV-2026-{n:06d}" for n in range(1, 15)]
    gaps = len(set(expected) - set(committed))
    duplicates = len(committed) - len(set(committed))
    report(
        f"T24 numbering: 20 concurrent takes, {len(rollback)} rolled back: "
        f"{len(committed)} committed, {gaps} gaps, {duplicates} duplicates"
    )
    assert committed == expected
    assert DocumentSequence.objects.get(company=company, doc_type="invoice", year=2026).last_number == 14


def _post(api: ApiClient, body: dict, key: str):
    return api.post("/departments", body, headers={"Idempotency-Key": key})


def test_t25_the_same_post_sent_ten_times_creates_one_object_and_replays_the_same_answer(api, company):
    body = {"name": "华东大区"}
    answers = [_post(api, body, "key-1") for _ in range(10)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert all(a.get("Idempotent-Replayed") == "true" for a in answers[1:])
    assert Department.objects.filter(company=company, name="华东大区").count() == 1
    report("T25 idempotency (sequential): 10 replays, 0 duplicate objects, 0 mismatched bodies")


def test_t25_the_same_key_with_another_body_is_422_and_creates_nothing(api, company):
    assert _post(api, {"name": "华东大区"}, "key-2").status_code == 201
    other = _post(api, {"name": "华南大区"}, "key-2")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert not Department.objects.filter(company=company, name="华南大区").exists()


def test_t25_keys_belong_to_one_user_in_one_company(api, company, other_company, admin):
    hr = make_member(company, "hr1", roles=["hr"])
    membership_add(actor=None, company=other_company, user=admin, role_codes=["admin"])
    first = _post(api, {"name": "华东大区"}, "shared-key")
    by_colleague = _post(ApiClient(hr, company), {"name": "华东大区"}, "shared-key")
    in_other_company = _post(ApiClient(admin, other_company), {"name": "华东大区"}, "shared-key")
    assert first.status_code == 201 and by_colleague.status_code in (201, 400)
    assert by_colleague.get("Idempotent-Replayed") is None
    assert in_other_company.status_code == 201 and in_other_company.get("Idempotent-Replayed") is None
    assert json.loads(in_other_company.content)["id"] != json.loads(first.content)["id"]
    assert Department.objects.filter(company=other_company, name="华东大区").count() == 1


@pg
@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_t25_the_same_post_sent_ten_times_at_once_creates_one_object(company, admin):
    api = ApiClient(admin, company)
    headers = {**api.headers, "Idempotency-Key": "burst-1"}

    def send(i: int):
        return Client().post(
            "/api/v1/departments", {"name": "华北大区"}, content_type="application/json", headers=headers
        )

    answers = race(10, send)
    errors = [a for a in answers if isinstance(a, Exception)]
    assert not errors, errors
    statuses = [a.status_code for a in answers]
    replayed = [a for a in answers if a.get("Idempotent-Replayed") == "true"]
    assert set(statuses) == {201}, statuses
    assert len({a.content for a in answers}) == 1
    assert len(replayed) == 9, "the repeats wait for the first answer and replay it"
    assert Department.objects.filter(company=company, name="华北大区").count() == 1
    report(
        f"T25 idempotency (concurrent): 10 at once -> 1 created, {len(replayed)} waited and replayed, 1 object"
    )


def test_t26_the_second_of_two_editors_gets_409_with_the_current_version(api, company, admin):
    dept = api.post("/departments", {"name": "研发部"}).json()
    first_reader = api.get(f"/departments/{dept['id']}").json()
    second_reader = api.get(f"/departments/{dept['id']}").json()
    assert first_reader["version"] == second_reader["version"] == 1
    saved = api.patch(f"/departments/{dept['id']}", {"version": first_reader["version"], "name": "研发一部"})
    assert saved.status_code == 200 and saved.json()["version"] == 2
    late = api.patch(f"/departments/{dept['id']}", {"version": second_reader["version"], "name": "研发二部"})
    assert late.status_code == 409
    error = late.json()["error"]
    assert error["code"] == "stale_version"
    assert str(error["detail"]["current_version"]) == "2"
    current = api.get(f"/departments/{dept['id']}").json()
    assert current["name"] == "研发一部" and current["version"] == 2
    report("T26 optimistic locking: 2 writers on version 1 -> 1 saved, 1 x 409, 0 lost updates")
