"""T16: the session id rotates at sign-in and at a company switch, sign-out ends it on the
server, production cookies are Secure/HttpOnly/SameSite=Lax, and an idle session expires."""

import datetime
import json
import os
import subprocess
import sys

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from heyi.platform.services.tenancy import membership_add

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "heyi.settings.prod",
    "SECRET_KEY": "prod-like-" + "k3y" * 20,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "ALLOWED_HOSTS": "heyi.example.com",
}


def prod_settings(*names: str) -> dict:
    """The values production settings give, read in a fresh interpreter."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=settings.PROJECT_DIR,
        env={**os.environ, **PROD_ENV},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _sign_in(client: Client, username: str = "admin") -> None:
    response = client.post("/login/", {"username": username, "password": f"pw-{username}"})
    assert response.status_code == 302


def test_t16_the_session_id_changes_at_sign_in(admin):
    client = Client()
    client.get("/login/")
    client.session.save()  # an anonymous session, as a visitor would have
    anonymous = client.session.session_key
    _sign_in(client)
    assert client.cookies["sessionid"].value not in (None, "", anonymous)
    assert not Session.objects.filter(session_key=anonymous).exists()


def test_t16_the_session_id_changes_at_a_company_switch(admin, company, other_company):
    membership_add(actor=None, company=other_company, user=admin, role_codes=["employee"])
    client = Client()
    _sign_in(client)
    before = client.cookies["sessionid"].value
    assert client.post("/switch-company/", {"company": str(other_company.pk)}).status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_t16_sign_out_deletes_the_session_on_the_server(admin):
    client = Client()
    _sign_in(client)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.post("/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    response = replay.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_t16_an_idle_session_expires_and_every_request_renews_the_idle_clock(admin):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    client = Client()
    _sign_in(client)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get("/").status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_t16_production_cookies_are_secure_httponly_and_lax():
    values = prod_settings(
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "SESSION_COOKIE_AGE",
        "SESSION_SAVE_EVERY_REQUEST",
        "SECURE_SSL_REDIRECT",
    )
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SESSION_SAVE_EVERY_REQUEST"] is True and values["SESSION_COOKIE_AGE"] <= 12 * 3600
    assert values["SECURE_SSL_REDIRECT"] is True


def test_t16_the_session_cookie_sent_at_sign_in_is_httponly_and_lax(admin):
    client = Client()
    _sign_in(client)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
