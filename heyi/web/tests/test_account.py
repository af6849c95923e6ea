"""A person manages their own account; sensitive changes ask for the password again."""

from django.test import Client

from heyi.platform.models import ApiToken, AuditEntry


def test_password_change_needs_the_current_password(web, admin):
    r = web.post("/me/password/", {"current_password": "wrong", "new_password": "Heyi-new-2026!"})
    assert r.status_code == 400
    assert "not correct" in r.content.decode()
    admin.refresh_from_db()
    assert admin.check_password("pw-admin")
    r = web.post("/me/password/", {"current_password": "pw-admin", "new_password": "Heyi-new-2026!"})
    assert r.status_code == 302
    admin.refresh_from_db()
    assert admin.check_password("Heyi-new-2026!")
    assert AuditEntry.objects.filter(action="password_change", actor=admin).exists()
    assert web.get("/me/").status_code == 200, "the session that changed the password stays signed in"


def test_email_change_needs_the_current_password(web, admin):
    assert web.post("/me/email/", {"email": "boss@acme.cn", "current_password": "nope"}).status_code == 400
    admin.refresh_from_db()
    assert admin.email == "admin@example.com"
    assert (
        web.post("/me/email/", {"email": "boss@acme.cn", "current_password": "pw-admin"}).status_code == 302
    )
    admin.refresh_from_db()
    assert admin.email == "boss@acme.cn"


def test_personal_token_is_shown_once_then_works_until_revoked(web, admin, company):
    r = web.post("/me/tokens/", {"name": "ERP sync"})
    token = r.context["new_token"]
    assert token.startswith("hy_")
    record = ApiToken.objects.get(user=admin, name="ERP sync")
    assert token not in record.key_hash, "only the hash is stored"
    api = Client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    web.post(f"/me/tokens/{record.pk}/revoke/")
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_language_preference_sets_the_language_cookie(web, admin):
    r = web.post("/me/language/", {"language": "en"})
    assert r.cookies["django_language"].value == "en"
    admin.refresh_from_db()
    assert admin.language == "en"
    assert web.post("/me/language/", {"language": "fr"}).status_code == 400
