"""Users and their roles, roles and their permissions, departments (a tree) and employees."""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, selectors
from ..errors import NotFound
from ..forms import DepartmentForm, EmployeeForm, RoleForm, UserRolesForm
from ..models import Department, Employee, Membership, Role
from ..permissions import MANAGE_PEOPLE, MANAGE_ROLES, MANAGE_USERS, VIEW_PEOPLE
from ..services import tenancy
from ..webkit import Column, Filter, ListSpec, company_view, detail_page, form_page, list_page

# Users and roles ---------------------------------------------------------------------------


def _role_names(user) -> str:
    return ", ".join(sorted(r.name for m in user.company_memberships for r in m.roles.all()))


@company_view(perm=MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(company=request.company).prefetch_related("roles")
    qs = selectors.company_members(request.company).prefetch_related(
        Prefetch("memberships", queryset=memberships, to_attr="company_memberships")
    )
    spec = ListSpec(
        title=_("Users"),
        columns=[
            Column("username", _("Username"), link=True),
            Column("display_name", _("Name")),
            Column("email", _("E-mail")),
            Column("roles", _("Roles"), value=_role_names),
            Column("last_login", _("Last sign-in")),
        ],
        search_fields=["username", "display_name", "email"],
        ordering_fields=["username", "last_login"],
        default_ordering="username",
        export_name="users",
        row_url=lambda u: reverse("platform:user_roles", args=[u.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=MANAGE_ROLES)
def user_roles(request: HttpRequest, pk) -> HttpResponse:
    """Roles change only through `membership_set_roles`, which audits a role change."""
    user = selectors.company_members(request.company).filter(pk=pk).first()
    if user is None:
        raise NotFound()
    current = Role.objects.filter(memberships__user=user, memberships__company=request.company)
    form = UserRolesForm(request.POST or None, company=request.company, initial={"roles": list(current)})
    return form_page(
        request,
        form=form,
        title=_("Roles of %(user)s") % {"user": user},
        on_valid=lambda data: tenancy.membership_set_roles(
            actor=request.user, company=request.company, user=user, role_ids=[r.pk for r in data["roles"]]
        ),
        success_url=lambda _membership: reverse("platform:user_list"),
        back_url=reverse("platform:user_list"),
    )


@company_view(perm=MANAGE_ROLES)
def role_list(request: HttpRequest) -> HttpResponse:
    qs = Role.objects.filter(company=request.company).annotate(member_count=Count("memberships"))
    spec = ListSpec(
        title=_("Roles"),
        columns=[
            Column("name", _("Name"), link=True),
            Column("code", _("Code")),
            Column("scope", _("Record scope"), value=lambda r: r.get_scope_display()),
            Column("is_admin", _("Administrator")),
            Column("permissions", _("Permissions"), value=lambda r: len(r.permissions), numeric=True),
            Column("member_count", _("Members"), numeric=True),
        ],
        search_fields=["name", "code"],
        ordering_fields=["name", "code"],
        default_ordering="name",
        create_url=reverse("platform:role_create"),
        export_name="roles",
        row_url=lambda r: reverse("platform:role_edit", args=[r.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=MANAGE_ROLES)
def role_create(request: HttpRequest) -> HttpResponse:
    form = RoleForm(request.POST or None, initial={"scope": Role.Scope.OWN})
    return form_page(
        request,
        form=form,
        title=_("New role"),
        on_valid=lambda data: tenancy.role_create(actor=request.user, company=request.company, **data),
        success_url=lambda _role: reverse("platform:role_list"),
        back_url=reverse("platform:role_list"),
        template="platform/role_form.html",
    )


@company_view(perm=MANAGE_ROLES)
def role_edit(request: HttpRequest, pk) -> HttpResponse:
    role = access.access_role(user=request.user, company=request.company, id=pk)
    form = RoleForm(
        request.POST or None,
        editing=True,
        initial={"code": role.code, "name": role.name, "scope": role.scope, "permissions": role.permissions},
    )
    if role.is_admin:
        form.fields["permissions"].disabled = True

    def save(data: dict) -> Role:
        fields = {"name": data["name"], "scope": data["scope"]}
        if not role.is_admin:
            fields["permissions"] = data["permissions"]
        return tenancy.role_update(actor=request.user, company=request.company, role=role, data=fields)

    return form_page(
        request,
        form=form,
        title=_("Role %(name)s") % {"name": role.name},
        on_valid=save,
        success_url=lambda _role: reverse("platform:role_list"),
        back_url=reverse("platform:role_list"),
        template="platform/role_form.html",
    )


# Departments -------------------------------------------------------------------------------


def _tree(departments: list[Department]) -> list[dict]:
    """Departments nested under their parents, for an indented list."""
    children: dict = {}
    for dept in departments:
        children.setdefault(dept.parent_id, []).append(dept)

    def nodes(parent_id, seen: frozenset) -> list[dict]:
        return [
            {"dept": d, "children": nodes(d.pk, seen | {d.pk})}
            for d in children.get(parent_id, [])
            if d.pk not in seen
        ]

    return nodes(None, frozenset())


def _department_spec(can_manage: bool) -> ListSpec:
    return ListSpec(
        title=_("Departments"),
        columns=[
            Column("name", _("Name"), link=True),
            Column("code", _("Code")),
            Column("parent", _("Parent department")),
            Column("manager", _("Manager")),
            Column("employee_count", _("Employees"), numeric=True),
        ],
        search_fields=["name", "code", "mnemonic"],
        ordering_fields=["name", "code"],
        default_ordering="name",
        create_url=reverse("platform:department_create") if can_manage else None,
        export_name="departments",
        row_url=lambda d: reverse("platform:department_detail", args=[d.pk]),
    )


@company_view(perm=VIEW_PEOPLE)
def department_list(request: HttpRequest) -> HttpResponse:
    """The tree; a search or an export gives the flat list instead."""
    qs = access.scoped(
        Department.objects.select_related("parent", "manager"),
        user=request.user,
        company=request.company,
        perm=VIEW_PEOPLE,
    ).annotate(employee_count=Count("employees"))
    can_manage = access.has_perm(request.user, request.company, MANAGE_PEOPLE)
    if request.GET.get("q") or request.GET.get("export") or request.GET.get("ordering"):
        return list_page(request, qs, _department_spec(can_manage))
    ctx = {"title": _("Departments"), "tree": _tree(list(qs.order_by("name"))), "can_manage": can_manage}
    return render(request, "platform/department_tree.html", ctx)


@company_view(perm=VIEW_PEOPLE)
def department_detail(request: HttpRequest, pk) -> HttpResponse:
    dept = access.access_department(user=request.user, company=request.company, id=pk)
    can_manage = access.has_perm(request.user, request.company, MANAGE_PEOPLE)
    actions = []
    if can_manage:
        actions.append(
            {
                "label": _("Delete"),
                "url": reverse("platform:department_delete", args=[dept.pk]),
                "method": "post",
                "css": "is-danger is-light",
            }
        )
    return detail_page(
        request,
        obj=dept,
        title=dept.name,
        fields=[
            (_("Name"), dept.name),
            (_("Code"), dept.code),
            (_("Parent department"), dept.parent),
            (_("Manager"), dept.manager),
        ],
        actions=actions,
        edit_url=reverse("platform:department_edit", args=[dept.pk]) if can_manage else None,
        back_url=reverse("platform:department_list"),
        sections=[
            {
                "title": _("Employees"),
                "template": "platform/_department_employees.html",
                "employees": dept.employees.order_by("number"),
                "children": dept.children.order_by("name"),
            }
        ],
    )


def _department_refs(data: dict) -> dict:
    return {k: data[k] for k in ("name", "code", "parent", "manager")}


@company_view(perm=MANAGE_PEOPLE)
def department_create(request: HttpRequest) -> HttpResponse:
    form = DepartmentForm(request.POST or None, company=request.company)
    return form_page(
        request,
        form=form,
        title=_("New department"),
        on_valid=lambda data: tenancy.department_create(
            actor=request.user, company=request.company, **_department_refs(data)
        ),
        success_url=lambda dept: reverse("platform:department_detail", args=[dept.pk]),
        back_url=reverse("platform:department_list"),
    )


@company_view(perm=MANAGE_PEOPLE)
def department_edit(request: HttpRequest, pk) -> HttpResponse:
    dept = access.access_department(user=request.user, company=request.company, id=pk)
    form = DepartmentForm(
        request.POST or None,
        company=request.company,
        initial={
            "name": dept.name,
            "code": dept.code,
            "parent": dept.parent_id,
            "manager": dept.manager_id,
            "version": dept.version,
        },
    )
    form.fields["parent"].queryset = form.fields["parent"].queryset.exclude(pk=dept.pk)
    return form_page(
        request,
        form=form,
        title=_("Edit %(name)s") % {"name": dept.name},
        on_valid=lambda data: tenancy.department_update(
            actor=request.user,
            company=request.company,
            department=dept,
            data=_department_refs(data),
            version=data["version"],
        ),
        success_url=lambda d: reverse("platform:department_detail", args=[d.pk]),
        back_url=reverse("platform:department_detail", args=[dept.pk]),
    )


@company_view(perm=MANAGE_PEOPLE)
@require_POST
def department_delete(request: HttpRequest, pk) -> HttpResponse:
    dept = access.access_department(user=request.user, company=request.company, id=pk)
    tenancy.department_delete(actor=request.user, company=request.company, department=dept)
    messages.success(request, _("Deleted."))
    return redirect("platform:department_list")


# Employees ---------------------------------------------------------------------------------


@company_view(perm=VIEW_PEOPLE)
def employee_list(request: HttpRequest) -> HttpResponse:
    qs = access.scoped(
        Employee.objects.select_related("department", "manager", "user"),
        user=request.user,
        company=request.company,
        perm=VIEW_PEOPLE,
    )
    departments = Department.objects.filter(company=request.company).order_by("name")
    spec = ListSpec(
        title=_("Employees"),
        columns=[
            Column("number", _("Employee number"), link=True),
            Column("name", _("Name"), link=True),
            Column("department", _("Department")),
            Column("position", _("Position")),
            Column("manager", _("Manager")),
            Column("phone", _("Phone")),
            Column("email", _("E-mail")),
            Column("is_active", _("Active")),
        ],
        search_fields=["name", "number", "mnemonic", "position", "email", "phone"],
        ordering_fields=["number", "name", "position"],
        default_ordering="number",
        filters=[
            Filter(
                "department", _("Department"), [(str(d.pk), d.name) for d in departments], "department_id"
            ),
            Filter("active", _("Active"), [("1", _("Active")), ("0", _("Inactive"))], "is_active"),
        ],
        create_url=reverse("platform:employee_create")
        if access.has_perm(request.user, request.company, MANAGE_PEOPLE)
        else None,
        export_name="employees",
        row_url=lambda e: reverse("platform:employee_detail", args=[e.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_PEOPLE)
def employee_detail(request: HttpRequest, pk) -> HttpResponse:
    emp = access.access_employee(user=request.user, company=request.company, id=pk)
    can_manage = access.has_perm(request.user, request.company, MANAGE_PEOPLE)
    return detail_page(
        request,
        obj=emp,
        title=f"{emp.name} · {emp.number}",
        fields=[
            (_("Employee number"), emp.number),
            (_("Name"), emp.name),
            (_("Department"), emp.department),
            (_("Position"), emp.position),
            (_("Manager"), emp.manager),
            (_("User"), emp.user.get_username() if emp.user else None),
            (_("E-mail"), emp.email),
            (_("Phone"), emp.phone),
            (_("Active"), emp.is_active),
        ],
        edit_url=reverse("platform:employee_edit", args=[emp.pk]) if can_manage else None,
        back_url=reverse("platform:employee_list"),
    )


EMPLOYEE_FORM_FIELDS = (
    "number",
    "name",
    "department",
    "manager",
    "position",
    "user",
    "email",
    "phone",
    "is_active",
)


@company_view(perm=MANAGE_PEOPLE)
def employee_create(request: HttpRequest) -> HttpResponse:
    form = EmployeeForm(request.POST or None, company=request.company)
    return form_page(
        request,
        form=form,
        title=_("New employee"),
        on_valid=lambda data: tenancy.employee_create(
            actor=request.user, company=request.company, **{k: data[k] for k in EMPLOYEE_FORM_FIELDS}
        ),
        success_url=lambda emp: reverse("platform:employee_detail", args=[emp.pk]),
        back_url=reverse("platform:employee_list"),
    )


@company_view(perm=MANAGE_PEOPLE)
def employee_edit(request: HttpRequest, pk) -> HttpResponse:
    emp = access.access_employee(user=request.user, company=request.company, id=pk)
    initial = {k: getattr(emp, k) for k in ("number", "name", "position", "email", "phone", "is_active")}
    initial.update(
        department=emp.department_id, manager=emp.manager_id, user=emp.user_id, version=emp.version
    )
    form = EmployeeForm(request.POST or None, company=request.company, initial=initial)
    form.fields["manager"].queryset = form.fields["manager"].queryset.exclude(pk=emp.pk)
    form.fields["number"].disabled = True
    return form_page(
        request,
        form=form,
        title=_("Edit %(name)s") % {"name": emp.name},
        on_valid=lambda data: tenancy.employee_update(
            actor=request.user,
            company=request.company,
            employee=emp,
            data={k: data[k] for k in EMPLOYEE_FORM_FIELDS if k != "number"},
            version=data["version"],
        ),
        success_url=lambda e: reverse("platform:employee_detail", args=[e.pk]),
        back_url=reverse("platform:employee_detail", args=[emp.pk]),
    )
