"""Companies, module subscriptions, memberships, roles, departments and employees."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import access, modules
from ..errors import Conflict, NotPermitted, ValidationFailed
from ..models import Company, CompanyModule, Department, Employee, Membership, Role, User
from ..permissions import MANAGE_COMPANY, MANAGE_PEOPLE, MANAGE_ROLES, MANAGE_USERS, all_permissions
from ..roles import BUILTIN_ROLES, builtin_permissions
from .audit import audit_record
from .records import record_create, record_delete, record_update


def company_create(
    *, actor: User | None, name: str, code: str, modules_on: Iterable[str] = (modules.ERP,), **fields: Any
) -> Company:
    """A new tenant with its module subscriptions and the built-in roles."""
    with transaction.atomic():
        company = Company(name=name, code=code, **fields)
        from .records import validate

        validate(company)
        company.save(force_insert=True)
        for module in modules.MODULES:
            CompanyModule.objects.create(company=company, module=module, enabled=module in set(modules_on))
        for builtin in BUILTIN_ROLES:
            Role.objects.create(
                company=company,
                code=builtin.code,
                name=str(builtin.name),
                scope=builtin.scope,
                is_admin=builtin.is_admin,
                permissions=builtin_permissions(builtin.code),
            )
        audit_record(
            actor=actor, company=company, action="create", obj=company, changes={"name": [None, name]}
        )
    return company


def company_update(*, actor: User, company: Company, data: dict[str, Any]) -> dict:
    access.require_perm(actor, company, MANAGE_COMPANY)
    allowed = {"name", "tax_number", "time_zone", "currency", "prices_include_tax"}
    with transaction.atomic():
        locked = Company.objects.select_for_update().get(pk=company.pk)
        return record_update(
            actor=actor,
            company=company,
            obj=locked,
            data={k: v for k, v in data.items() if k in allowed},
            version=None,
        )


def company_module_set(*, actor: User, company: Company, module: str, enabled: bool) -> None:
    """Switch a module on or off; its data is kept either way."""
    access.require_perm(actor, company, MANAGE_COMPANY)
    if module not in modules.MODULES:
        raise ValidationFailed(fields={"module": [str(_("Unknown module."))]})
    with transaction.atomic():
        row = CompanyModule.objects.select_for_update().get(company=company, module=module)
        if row.enabled != enabled:
            row.enabled = enabled
            row.save(update_fields=["enabled", "updated_at"])
            audit_record(
                actor=actor,
                company=company,
                action="module_switch",
                obj=company,
                changes={f"module:{module}": [not enabled, enabled]},
            )
    company.__dict__.pop("_heyi_modules", None)


def membership_add(
    *, actor: User | None, company: Company, user: User, role_codes: Iterable[str] = ("employee",)
) -> Membership:
    if actor is not None:
        access.require_perm(actor, company, MANAGE_USERS)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(company=company, user=user)
        roles = list(Role.objects.filter(company=company, code__in=list(role_codes)))
        membership.roles.add(*roles)
        if user.default_company_id is None:
            user.default_company = company
            user.save(update_fields=["default_company"])
        audit_record(
            actor=actor,
            company=company,
            action="membership_add" if created else "role_change",
            obj=user,
            changes={"roles": [None, sorted(r.code for r in roles)]},
        )
    access.forget_grants(user)
    return membership


def membership_set_roles(*, actor: User, company: Company, user: User, role_ids: Iterable[Any]) -> Membership:
    """Roles change only here, by someone who may manage roles (never through a record's payload)."""
    access.require_perm(actor, company, MANAGE_ROLES)
    with transaction.atomic():
        try:
            membership = Membership.objects.select_for_update().get(company=company, user=user)
        except Membership.DoesNotExist:
            raise ValidationFailed(fields={"user": [str(_("The user does not belong to this company."))]})
        roles = list(Role.objects.filter(company=company, pk__in=list(role_ids)))
        if len(roles) != len(set(role_ids)):
            raise ValidationFailed(fields={"roles": [str(_("Unknown role."))]})
        if user == actor and not any(r.is_admin for r in roles) and access.grants(actor, company).is_admin:
            raise Conflict(_("You cannot take the administrator role away from yourself."))
        before = sorted(membership.roles.values_list("code", flat=True))
        membership.roles.set(roles)
        audit_record(
            actor=actor,
            company=company,
            action="role_change",
            obj=user,
            changes={"roles": [before, sorted(r.code for r in roles)]},
        )
    access.forget_grants(user)
    return membership


def role_create(
    *,
    actor: User,
    company: Company,
    code: str,
    name: str,
    permissions: list[str],
    scope: str = Role.Scope.OWN,
) -> Role:
    access.require_perm(actor, company, MANAGE_ROLES)
    _check_permissions(permissions)
    with transaction.atomic():
        return record_create(
            actor=actor,
            company=company,
            obj=Role(code=code, name=name, permissions=sorted(set(permissions)), scope=scope),
        )


def role_update(*, actor: User, company: Company, role: Role, data: dict[str, Any]) -> Role:
    access.require_perm(actor, company, MANAGE_ROLES)
    data = {k: v for k, v in data.items() if k in {"name", "permissions", "scope"}}
    if "permissions" in data:
        _check_permissions(data["permissions"])
        data["permissions"] = sorted(set(data["permissions"]))
    if role.is_admin and "permissions" in data:
        raise NotPermitted(_("The administrator role always has every permission."))
    with transaction.atomic():
        locked = access.access_role(user=actor, company=company, id=role.pk, for_update=True)
        record_update(actor=actor, company=company, obj=locked, data=data, version=None)
    return locked


def _check_permissions(perms: list[str]) -> None:
    unknown = sorted(set(perms) - set(all_permissions()))
    if unknown:
        raise ValidationFailed(
            fields={"permissions": [str(_("Unknown permission: %s")) % ", ".join(unknown)]}
        )


def department_create(
    *,
    actor: User,
    company: Company,
    name: str,
    parent: Department | None = None,
    code: str = "",
    manager: Employee | None = None,
) -> Department:
    access.require_perm(actor, company, MANAGE_PEOPLE)
    _same_company(company, parent=parent, manager=manager)
    with transaction.atomic():
        return record_create(
            actor=actor, company=company, obj=Department(name=name, parent=parent, code=code, manager=manager)
        )


def department_update(
    *, actor: User, company: Company, department: Department, data: dict[str, Any], version: int | None
) -> Department:
    access.require_perm(actor, company, MANAGE_PEOPLE)
    data = {k: v for k, v in data.items() if k in {"name", "code", "parent", "manager"}}
    _same_company(company, parent=data.get("parent"), manager=data.get("manager"))
    with transaction.atomic():
        locked = access.access_department(user=actor, company=company, id=department.pk, for_update=True)
        parent = data.get("parent")
        while parent is not None:
            if parent.pk == locked.pk:
                raise ValidationFailed(fields={"parent": [str(_("A department cannot sit under itself."))]})
            parent = parent.parent
        record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    return locked


def department_delete(*, actor: User, company: Company, department: Department) -> None:
    access.require_perm(actor, company, MANAGE_PEOPLE)
    with transaction.atomic():
        locked = access.access_department(user=actor, company=company, id=department.pk, for_update=True)
        record_delete(actor=actor, company=company, obj=locked)


EMPLOYEE_FIELDS = {
    "number",
    "name",
    "user",
    "department",
    "manager",
    "position",
    "email",
    "phone",
    "is_active",
}


def employee_create(*, actor: User, company: Company, **fields: Any) -> Employee:
    access.require_perm(actor, company, MANAGE_PEOPLE)
    fields = {k: v for k, v in fields.items() if k in EMPLOYEE_FIELDS}
    _same_company(company, department=fields.get("department"), manager=fields.get("manager"))
    _member(company, fields.get("user"))
    with transaction.atomic():
        if not fields.get("number"):
            from .numbering import number_next

            fields["number"] = number_next(company=company, doc_type="employee", prefix="EMP")
        return record_create(actor=actor, company=company, obj=Employee(**fields))


def employee_update(
    *, actor: User, company: Company, employee: Employee, data: dict[str, Any], version: int | None
) -> Employee:
    access.require_perm(actor, company, MANAGE_PEOPLE)
    data = {k: v for k, v in data.items() if k in EMPLOYEE_FIELDS}
    _same_company(company, department=data.get("department"), manager=data.get("manager"))
    _member(company, data.get("user"))
    with transaction.atomic():
        locked = access.access_employee(user=actor, company=company, id=employee.pk, for_update=True)
        if data.get("manager") is not None and data["manager"].pk == locked.pk:
            raise ValidationFailed(fields={"manager": [str(_("An employee cannot manage themselves."))]})
        record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    return locked


def _same_company(company: Company, **objs: Any) -> None:
    for name, obj in objs.items():
        if obj is not None and getattr(obj, "company_id", None) != company.pk:
            raise ValidationFailed(fields={name: [str(_("Not found."))]})


def _member(company: Company, user: User | None) -> None:
    if user is not None and not Membership.objects.filter(company=company, user=user).exists():
        raise ValidationFailed(fields={"user": [str(_("The user does not belong to this company."))]})
