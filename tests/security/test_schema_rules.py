"""Every business table belongs to a company, and nothing is unique across companies.

A table without `company` cannot be filtered by tenant, and a unique key without it lets one
company's value block another's (and cannot be sharded by company later).
"""

from django.apps import apps
from django.db import models

# Tables that are not one company's business data: people and tenants themselves, the audit
# trail (a failed sign-in has no company yet), personal tokens, and the job and outbox queues
# that workers claim across companies.
NOT_COMPANY_DATA = {
    "platform.User",
    "platform.Company",
    "platform.AuditEntry",
    "platform.ApiToken",
    "platform.Job",
    "platform.OutboxEvent",
    "platform.HandlerRun",
}


def _business_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=False)
        if m.__module__.startswith("heyi.")
        and not m._meta.abstract
        and not m._meta.proxy
        and m._meta.label not in NOT_COMPANY_DATA
    ]


def _unique_sets(model: type[models.Model]) -> list[tuple[str, set[str]]]:
    found = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names = set(constraint.fields) or {str(e) for e in constraint.expressions}
            found.append((constraint.name, names))
    for group in model._meta.unique_together:
        found.append(("unique_together", set(group)))
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            found.append((f"{field.name} unique=True", {field.name}))
    return found


def test_every_business_model_has_a_company_foreign_key():
    missing = []
    for model in _business_models():
        try:
            field = model._meta.get_field("company")
        except Exception:
            missing.append(model._meta.label)
            continue
        if not (field.many_to_one and field.related_model._meta.label == "platform.Company"):
            missing.append(f"{model._meta.label} (company is not a foreign key to Company)")
    assert len(_business_models()) > 10
    assert not missing, missing


def test_every_unique_key_of_a_business_model_includes_the_company():
    offending = [
        f"{model._meta.label}: {name} on {sorted(names)}"
        for model in _business_models()
        for name, names in _unique_sets(model)
        if not ({"company", "company_id"} & names or any("F(company)" in n for n in names))
    ]
    assert not offending, offending
