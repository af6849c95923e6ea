from heyi.platform.models import AuditEntry, Role


def test_token_then_me_shows_company_roles_and_modules(api, company):
    r = api.get("/me")
    assert r.status_code == 200
    body = r.json()
    assert body["username"] == "admin"
    assert body["company"]["id"] == str(company.pk)
    assert body["company"]["modules"] == ["crm", "erp", "oa"]
    assert body["roles"] == ["admin"]


def test_token_endpoint_gives_same_answer_for_unknown_user_and_wrong_password(client, admin):
    wrong = client.post(
        "/api/v1/auth/token", {"username": "admin", "password": "nope"}, content_type="application/json"
    )
    unknown = client.post(
        "/api/v1/auth/token", {"username": "ghost", "password": "nope"}, content_type="application/json"
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert AuditEntry.objects.filter(action="login_failed").count() == 2


def test_bad_token_is_401_with_error_body(client, company):
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "not_authenticated"


def test_x_company_of_a_foreign_company_is_403_and_audited(api_as, admin, other_company):
    client = api_as(admin, other_company)
    r = client.get("/me")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "not_a_member"
    assert AuditEntry.objects.filter(action="company_switch_denied", actor=admin).exists()


def test_department_create_validates_and_audits(api, company):
    r = api.post("/departments", {"name": ""})
    assert r.status_code == 400
    assert "name" in r.json()["error"]["fields"]
    r = api.post("/departments", {"name": "研发部"})
    assert r.status_code == 201
    dept_id = r.json()["id"]
    assert AuditEntry.objects.filter(object_id=dept_id, action="create").exists()


def test_stale_version_is_409_and_changes_nothing(api):
    dept = api.post("/departments", {"name": "研发部"}).json()
    assert api.patch(f"/departments/{dept['id']}", {"version": 1, "name": "研发一部"}).status_code == 200
    stale = api.patch(f"/departments/{dept['id']}", {"version": 1, "name": "研发二部"})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert api.get(f"/departments/{dept['id']}").json()["name"] == "研发一部"


def test_roles_change_only_through_the_roles_endpoint(api, api_as, company, sales):
    sales_api = api_as(sales, company)
    admin_role = Role.objects.get(company=company, code="admin")
    denied = sales_api.post(f"/users/{sales.pk}/roles", {"roles": [str(admin_role.pk)]})
    assert denied.status_code == 403
    assert AuditEntry.objects.filter(action="permission_denied", actor=sales).exists()
    ok = api.post(f"/users/{sales.pk}/roles", {"roles": [str(admin_role.pk)]})
    assert ok.status_code == 200
    assert ok.json()["roles"] == ["admin"]
    assert AuditEntry.objects.filter(action="role_change", object_id=str(sales.pk)).exists()
