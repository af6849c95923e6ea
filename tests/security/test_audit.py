"""T19: security events leave an audit row (who, tenant, action, time, address, request id,
no secrets), and audit rows cannot be changed or deleted through the application."""

import pytest
from django.contrib import admin as django_admin
from django.db import transaction
from django.test import Client, RequestFactory

from heyi.platform.models import AuditEntry, Role

from .figures import report


def _rows(action: str, **lookup) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, **lookup))


def test_t19_sign_ins_denials_switches_exports_and_role_changes_are_audited(demo):
    expected, found = [], []

    def expect(name: str, ok: bool) -> None:
        expected.append(name)
        if ok:
            found.append(name)

    client = Client(REMOTE_ADDR="10.1.2.3")
    response = client.post(
        "/api/v1/auth/token",
        {"username": "sales", "password": "wrong-secret-42"},
        content_type="application/json",
        headers={"X-Request-Id": "req-failed-login"},
    )
    assert response.status_code == 401
    failed = _rows("login_failed", actor_name="sales")
    expect("login failure", len(failed) == 1)
    assert (
        failed[0].ip == "10.1.2.3"
        and failed[0].request_id == "req-failed-login"
        and failed[0].source == "api"
    )
    assert "wrong-secret-42" not in str(failed[0].changes) + failed[0].object_repr

    token = client.post(
        "/api/v1/auth/token", {"username": "sales", "password": "demo1234"}, content_type="application/json"
    )
    assert token.status_code == 200
    login = _rows("login", actor=demo.sales)
    expect("login success", len(login) == 1 and login[0].company == demo.a)
    assert token.json()["token"] not in str(login[0].changes)

    web = Client()
    assert web.post("/login/", {"username": "sales", "password": "demo1234"}).status_code == 302
    expect("web login success", len(_rows("login", actor=demo.sales)) == 2)

    bearer = {"Authorization": f"Bearer {token.json()['token']}"}
    admin_role = Role.objects.get(company=demo.a, code="admin")
    denied = client.post(
        f"/api/v1/users/{demo.sales.pk}/roles",
        {"roles": [str(admin_role.pk)]},
        content_type="application/json",
        headers=bearer,
    )
    assert denied.status_code == 403
    expect("permission denied", bool(_rows("permission_denied", actor=demo.sales, company=demo.a)))

    assert client.get("/api/v1/me", headers={**bearer, "X-Company": str(demo.b.pk)}).status_code == 403
    expect("company switch denied", bool(_rows("company_switch_denied", actor=demo.sales)))

    admin_web = Client()
    admin_web.force_login(demo.admin)
    from heyi.platform.services.tenancy import membership_add

    membership_add(actor=None, company=demo.b, user=demo.admin, role_codes=["employee"])
    assert admin_web.post("/switch-company/", {"company": str(demo.b.pk)}).status_code == 302
    expect("company switch", bool(_rows("company_switch", actor=demo.admin, company=demo.b)))
    assert admin_web.post("/switch-company/", {"company": str(demo.a.pk)}).status_code == 302

    export_url = _an_exportable_list(admin_web)
    if export_url:
        response = admin_web.get(export_url, {"export": "csv"})
        assert response.status_code == 200
        expect("export", bool(_rows("export", actor=demo.admin, company=demo.a)))

    admin_api = Client()
    admin_api.force_login(demo.admin)
    admin_api.get("/login/")
    changed = admin_api.post(
        f"/api/v1/users/{demo.sales.pk}/roles",
        {"roles": [str(Role.objects.get(company=demo.a, code="sales_manager").pk)]},
        content_type="application/json",
        headers={"X-CSRFToken": admin_api.cookies["csrftoken"].value},
    )
    assert changed.status_code == 200
    role_rows = _rows("role_change", actor=demo.admin, object_id=str(demo.sales.pk))
    expect("role change", bool(role_rows) and role_rows[0].changes["roles"] == [["sales"], ["sales_manager"]])

    report(f"T19 audit: {len(found)} of {len(expected)} security events produced an audit row")
    assert found == expected, set(expected) - set(found)


def _an_exportable_list(client: Client) -> str | None:
    from django.urls import NoReverseMatch, reverse

    from heyi.platform.navigation import nav_items

    for item in nav_items():
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        if "export=" in client.get(url).content.decode():
            return url
    return None


def test_t19_audit_rows_cannot_be_changed_or_deleted_through_the_orm(demo):
    entry = AuditEntry.objects.filter(company=demo.a).first()
    count = AuditEntry.objects.count()
    entry.action = "nothing_happened"
    attempts = [
        lambda: entry.save(),
        lambda: entry.delete(),
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="nothing_happened"),
        lambda: AuditEntry.objects.filter(company=demo.a).delete(),
        lambda: AuditEntry.objects.all().delete(),
        lambda: AuditEntry.objects.bulk_update([entry], ["action"]),
        lambda: AuditEntry.objects.select_for_update().filter(pk=entry.pk).update(actor_name="x"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionError), transaction.atomic():
            attempt()
    assert AuditEntry.objects.count() == count
    entry.refresh_from_db()
    assert entry.action != "nothing_happened"
    report(f"T19 immutability: {len(attempts)} write attempts on audit rows, 0 succeeded")


def test_t19_the_admin_site_offers_no_way_to_change_or_delete_audit_rows(demo):
    model_admin = django_admin.site._registry.get(AuditEntry)
    if model_admin is None:
        return  # not in the admin at all
    request = RequestFactory().get("/")
    request.user = demo.admin
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)
