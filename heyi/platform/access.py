"""The door to objects on a user's behalf: membership, module, permission and record scope.

Every app's `access_<entity>` goes through `access_record`, so tenancy and record scope are
checked in one place. A record of another company is simply not found (404), never 403.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from . import modules
from .errors import ModuleDisabled, NotFound, NotPermitted, refuse
from .models import Company, CompanyModule, Department, Employee, Membership, Owned, Role, User

M = TypeVar("M", bound=models.Model)

SCOPE_RANK = {Role.Scope.OWN: 1, Role.Scope.DEPARTMENT: 2, Role.Scope.COMPANY: 3}


@dataclass(frozen=True)
class Grants:
    """What one user may do in one company, worked out once per request."""

    is_member: bool
    is_admin: bool
    scopes: dict[str, str]  # permission codename -> broadest scope granting it
    role_codes: frozenset[str]

    def scope_for(self, codename: str) -> str | None:
        if self.is_admin:
            return Role.Scope.COMPANY
        return self.scopes.get(codename)


def grants(user: User, company: Company) -> Grants:
    cache: dict = user.__dict__.setdefault("_heyi_grants", {})
    if company.pk in cache:
        return cache[company.pk]
    membership = (
        Membership.objects.filter(company=company, user=user, is_active=True)
        .prefetch_related("roles")
        .first()
        if user.is_authenticated and user.is_active
        else None
    )
    if membership is None:
        result = Grants(False, False, {}, frozenset())
    else:
        scopes: dict[str, str] = {}
        roles = list(membership.roles.all())
        for role in roles:
            for codename in role.permissions:
                current = scopes.get(codename)
                if current is None or SCOPE_RANK[role.scope] > SCOPE_RANK[current]:
                    scopes[codename] = role.scope
        result = Grants(True, any(r.is_admin for r in roles), scopes, frozenset(r.code for r in roles))
    cache[company.pk] = result
    return result


def forget_grants(user: User) -> None:
    user.__dict__.pop("_heyi_grants", None)


def is_member(user: User, company: Company) -> bool:
    return grants(user, company).is_member


def has_perm(user: User, company: Company, codename: str) -> bool:
    return grants(user, company).scope_for(codename) is not None


def require_perm(user: User, company: Company, codename: str) -> None:
    if not has_perm(user, company, codename):
        raise NotPermitted(permission=codename)


def holders_of(company: Company, codename: str) -> list[User]:
    """Active members whose roles grant `codename` explicitly (the people to tell, not admins)."""
    role_ids = [
        role.pk for role in Role.objects.filter(company=company) if codename in (role.permissions or [])
    ]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__company=company,
            memberships__is_active=True,
            memberships__roles__in=role_ids,
        ).distinct()
    )


def enabled_modules(company: Company) -> set[str]:
    cache: dict = company.__dict__.setdefault("_heyi_modules", {})
    if "set" not in cache:
        cache["set"] = set(
            CompanyModule.objects.filter(company=company, enabled=True).values_list("module", flat=True)
        )
    return cache["set"]


def module_enabled(company: Company, module: str | None) -> bool:
    return module is None or module in enabled_modules(company)


def require_module(company: Company, module: str | None) -> None:
    if module is not None and module not in modules.MODULES:
        raise ValueError(f"unknown module {module}")
    if not module_enabled(company, module):
        raise ModuleDisabled()


def require_access(actor: User | None, company: Company, module: str | None, *perms: str) -> None:
    """The company runs `module` and the actor holds one of `perms`; with no actor (the system
    acting on someone's behalf) or no perms, the module alone."""
    require_module(company, module)
    if actor is None or not perms:
        return
    if not any(has_perm(actor, company, p) for p in perms):
        require_perm(actor, company, perms[0])


def ours(company: Company, field: str, obj: Any, *, required: bool = False) -> None:
    """A record handed to a service belongs to `company`: another company's reads as unknown,
    never as found (and so does a missing one where it is `required`)."""
    if obj is None and not required:
        return
    if obj is None or getattr(obj, "company_id", None) != company.pk:
        raise refuse(field, _("Not found."))


def department_subtree(company: Company, root_ids: set) -> set:
    children: dict = {}
    for dept_id, parent_id in Department.objects.filter(company=company).values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(dept_id)
    seen: set = set()
    stack = list(root_ids)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(children.get(current, []))
    return seen


def department_colleague_ids(user: User, company: Company) -> set:
    """Users in the departments this user belongs to, and in the departments below them."""
    own = set(
        Employee.objects.filter(company=company, user=user, department__isnull=False).values_list(
            "department_id", flat=True
        )
    )
    depts = department_subtree(company, own)
    ids = set(
        Employee.objects.filter(company=company, department_id__in=depts, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    ids.add(user.pk)
    return ids


def scoped(qs: models.QuerySet[M], *, user: User, company: Company, perm: str) -> models.QuerySet[M]:
    """The rows of `qs` this user may see under `perm`: company first, then record scope."""
    qs = qs.filter(company=company)
    scope = grants(user, company).scope_for(perm)
    if scope is None:
        return qs.none()
    if scope == Role.Scope.COMPANY or not issubclass(qs.model, Owned):
        return qs
    if scope == Role.Scope.DEPARTMENT:
        return qs.filter(owner_id__in=department_colleague_ids(user, company))
    return qs.filter(owner=user)


def access_record(
    model: type[M], *, user: User, company: Company, id: Any, perm: str, for_update: bool = False
) -> M:
    """One record by id if this user may see it, else NotFound; locked when asked."""
    qs = scoped(model._default_manager.all(), user=user, company=company, perm=perm)
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=id)
    except (model.DoesNotExist, ValueError, TypeError, models.ObjectDoesNotExist):
        raise NotFound()
    except Exception as exc:  # a malformed UUID surfaces as ValidationError
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError):
            raise NotFound()
        raise


def access_company(*, user: User, id: Any) -> Company:
    try:
        company = Company.objects.get(pk=id, is_active=True)
    except Exception:
        raise NotFound()
    if not is_member(user, company):
        raise NotFound()
    return company


def access_department(*, user: User, company: Company, id: Any, for_update: bool = False) -> Department:
    from .permissions import VIEW_PEOPLE

    return access_record(
        Department, user=user, company=company, id=id, perm=VIEW_PEOPLE, for_update=for_update
    )


def access_employee(*, user: User, company: Company, id: Any, for_update: bool = False) -> Employee:
    from .permissions import VIEW_PEOPLE

    return access_record(Employee, user=user, company=company, id=id, perm=VIEW_PEOPLE, for_update=for_update)


def access_role(*, user: User, company: Company, id: Any, for_update: bool = False) -> Role:
    from .permissions import MANAGE_ROLES

    return access_record(Role, user=user, company=company, id=id, perm=MANAGE_ROLES, for_update=for_update)
