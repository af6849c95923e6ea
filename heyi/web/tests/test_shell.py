"""The web shell: sign in, the navigation of the active company, switching companies."""

from django.test import Client

from conftest import make_member
from heyi.platform.models import AuditEntry


def test_sign_in_rotates_the_session_and_lands_on_the_start_page(admin):
    client = Client()
    client.get("/login/")
    before = client.cookies.get("sessionid")
    r = client.post("/login/", {"username": "admin", "password": "pw-admin"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.cookies["sessionid"].value != (before.value if before else None)
    page = client.get("/")
    assert page.status_code == 200
    assert "杭州科技有限公司" in page.content.decode()
    assert AuditEntry.objects.filter(action="login", actor=admin).exists()


def test_wrong_password_and_unknown_user_look_the_same(admin):
    a = Client().post("/login/", {"username": "admin", "password": "nope"})
    b = Client().post("/login/", {"username": "nobody", "password": "nope"})
    assert a.status_code == b.status_code == 401
    assert "not correct" in a.content.decode()


def test_pages_need_sign_in(db):
    r = Client().get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_switching_to_a_company_of_ones_own_rotates_the_session(web, admin, company, other_company):
    from heyi.platform.services.tenancy import membership_add

    membership_add(actor=None, company=other_company, user=admin, role_codes=["employee"])
    key = web.cookies["sessionid"].value
    r = web.post("/switch-company/", {"company": str(other_company.pk), "next": "/"})
    assert r.status_code == 302
    assert web.cookies["sessionid"].value != key
    assert "另一家公司" in web.get("/").content.decode()
    assert AuditEntry.objects.filter(action="company_switch", actor=admin, company=other_company).exists()


def test_switching_to_a_foreign_company_is_refused_and_audited(web, admin, other_company):
    r = web.post("/switch-company/", {"company": str(other_company.pk)})
    assert r.status_code == 403
    assert AuditEntry.objects.filter(action="company_switch_denied", actor=admin).exists()


def test_a_user_without_company_sees_a_clear_page(db):
    from heyi.platform.models import User

    User.objects.create_user(username="loner", password="pw-loner-123")
    client = Client()
    client.post("/login/", {"username": "loner", "password": "pw-loner-123"})
    r = client.get("/")
    assert r.status_code == 403
    assert "does not belong to any active company" in r.content.decode()


def test_english_and_chinese_pages(company, admin):
    make_member(company, "clerk", roles=["employee"])
    client = Client()
    client.post("/login/", {"username": "clerk", "password": "pw-clerk"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get("/").content.decode()


def test_a_busy_database_answers_503_not_500(web, monkeypatch):
    from django.db import OperationalError

    from heyi.web.views import shell

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(shell, "render", locked)
    r = web.get("/")
    assert r.status_code == 503
    assert r["Retry-After"] == "1"


def test_pages_speak_chinese_when_asked(db):
    r = Client(headers={"Accept-Language": "zh-hans"}).get("/login/")
    assert 'lang="zh-hans"' in r.content.decode()
    assert "登录" in r.content.decode()
    r = Client(headers={"Accept-Language": "en"}).get("/login/")
    assert "Sign in" in r.content.decode()
