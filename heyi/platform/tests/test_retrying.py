"""A transaction refused for timing reasons (deadlock, serialization, SQLite lock) runs again."""

import pytest
from django.db import OperationalError, transaction

from heyi.platform import retrying
from heyi.platform.retrying import retry_when_busy


def _flaky(failures: int, message: str = "deadlock detected"):
    calls = {"n": 0}

    @retry_when_busy
    def post() -> str:
        calls["n"] += 1
        if calls["n"] <= failures:
            raise OperationalError(message)
        return "posted"

    return post, calls


def test_a_deadlocked_action_is_run_again_until_it_goes_through(monkeypatch):
    monkeypatch.setattr(retrying.time, "sleep", lambda s: None)
    post, calls = _flaky(2)
    assert post() == "posted" and calls["n"] == 3


def test_it_gives_up_after_five_attempts(monkeypatch):
    monkeypatch.setattr(retrying.time, "sleep", lambda s: None)
    post, calls = _flaky(9, "could not serialize access")
    with pytest.raises(OperationalError):
        post()
    assert calls["n"] == 5


def test_other_database_errors_are_not_retried():
    post, calls = _flaky(1, "no such table: x")
    with pytest.raises(OperationalError):
        post()
    assert calls["n"] == 1


@pytest.mark.django_db
def test_inside_someone_elses_transaction_the_owner_decides():
    post, calls = _flaky(1)
    with pytest.raises(OperationalError), transaction.atomic():
        post()
    assert calls["n"] == 1
