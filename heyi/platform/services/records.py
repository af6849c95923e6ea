"""The shared mechanics of creating and editing a record: validate, version, save, audit.

Each app's `<entity>_create` / `<entity>_update` service decides which fields a caller may
set and what else happens; these helpers do the part that is the same everywhere, so every
record validates, audits and refuses stale edits the same way.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..errors import Conflict, InvalidTransition, StaleVersion, ValidationFailed
from ..models import Company, User, Versioned
from .audit import audit_record, jsonable

M = TypeVar("M", bound=models.Model)


def validation_failed(exc: ValidationError) -> ValidationFailed:
    fields: dict[str, list[str]] = {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            key = "non_field_errors" if name == "__all__" else name
            fields[key] = [str(m) for e in errors for m in e.messages]
    else:
        fields["non_field_errors"] = [str(m) for m in exc.messages]
    return ValidationFailed(fields=fields)


def _loaded_relations(obj: models.Model) -> set[str]:
    """Foreign keys whose object the caller handed over loaded from the database and, where it
    belongs to a company, from the record's own company: asking whether it exists proves nothing."""
    company_id = getattr(obj, "company_id", None)
    names = set()
    for field in obj._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or not field.is_cached(obj):
            continue
        related = field.get_cached_value(obj)
        if (
            related is None
            or related._state.adding
            or related._state.db is None
            or field.get_limit_choices_to()
            or getattr(related, field.target_field.attname) != getattr(obj, field.attname)
            or getattr(related, "company_id", company_id) != company_id
        ):
            continue
        names.add(field.name)
    return names


def validate(obj: models.Model, exclude: Iterable[str] = ()) -> None:
    """`full_clean`, less the lookups whose answer is already known: the foreign keys of
    `_loaded_relations`, and the uniqueness of a new record's random, non-editable id."""
    skip = set(exclude)
    pk = obj._meta.pk
    fresh_id = {pk.name} if obj._state.adding and pk is not None and not pk.editable else set()
    errors: dict[str, Any] = {}
    for step in ("fields", "clean", "unique", "constraints"):
        skip |= {name for name in errors if name != NON_FIELD_ERRORS}  # as full_clean does
        try:
            if step == "fields":
                obj.clean_fields(exclude=skip | _loaded_relations(obj))
            elif step == "clean":
                obj.clean()
            elif step == "unique":
                obj.validate_unique(exclude=skip | fresh_id)
            else:
                _validate_constraints(obj, skip)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise validation_failed(ValidationError(errors))


_COMPARE = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
    "range": lambda a, b: b[0] <= a <= b[1],
}


_UNKNOWN = object()


def _value(obj: models.Model, name: str, skip: set[str]) -> Any:
    if name in skip:
        return _UNKNOWN
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return _UNKNOWN
    return getattr(obj, field.attname) if field.concrete else _UNKNOWN  # type: ignore[union-attr]


def _holds(condition: Any, obj: models.Model, skip: set[str]) -> bool | None:
    """A constraint's condition decided on the record's own values, as SQL would (an empty
    value compared is unknown), or None where only the database can say."""
    if isinstance(condition, models.Q):
        verdicts = [_holds(child, obj, skip) for child in condition.children]
        if condition.connector == models.Q.AND:
            result = False if False in verdicts else None if None in verdicts else True
        else:
            result = True if True in verdicts else None if None in verdicts else False
        return result if result is None or not condition.negated else not result
    name, _sep, lookup = condition[0].partition("__")
    value, other = _value(obj, name, skip), condition[1]
    if isinstance(other, models.F):
        other = _value(obj, str(other.name), skip)  # type: ignore[attr-defined]
    if value is _UNKNOWN or other is _UNKNOWN or isinstance(other, (models.Expression, models.Model)):
        return None
    if lookup == "isnull":
        return (value is None) == bool(other)
    compare = _COMPARE.get(lookup or "exact")
    if compare is None or value is None or other is None:
        return None
    try:
        return bool(compare(value, other))
    except TypeError:
        return None


