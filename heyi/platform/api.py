"""Platform endpoints: sign-in, me, companies, users and roles, people, events, audit, jobs."""

import uuid

from django.http import HttpRequest
from ninja import Router, Status

from . import access, api_records, selectors
from .errors import NotFound, ValidationFailed
from .http.auth import api_auth
from .http.pagination import ordered, paginate, text_search
from .models import Department, Employee, Job, Notification, Role, User
from .permissions import MANAGE_JOBS, MANAGE_ROLES, MANAGE_USERS, VIEW_PEOPLE
from .schemas import (
    AuditOut,
    CompanyOut,
    CompanyPatch,
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    EmployeeIn,
    EmployeeOut,
    EmployeePatch,
    ErrorOut,
    EventOut,
    JobOut,
    MarkReadIn,
    MeOut,
    ModuleSwitchIn,
    NotificationOut,
    RoleAssignIn,
    RoleIn,
    RoleOut,
    RolePatch,
    TokenIn,
    TokenOut,
    UserOut,
    page_of,
)
from .services import jobs as job_services
from .services import notifications as notification_services
from .services import tenancy
from .services.accounts import token_issue
from .services.auth import user_login_check

ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}

public = Router(tags=["auth"])
router = Router(auth=api_auth(), tags=["platform"])
routers = [public, router, api_records.router]


