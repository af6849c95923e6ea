"""T15: guessing passwords stops after 10 failures per account and per address, on the API's
token endpoint and on the web sign-in; an unknown user looks exactly like a wrong password."""

import re
import statistics
import time

import pytest
from django.test import Client

from .figures import report

LIMIT = 10


def _token(username: str, password: str, ip: str):
    return Client(REMOTE_ADDR=ip).post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def _web(username: str, password: str, ip: str):
    return Client(REMOTE_ADDR=ip).post("/login/", {"username": username, "password": password})


SIGN_INS = {"api": _token, "web": _web}
SUCCESS = {"api": 200, "web": 302}


@pytest.mark.parametrize("channel", ["api", "web"])
def test_t15_ten_wrong_passwords_lock_the_account_even_from_new_addresses(admin, channel):
    sign_in = SIGN_INS[channel]
    statuses = [sign_in("admin", f"guess-{i}", f"10.0.1.{i + 1}").status_code for i in range(LIMIT)]
    assert statuses[:-1] == [401] * (LIMIT - 1) and statuses[-1] in (401, 429), statuses
    locked = sign_in("admin", "pw-admin", "10.0.2.1")
    assert locked.status_code == 429
    assert "pw-admin" not in locked.content.decode()
    before_lockout = statuses.count(401)
    assert before_lockout <= LIMIT
    report(f"T15 lockout ({channel}, per account): {before_lockout} failed sign-ins before lockout, then 429")


@pytest.mark.parametrize("channel", ["api", "web"])
def test_t15_ten_failures_from_one_address_lock_that_address_only(admin, channel):
    sign_in = SIGN_INS[channel]
    statuses = [sign_in(f"nobody{i}", "guess", "10.0.3.3").status_code for i in range(LIMIT)]
    assert statuses[:-1] == [401] * (LIMIT - 1) and statuses[-1] in (401, 429), statuses
    assert sign_in("admin", "pw-admin", "10.0.3.3").status_code == 429
    assert sign_in("admin", "pw-admin", "10.0.3.4").status_code == SUCCESS[channel]


def test_t15_a_locked_account_gets_the_same_answer_on_the_api_and_stays_audited(admin):
    from heyi.platform.models import AuditEntry

    for i in range(LIMIT):
        _token("admin", f"guess-{i}", f"10.0.4.{i + 1}")
    locked = _token("admin", "pw-admin", "10.0.5.1")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"
    assert AuditEntry.objects.filter(action="login_failed", actor_name="admin").count() >= LIMIT - 1
    assert AuditEntry.objects.filter(action="login_locked", actor_name="admin").exists()


def _normalised(response, username: str) -> str:
    text = response.content.decode()
    text = re.sub(r"[A-Za-z0-9]{64}", "<csrf token>", text)
    return text.replace(f'value="{username}"', 'value=""')


def test_t15_unknown_user_and_wrong_password_give_the_same_status_and_body(admin):
    timings: dict[str, list[float]] = {"unknown": [], "wrong": []}
    for i in range(6):
        for kind, username in (("unknown", f"ghost{i}"), ("wrong", "admin")):
            started = time.perf_counter()
            _token(username, "nope", f"10.0.6.{i + 1}")
            timings[kind].append((time.perf_counter() - started) * 1000)
    wrong, unknown = _token("admin", "nope", "10.0.7.1"), _token("ghost", "nope", "10.0.7.2")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.content == unknown.content
    web_wrong, web_unknown = _web("admin", "nope", "10.0.7.3"), _web("ghost", "nope", "10.0.7.4")
    assert web_wrong.status_code == web_unknown.status_code == 401
    assert _normalised(web_wrong, "admin") == _normalised(web_unknown, "ghost")
    gap = abs(
        statistics.quantiles(timings["unknown"], n=20)[-1] - statistics.quantiles(timings["wrong"], n=20)[-1]
    )
    report(f"T15 unknown user vs wrong password: same status and body; p95 time gap {gap:.1f} ms")