def _validate_constraints(obj: models.Model, skip: set[str]) -> None:
    """`validate_constraints`, deciding check constraints and the conditions of conditional
    unique constraints from the record's values instead of asking the database each time."""
    errors: dict[str, Any] = {}
    for model, constraints in obj.get_constraints():
        for constraint in constraints:
            condition = getattr(constraint, "condition", None)
            verdict = _holds(condition, obj, skip) if condition is not None else None
            try:
                if isinstance(constraint, models.CheckConstraint) and verdict is not None:
                    if not verdict:
                        raise ValidationError(
                            constraint.get_violation_error_message(), code=constraint.violation_error_code
                        )
                elif not (isinstance(constraint, models.UniqueConstraint) and verdict is False):
                    constraint.validate(model, obj, exclude=skip)
            except ValidationError as exc:
                fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                if getattr(exc, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def field_values(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = (
                sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
            )
        else:
            values[name] = jsonable(getattr(obj, field.attname))  # type: ignore[union-attr]
    return values


def _editable_names(obj: models.Model) -> list[str]:
    skip = {"id", "company", "created_at", "updated_at", "version", "mnemonic"}
    return [f.name for f in obj._meta.concrete_fields if f.name not in skip]


def record_create(*, actor: User | None, company: Company, obj: M, validate_exclude: Iterable[str] = ()) -> M:
    obj.company = company  # type: ignore[attr-defined]
    validate(obj, validate_exclude)
    obj.save(force_insert=True)
    audit_record(
        actor=actor,
        company=company,
        action="create",
        obj=obj,
        changes={
            k: [None, v] for k, v in field_values(obj, _editable_names(obj)).items() if v not in (None, "")
        },
    )
    return obj


def check_version(obj: models.Model, version: int | None) -> None:
    if isinstance(obj, Versioned) and version is not None and obj.version != version:
        raise StaleVersion(current_version=obj.version)


def record_update(
    *,
    actor: User | None,
    company: Company,
    obj: M,
    data: dict[str, Any],
    version: int | None,
    validate_exclude: Iterable[str] = (),
) -> dict[str, list[Any]]:
    """Apply `data` to `obj` (which the caller locked) and return what changed, old -> new."""
    check_version(obj, version)
    before = field_values(obj, data.keys())
    for name, value in data.items():
        setattr(obj, name, value)
    after = field_values(obj, data.keys())
    changes = {k: [before[k], after[k]] for k in data if before[k] != after[k]}
    if not changes:
        return {}
    validate(obj, validate_exclude)
    if isinstance(obj, Versioned):
        obj.version += 1
    obj.save()
    audit_record(actor=actor, company=company, action="update", obj=obj, changes=changes)
    return changes


def record_transition(
    *,
    actor: User | None,
    company: Company,
    obj: models.Model,
    field: str,
    new: str,
    allowed: dict[str, Iterable[str]],
) -> None:
    """Move a status field along the table of allowed transitions, audited."""
    old = getattr(obj, field)
    if new not in allowed.get(old, ()):
        raise InvalidTransition(current=old, target=new)
    setattr(obj, field, new)
    if isinstance(obj, Versioned):
        obj.version += 1
    obj.save()
    audit_record(actor=actor, company=company, action="transition", obj=obj, changes={field: [old, new]})


def record_delete(*, actor: User | None, company: Company, obj: models.Model) -> None:
    """Delete a record that nothing uses any more; what it held stays in the audit row."""
    snapshot = field_values(obj, _editable_names(obj))
    audit_record(
        actor=actor,
        company=company,
        action="delete",
        obj=obj,
        changes={k: [v, None] for k, v in snapshot.items() if v not in (None, "")},
    )
    try:
        obj.delete()
    except models.ProtectedError:
        raise Conflict(
            _("This record is still used by other records and cannot be deleted; deactivate it instead.")
        )
