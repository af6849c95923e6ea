"""T05: fields a client must never set (tenant, owner, flags, state, number, version) are
ignored or refused on every create and update of the API."""

from django.contrib.auth.models import Group

from heyi.platform.models import User

from .figures import report
from .walker import (
    api_client,
    body_for,
    call,
    company_models,
    openapi,
    operations,
    properties,
    record_url,
    with_our_references,
)
from .walker import harvest as harvest_ids

FORGED_NUMBER = "HACK-2026-999999"


def _forged(demo) -> dict:
    group = Group.objects.get_or_create(name="forged")[0]
    return {
        "company": str(demo.b.pk),
        "company_id": str(demo.b.pk),
        "owner": str(demo.admin2.pk),
        "owner_id": str(demo.admin2.pk),
        "created_by": str(demo.admin2.pk),
        "created_by_id": str(demo.admin2.pk),
        "approved_by": str(demo.admin2.pk),
        "is_staff": True,
        "is_superuser": True,
        "groups": [group.pk],
        "state": "posted",
        "status": "posted",
        "number": FORGED_NUMBER,
        "version": 999,
    }


def _people_flags() -> tuple:
    return (
        sorted(User.objects.filter(is_staff=True).values_list("username", flat=True)),
        sorted(User.objects.filter(is_superuser=True).values_list("username", flat=True)),
        User.groups.through.objects.count(),
    )


def _stored(object_id: str):
    if not object_id:
        return None
    for model in company_models():
        obj = model._default_manager.filter(pk=object_id).first()
        if obj is not None:
            return obj
    return None


def _applied(values: dict, forged: dict) -> list[str]:
    """Which forged values show up in a response body or a stored row."""
    found = []
    for key in ("company", "company_id"):
        if str(values.get(key, "")) == forged["company_id"]:
            found.append(key)
    for key in ("owner", "owner_id", "created_by", "created_by_id", "approved_by", "approved_by_id"):
        if str(values.get(key, "")) == forged["owner_id"]:
            found.append(key)
    for key in ("state", "status"):
        if values.get(key) == "posted":
            found.append(key)
    if values.get("number") == FORGED_NUMBER:
        found.append("number")
    if values.get("version") == 999:
        found.append("version")
    return found


def _row_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields} | {
        f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields
    }


def test_t05_forged_tenant_owner_flags_state_number_and_version_are_never_applied(demo):
    doc = openapi()
    ours = harvest_ids(api_client(demo.admin, demo.a), doc, demo.record_refs(demo.a))
    client = api_client(demo.admin, demo.a)
    forged = _forged(demo)
    flags = _people_flags()
    probes, ignored, refused, problems, inconclusive = 0, 0, 0, [], []
    for op in operations(doc):
        creating = op.method == "post" and not op.params
        if not (creating or op.method in ("patch", "put")) or op.is_public or op.body_schema is None:
            continue
        bindings = ours.for_path(op.path)[:3] if op.params else [{}]
        if not bindings:
            inconclusive.append(f"{op}: no object of ours to call it on")
            continue
        declared = set(properties(op.body_schema, doc))
        for binding in bindings:  # the first object may refuse any change (the admin role)
            base = ours.details.get(record_url(op, binding)) if op.params else None
            body = with_our_references(body_for(op, doc, base), op, doc, ours, demo.record_refs(demo.a))
            body |= {k: v for k, v in forged.items() if k not in declared}
            response = call(client, op, op.url(binding), body)
            probes += 1
            if response.status_code not in (403, 409):
                break
        if 200 <= response.status_code < 300:
            values = response.json() if response.content else {}
            applied = _applied(values if isinstance(values, dict) else {}, forged)
            stored = _stored(str(values.get("id", ""))) if isinstance(values, dict) else None
            if stored is not None:
                applied += [f"stored {k}" for k in _applied(_row_values(stored), forged)]
            if applied:
                problems.append(f"{op}: applied {applied}")
            ignored += 1
        elif response.status_code == 400:
            refused += 1
        else:
            inconclusive.append(f"{op}: {response.status_code} {response.content[:100]!r}")
    report(
        f"T05 mass assignment: {probes} forged creates/updates, {ignored} accepted with the forged fields "
        f"ignored, {refused} refused, {len(problems)} applied"
    )
    for line in inconclusive:
        report(f"T05   inconclusive: {line}")
    assert not problems, "\n".join(problems)
    assert _people_flags() == flags, "a payload changed someone's staff, superuser or group flags"
    assert ignored, "no forged request got far enough to show the fields are ignored"
