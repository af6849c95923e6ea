"""Settings in the browser: company, modules, users and roles, people, audit log, events, jobs."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_member
from heyi.platform import access
from heyi.platform.jobs import job_kind
from heyi.platform.models import AuditEntry, CompanyModule, Department, Employee, Job, Membership, Role
from heyi.platform.navigation import NavItem, _items
from heyi.platform.services.jobs import job_start
from heyi.platform.services.tenancy import department_create, employee_create

ADMIN_PAGES = [
    "platform:company_settings",
    "platform:user_list",
    "platform:role_list",
    "platform:role_create",
    "platform:department_create",
    "platform:employee_create",
    "platform:audit_log",
    "platform:event_list",
    "platform:webhook_list",
    "platform:webhook_create",
]


@pytest.fixture
def clerk(company):
    return make_member(company, "clerk", roles=["employee"])


@pytest.fixture
def clerk_web(clerk):
    client = Client()
    client.force_login(clerk)
    return client


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_settings_pages_open_for_the_administrator_and_not_for_a_plain_employee(web, clerk_web, name):
    assert web.get(reverse(name)).status_code == 200
    assert clerk_web.get(reverse(name)).status_code == 403


def test_a_refused_page_is_audited_as_a_permission_denial(clerk_web, clerk):
    clerk_web.get(reverse("platform:role_list"))
    assert AuditEntry.objects.filter(action="permission_denied", actor=clerk).exists()


def test_everyone_sees_the_company_directory_but_only_hr_may_change_it(web, clerk_web, company, admin):
    dept = department_create(actor=admin, company=company, name="研发部")
    for client in (web, clerk_web):
        assert client.get(reverse("platform:department_list")).status_code == 200
        assert client.get(reverse("platform:department_detail", args=[dept.pk])).status_code == 200
        assert client.get(reverse("platform:employee_list")).status_code == 200
    assert clerk_web.get(reverse("platform:department_edit", args=[dept.pk])).status_code == 403
    assert clerk_web.post(reverse("platform:department_delete", args=[dept.pk])).status_code == 403
    assert Department.objects.filter(pk=dept.pk).exists()


def test_the_administrator_changes_company_settings(web, company):
    r = web.post(
        reverse("platform:company_settings"),
        {
            "name": "杭州合一科技有限公司",
            "tax_number": "91330100MA2XXXXX1",
            "time_zone": "Asia/Urumqi",
            "prices_include_tax": "on",
        },
    )
    assert r.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.time_zone, company.prices_include_tax) == (
        "杭州合一科技有限公司",
        "Asia/Urumqi",
        True,
    )
    assert AuditEntry.objects.filter(company=company, action="update", object_id=str(company.pk)).exists()


def test_an_unknown_time_zone_is_refused_on_the_form(web, company):
    r = web.post(reverse("platform:company_settings"), {"name": "X", "time_zone": "Mars/Olympus"})
    assert r.status_code == 400
    company.refresh_from_db()
    assert company.time_zone == "Asia/Shanghai"


@pytest.fixture
def crm_nav_item():
    item = NavItem("crm", "Leads (test)", "platform:job_list", module="crm", order=1)
    _items.append(item)
    yield item
    _items.remove(item)


def test_switching_a_module_off_hides_its_navigation_and_keeps_its_data(web, company, crm_nav_item):
    assert "Leads (test)" in web.get("/").content.decode()
    r = web.post(reverse("platform:company_module"), {"module": "crm", "enabled": "0"})
    assert r.status_code == 302
    assert CompanyModule.objects.get(company=company, module="crm").enabled is False
    page = web.get(r["Location"]).content.decode()
    assert "Leads (test)" not in page
    assert "Its data is kept" in page
    assert AuditEntry.objects.filter(company=company, action="module_switch").exists()
    web.post(reverse("platform:company_module"), {"module": "crm", "enabled": "1"})
    assert "Leads (test)" in web.get("/").content.decode()


def test_a_plain_employee_cannot_switch_modules(clerk_web, company):
    assert (
        clerk_web.post(reverse("platform:company_module"), {"module": "crm", "enabled": "0"}).status_code
        == 403
    )
    assert CompanyModule.objects.get(company=company, module="crm").enabled is True


def test_roles_are_assigned_through_the_form_and_audited(web, company, admin, clerk):
    finance = Role.objects.get(company=company, code="finance")
    page = web.get(reverse("platform:user_roles", args=[clerk.pk]))
    assert page.status_code == 200
    r = web.post(reverse("platform:user_roles", args=[clerk.pk]), {"roles": [str(finance.pk)]})
    assert r.status_code == 302
    membership = Membership.objects.get(company=company, user=clerk)
    assert [r.code for r in membership.roles.all()] == ["finance"]
    entry = AuditEntry.objects.get(
        company=company, action="role_change", object_id=str(clerk.pk), actor=admin
    )
    assert entry.changes == {"roles": [["employee"], ["finance"]]}
    assert entry.source == "web"
    access.forget_grants(clerk)
    assert access.has_perm(clerk, company, "platform.view_audit")


def test_another_companys_user_or_role_cannot_be_used_in_the_form(
    web, company, other_company, outsider, clerk
):
    assert web.get(reverse("platform:user_roles", args=[outsider.pk])).status_code == 404
    foreign_role = Role.objects.get(company=other_company, code="admin")
    r = web.post(reverse("platform:user_roles", args=[clerk.pk]), {"roles": [str(foreign_role.pk)]})
    assert r.status_code == 400
    assert [r.code for r in Membership.objects.get(company=company, user=clerk).roles.all()] == ["employee"]


def test_the_administrator_cannot_remove_their_own_administrator_role(web, company, admin):
    sales = Role.objects.get(company=company, code="sales")
    r = web.post(reverse("platform:user_roles", args=[admin.pk]), {"roles": [str(sales.pk)]})
    assert r.status_code == 400
    assert "administrator role away from yourself" in r.content.decode()
    assert Membership.objects.get(company=company, user=admin).roles.filter(is_admin=True).exists()


def test_a_role_is_created_with_permissions_grouped_by_app_and_a_scope(web, company):
    page = web.get(reverse("platform:role_create")).content.decode()
    assert "Platform" in page and 'value="platform.view_audit"' in page
    r = web.post(
        reverse("platform:role_create"),
        {
            "code": "auditor",
            "name": "审计",
            "scope": "company",
            "permissions": ["platform.view_audit", "platform.view_events"],
        },
    )
    assert r.status_code == 302
    role = Role.objects.get(company=company, code="auditor")
    assert (role.scope, role.permissions) == ("company", ["platform.view_audit", "platform.view_events"])
    r = web.post(
        reverse("platform:role_edit", args=[role.pk]),
        {"code": "ignored", "name": "内部审计", "scope": "own", "permissions": ["platform.view_audit"]},
    )
    assert r.status_code == 302
    role.refresh_from_db()
    assert (role.code, role.name, role.scope, role.permissions) == (
        "auditor",
        "内部审计",
        "own",
        ["platform.view_audit"],
    )


def test_a_made_up_permission_is_refused(web, company):
    r = web.post(
        reverse("platform:role_create"),
        {"code": "x", "name": "x", "scope": "own", "permissions": ["platform.sudo"]},
    )
    assert r.status_code == 400
    assert not Role.objects.filter(company=company, code="x").exists()


def test_departments_show_as_a_tree_and_are_edited_with_their_version(web, company, admin):
    root = department_create(actor=admin, company=company, name="总经办")
    child = department_create(actor=admin, company=company, name="华东销售部", parent=root)
    department_create(actor=admin, company=company, name="杭州分部", parent=child)
    page = web.get(reverse("platform:department_list")).content.decode()
    assert page.index("总经办") < page.index("华东销售部") < page.index("杭州分部")
    assert page.count("<ul>") == 3
    edit = reverse("platform:department_edit", args=[child.pk])
    r = web.post(edit, {"name": "华东大区", "parent": str(root.pk), "version": child.version})
    assert r.status_code == 302 and r["Location"] == reverse("platform:department_detail", args=[child.pk])
    stale = web.post(edit, {"name": "华东二区", "parent": str(root.pk), "version": child.version})
    assert stale.status_code == 400
    child.refresh_from_db()
    assert child.name == "华东大区"


def test_a_department_cannot_move_under_itself(web, company, admin):
    root = department_create(actor=admin, company=company, name="总经办")
    child = department_create(actor=admin, company=company, name="财务部", parent=root)
    r = web.post(
        reverse("platform:department_edit", args=[root.pk]),
        {"name": "总经办", "parent": str(child.pk), "version": root.version},
    )
    assert r.status_code == 400
    root.refresh_from_db()
    assert root.parent_id is None


def test_employees_are_created_listed_filtered_and_exported(web, company, admin, clerk):
    dept = department_create(actor=admin, company=company, name="仓储部")
    r = web.post(
        reverse("platform:employee_create"),
        {
            "name": "王小明",
            "department": str(dept.pk),
            "position": "仓库主管",
            "user": str(clerk.pk),
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    emp = Employee.objects.get(company=company, name="王小明")
    assert r["Location"] == reverse("platform:employee_detail", args=[emp.pk])
    assert emp.number.startswith("EMP") and emp.user == clerk and emp.department == dept
    detail = web.get(r["Location"]).content.decode()
    assert "仓库主管" in detail and "clerk" in detail
    listed = web.get(reverse("platform:employee_list"), {"department": str(dept.pk)}).content.decode()
    assert "王小明" in listed
    assert "王小明" in web.get(reverse("platform:employee_list"), {"q": "wxm"}).content.decode()
    export = web.get(reverse("platform:employee_list"), {"export": "csv"})
    assert export.status_code == 200 and "王小明" in export.content.decode("utf-8-sig")


def test_an_employee_cannot_be_their_own_manager(web, company, admin):
    emp = employee_create(actor=admin, company=company, name="李雷")
    r = web.post(
        reverse("platform:employee_edit", args=[emp.pk]),
        {"name": "李雷", "manager": str(emp.pk), "is_active": "on", "version": emp.version},
    )
    assert r.status_code == 400
    emp.refresh_from_db()
    assert emp.manager_id is None


def test_another_companys_department_is_not_found(web, other_company, outsider):
    foreign = department_create(actor=outsider, company=other_company, name="外部门")
    assert web.get(reverse("platform:department_detail", args=[foreign.pk])).status_code == 404
    assert web.get(reverse("platform:department_edit", args=[foreign.pk])).status_code == 404


def test_the_audit_log_filters_by_action_and_actor_and_exports(web, company, admin, clerk):
    department_create(actor=admin, company=company, name="法务部")
    page = web.get(reverse("platform:audit_log"), {"action": "create", "actor": "admin"}).content.decode()
    assert "法务部" in page
    assert (
        "法务部" not in web.get(reverse("platform:audit_log"), {"action": "membership_add"}).content.decode()
    )
    assert "法务部" in web.get(reverse("platform:audit_log"), {"q": "法务"}).content.decode()
    export = web.get(reverse("platform:audit_log"), {"export": "xlsx"})
    assert export.status_code == 200
    assert AuditEntry.objects.filter(company=company, action="export", actor=admin).exists()


def test_the_audit_log_never_shows_another_companys_rows(web, other_company, outsider):
    department_create(actor=outsider, company=other_company, name="别人的部门")
    assert "别人的部门" not in web.get(reverse("platform:audit_log")).content.decode()


def test_finance_reads_the_audit_log_without_being_an_administrator(company):
    accountant = make_member(company, "accountant", roles=["finance"])
    client = Client()
    client.force_login(accountant)
    assert client.get(reverse("platform:audit_log")).status_code == 200
    assert client.get(reverse("platform:role_list")).status_code == 403


FLAKY_RUNS: list[str] = []


@job_kind("test.flaky_report")
def _flaky_report(job, progress) -> dict:
    FLAKY_RUNS.append(str(job.pk))
    if len(FLAKY_RUNS) == 1:
        raise RuntimeError("report server unavailable")
    progress(10, 10, "done")
    return {"rows": 10}


def test_a_failed_job_is_shown_and_retry_queues_it_again(web, company, admin):
    FLAKY_RUNS.clear()
    job = job_start(actor=admin, company=company, kind="test.flaky_report")
    assert job.status == Job.Status.FAILED
    page = web.get(reverse("platform:job_list")).content.decode()
    assert "report server unavailable" in page
    assert reverse("platform:job_retry", args=[job.pk]) in page
    r = web.post(reverse("platform:job_retry", args=[job.pk]))
    assert r.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (Job.Status.SUCCEEDED, 2, {"rows": 10})
    assert AuditEntry.objects.filter(company=company, action="job_retry", object_id=str(job.pk)).exists()
    again = web.post(reverse("platform:job_retry", args=[job.pk]))
    assert again.status_code == 409, "only a failed job can be retried"


def test_a_running_job_polls_its_row_until_it_ends(web, company, admin):
    job = Job.objects.create(
        company=company,
        kind="test.flaky_report",
        status=Job.Status.RUNNING,
        total=4,
        progress=1,
        created_by=admin,
    )
    row_url = reverse("platform:job_row", args=[job.pk])
    page = web.get(reverse("platform:job_list")).content.decode()
    assert f'hx-get="{row_url}"' in page and 'hx-trigger="every 2s"' in page
    assert 'value="25"' in page
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, progress=4)
    row = web.get(row_url, headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in row and 'value="100"' in row


def test_people_see_only_their_own_jobs_and_cannot_retry_others(clerk_web, company, admin):
    FLAKY_RUNS.clear()
    job = job_start(actor=admin, company=company, kind="test.flaky_report")
    assert "report server unavailable" not in clerk_web.get(reverse("platform:job_list")).content.decode()
    assert clerk_web.post(reverse("platform:job_retry", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_the_event_history_page_lists_the_companys_events(web, company, admin, clerk):
    from heyi.platform.services.notifications import notify

    notify(company=company, recipients=[clerk], kind="test", title="合同已审批", actor=admin)
    page = web.get(reverse("platform:event_list")).content.decode()
    assert "platform.notification_created" in page
    filtered = web.get(reverse("platform:event_list"), {"type": "platform.notification_created"})
    assert "合同已审批" in filtered.content.decode()


def test_settings_navigation_is_shown_to_the_administrator_only(web, clerk_web):
    assert reverse("platform:role_list") in web.get("/").content.decode()
    home = clerk_web.get("/").content.decode()
    assert reverse("platform:role_list") not in home
    assert reverse("platform:employee_list") in home