@public.post("/auth/token", response={200: TokenOut, **ERRORS}, auth=None)
def auth_token(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a personal API token (shown once)."""
    user = user_login_check(request=request, username=payload.username, password=payload.password)
    _record, raw = token_issue(user=user, name="api")
    return {"token": raw}


def _me(request: HttpRequest) -> dict:
    user, company = request.actor, request.company
    g = access.grants(user, company)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "email": user.email,
        "language": user.language,
        "company": company,
        "companies": selectors.user_companies(user),
        "roles": sorted(g.role_codes),
        "is_admin": g.is_admin,
        "permissions": sorted(g.scopes) if not g.is_admin else ["*"],
    }


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    return _me(request)


@router.get("/companies", response=page_of(CompanyOut))
def companies(request: HttpRequest):
    return paginate(request, selectors.user_companies(request.actor))


@router.get("/companies/{company_id}", response={200: CompanyOut, **ERRORS})
def company_detail(request: HttpRequest, company_id: uuid.UUID):
    return access.access_company(user=request.actor, id=company_id)


@router.patch("/companies/{company_id}", response={200: CompanyOut, **ERRORS})
def company_patch(request: HttpRequest, company_id: uuid.UUID, payload: CompanyPatch):
    company = _active(request, company_id)
    tenancy.company_update(actor=request.actor, company=company, data=payload.dict(exclude_unset=True))
    company.refresh_from_db()
    return company


@router.post("/companies/{company_id}/modules", response={200: CompanyOut, **ERRORS})
def company_modules(request: HttpRequest, company_id: uuid.UUID, payload: ModuleSwitchIn):
    """Switch a module (crm, erp, oa) on or off; its data is kept."""
    company = _active(request, company_id)
    tenancy.company_module_set(
        actor=request.actor, company=company, module=payload.module, enabled=payload.enabled
    )
    return company


def _active(request: HttpRequest, company_id: uuid.UUID):
    """Company settings are changed in the active company only (switch first with X-Company)."""
    if company_id != request.company.pk:
        access.access_company(user=request.actor, id=company_id)
        raise ValidationFailed(fields={"company": ["Switch to this company (X-Company) to change it."]})
    return request.company


def _user_out(user: User, company) -> dict:
    roles = Role.objects.filter(memberships__user=user, memberships__company=company).values_list(
        "code", flat=True
    )
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "email": user.email,
        "roles": sorted(roles),
    }


@router.get("/users", response=page_of(UserOut))
def users(request: HttpRequest, q: str = ""):
    access.require_perm(request.actor, request.company, VIEW_PEOPLE)
    qs = text_search(selectors.company_members(request.company), q, ["username", "display_name", "email"])
    return paginate(request, qs, lambda u: _user_out(u, request.company))


@router.get("/users/{user_id}", response={200: UserOut, **ERRORS})
def user_detail(request: HttpRequest, user_id: uuid.UUID):
    access.require_perm(request.actor, request.company, VIEW_PEOPLE)
    user = selectors.company_members(request.company).filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return _user_out(user, request.company)


@router.post("/users/{user_id}/roles", response={200: UserOut, **ERRORS})
def user_roles(request: HttpRequest, user_id: uuid.UUID, payload: RoleAssignIn):
    """The only way to change a user's roles (needs the manage-roles permission)."""
    access.require_perm(request.actor, request.company, MANAGE_USERS)
    user = selectors.company_members(request.company).filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    tenancy.membership_set_roles(
        actor=request.actor, company=request.company, user=user, role_ids=payload.roles
    )
    return _user_out(user, request.company)


@router.get("/roles", response=page_of(RoleOut))
def roles(request: HttpRequest):
    access.require_perm(request.actor, request.company, MANAGE_ROLES)
    return paginate(request, Role.objects.filter(company=request.company).order_by("code"))


@router.get("/roles/{role_id}", response={200: RoleOut, **ERRORS})
def role_detail(request: HttpRequest, role_id: uuid.UUID):
    return access.access_role(user=request.actor, company=request.company, id=role_id)


@router.post("/roles", response={201: RoleOut, **ERRORS})
def role_create(request: HttpRequest, payload: RoleIn):
    role = tenancy.role_create(actor=request.actor, company=request.company, **payload.dict())
    return Status(201, role)


@router.patch("/roles/{role_id}", response={200: RoleOut, **ERRORS})
def role_patch(request: HttpRequest, role_id: uuid.UUID, payload: RolePatch):
    role = access.access_role(user=request.actor, company=request.company, id=role_id)
    return tenancy.role_update(
        actor=request.actor, company=request.company, role=role, data=payload.dict(exclude_unset=True)
    )


def _resolve(model, company, value, field: str):
    if value is None:
        return None
    obj = model.objects.filter(company=company, pk=value).first()
    if obj is None:
        raise ValidationFailed(fields={field: ["Not found."]})
    return obj


@router.get("/departments", response=page_of(DepartmentOut))
def departments(request: HttpRequest, q: str = "", ordering: str = "name"):
    qs = access.scoped(
        Department.objects.all(), user=request.actor, company=request.company, perm=VIEW_PEOPLE
    )
    qs = ordered(
        text_search(qs, q, ["name", "code", "mnemonic"]), ordering, ["name", "code", "created_at"], "name"
    )
    return paginate(request, qs)


@router.get("/departments/{department_id}", response={200: DepartmentOut, **ERRORS})
def department_detail(request: HttpRequest, department_id: uuid.UUID):
    return access.access_department(user=request.actor, company=request.company, id=department_id)


@router.post("/departments", response={201: DepartmentOut, **ERRORS})
def department_create(request: HttpRequest, payload: DepartmentIn):
    c = request.company
    dept = tenancy.department_create(
        actor=request.actor,
        company=c,
        name=payload.name,
        code=payload.code,
        parent=_resolve(Department, c, payload.parent_id, "parent_id"),
        manager=_resolve(Employee, c, payload.manager_id, "manager_id"),
    )
    return Status(201, dept)


@router.patch("/departments/{department_id}", response={200: DepartmentOut, **ERRORS})
def department_patch(request: HttpRequest, department_id: uuid.UUID, payload: DepartmentPatch):
    c = request.company
    dept = access.access_department(user=request.actor, company=c, id=department_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "parent_id" in data:
        data["parent"] = _resolve(Department, c, data.pop("parent_id"), "parent_id")
    if "manager_id" in data:
        data["manager"] = _resolve(Employee, c, data.pop("manager_id"), "manager_id")
    return tenancy.department_update(
        actor=request.actor, company=c, department=dept, data=data, version=version
    )


@router.delete("/departments/{department_id}", response={204: None, **ERRORS})
def department_delete(request: HttpRequest, department_id: uuid.UUID):
    dept = access.access_department(user=request.actor, company=request.company, id=department_id)
    tenancy.department_delete(actor=request.actor, company=request.company, department=dept)
    return Status(204, None)


@router.get("/employees", response=page_of(EmployeeOut))
def employees(
    request: HttpRequest, q: str = "", department_id: uuid.UUID | None = None, ordering: str = "number"
):
    qs = access.scoped(Employee.objects.all(), user=request.actor, company=request.company, perm=VIEW_PEOPLE)
    if department_id:
        qs = qs.filter(department_id=department_id)
    qs = text_search(qs, q, ["name", "number", "mnemonic", "position", "email"])
    return paginate(request, ordered(qs, ordering, ["number", "name", "created_at"], "number"))


@router.get("/employees/{employee_id}", response={200: EmployeeOut, **ERRORS})
def employee_detail(request: HttpRequest, employee_id: uuid.UUID):
    return access.access_employee(user=request.actor, company=request.company, id=employee_id)


def _employee_refs(company, data: dict) -> dict:
    if "department_id" in data:
        data["department"] = _resolve(Department, company, data.pop("department_id"), "department_id")
    if "manager_id" in data:
        data["manager"] = _resolve(Employee, company, data.pop("manager_id"), "manager_id")
    if "user_id" in data:
        user_id = data.pop("user_id")
        data["user"] = selectors.company_members(company).filter(pk=user_id).first() if user_id else None
        if user_id and data["user"] is None:
            raise ValidationFailed(fields={"user_id": ["Not found."]})
    return data


@router.post("/employees", response={201: EmployeeOut, **ERRORS})
def employee_create(request: HttpRequest, payload: EmployeeIn):
    data = _employee_refs(request.company, payload.dict())
    return Status(201, tenancy.employee_create(actor=request.actor, company=request.company, **data))


@router.patch("/employees/{employee_id}", response={200: EmployeeOut, **ERRORS})
def employee_patch(request: HttpRequest, employee_id: uuid.UUID, payload: EmployeePatch):
    emp = access.access_employee(user=request.actor, company=request.company, id=employee_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = _employee_refs(request.company, data)
    return tenancy.employee_update(
        actor=request.actor, company=request.company, employee=emp, data=data, version=version
    )


@router.get("/events", response=page_of(EventOut))
def events(request: HttpRequest, subject_type: str = "", subject_id: str = "", type: str = ""):
    """The event history, newest first; filter by subject to see one record's story."""
    qs = selectors.event_history(
        user=request.actor,
        company=request.company,
        subject_type=subject_type[:60],
        subject_id=subject_id[:64],
        type_=type[:80],
    )
    return paginate(request, qs)


@router.get("/audit-log", response=page_of(AuditOut))
def audit_log(
    request: HttpRequest,
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    actor: str = "",
    q: str = "",
):
    qs = selectors.audit_trail(
        user=request.actor,
        company=request.company,
        object_type=object_type[:60],
        object_id=object_id[:64],
        action=action[:40],
        actor=actor[:150],
        q=q,
    )
    return paginate(request, qs)


@router.get("/notifications", response=page_of(NotificationOut))
def notifications(request: HttpRequest, unread: bool = False):
    qs = Notification.objects.filter(company=request.company, recipient=request.actor)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return paginate(request, qs.order_by("-created_at"))


@router.post("/notifications/read", response={200: dict, **ERRORS})
def notifications_read(request: HttpRequest, payload: MarkReadIn):
    count = notification_services.notifications_mark_read(
        user=request.actor, company=request.company, ids=payload.ids
    )
    return {"marked": count}


def _jobs(request: HttpRequest):
    qs = Job.objects.filter(company=request.company)
    if not access.has_perm(request.actor, request.company, MANAGE_JOBS):
        qs = qs.filter(created_by=request.actor)
    return qs


@router.get("/jobs", response=page_of(JobOut))
def jobs(request: HttpRequest, status: str = ""):
    qs = _jobs(request)
    if status:
        qs = qs.filter(status=status[:10])
    return paginate(request, qs.order_by("-created_at"))


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS})
def job_detail(request: HttpRequest, job_id: uuid.UUID):
    job = _jobs(request).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job


@router.post("/jobs/{job_id}/retry", response={200: JobOut, **ERRORS})
def job_retry(request: HttpRequest, job_id: uuid.UUID):
    job = _jobs(request).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job_services.job_retry(actor=request.actor, company=request.company, job=job)


from .api_webhooks import router as webhooks_router  # noqa: E402

routers.append(webhooks_router)
