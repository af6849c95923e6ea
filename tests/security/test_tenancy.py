"""T01, T02, T04 (record scopes) and T06: one company never sees or touches another's data.

Every endpoint of the OpenAPI document is walked, so an endpoint added later is probed
without anyone remembering to add it here.
"""

import pytest

from heyi.platform import access
from heyi.platform.models import Role

from .figures import report
from .walker import (
    Harvest,
    Operation,
    api_client,
    body_for,
    call,
    detail_paths,
    detail_template,
    harvest,
    id_fields,
    id_params,
    ids_of_kind,
    is_list_field,
    iter_list_paths,
    leaked_ids,
    list_calls,
    openapi,
    operations,
    record_url,
    required_query,
    snapshot,
    source_list,
)


def test_t01_another_company_gets_404_for_every_one_of_our_ids_and_sees_none_in_its_lists(demo):
    doc = openapi()
    ours = harvest(api_client(demo.admin, demo.a), doc, demo.record_refs(demo.a))
    assert ours.item_ids, "the demo company's lists gave nothing to probe with"
    them = api_client(demo.admin2, demo.b)
    before = snapshot(demo.a)
    probes, leaks, problems = 0, 0, []

    our_refs = demo.record_refs(demo.a)
    for op in iter_list_paths(doc):
        if op.is_public:
            continue
        variants = [{}, {"company": str(demo.a.pk)}, {"company_id": str(demo.a.pk)}]
        if required_query(op):
            variants = list_calls(op, our_refs)
        for params in variants:
            response = them.get(op.path, **params)
            probes += 1
            leaked = leaked_ids(response.content, ours.item_ids)
            leaks += len(leaked)
            if leaked or response.status_code >= 500:
                problems.append(f"{op} {params}: {response.status_code}, {len(leaked)} of our ids")

    routes = {op.path for op in detail_paths(doc)}
    covered, uncovered = set(), {}
    for op in detail_paths(doc):
        bindings = ours.for_path(op.path)
        if not bindings:
            uncovered[op.path] = _why_uncovered(op, ours)
            continue
        covered.add(op.path)
        for binding in bindings:
            body = body_for(op, doc, base=ours.details.get(record_url(op, binding)))
            response = call(them, op, op.url(binding), body)
            probes += 1
            allowed = (404,) if op.method == "get" else (400, 403, 404)
            leaked = leaked_ids(response.content, ours.item_ids)
            leaks += len(leaked) + (1 if 200 <= response.status_code < 300 else 0)
            if response.status_code not in allowed or leaked:
                problems.append(f"{op} with our {binding}: {response.status_code} {response.content[:120]!r}")

    coverage = 100 * len(covered) / len(routes) if routes else 100.0
    report(
        f"T01 tenant isolation: {probes} cross-tenant probes, leaked {leaks}, "
        f"route coverage {coverage:.0f}% ({len(covered)}/{len(routes)} id routes)"
    )
    for path, why in sorted(uncovered.items()):
        report(f"T01   not probed: {path} ({why})")
    assert not problems, "\n".join(problems[:30])
    assert snapshot(demo.a) == before, "a probe of the other company changed our data"
    must_cover = {p for p, why in uncovered.items() if why.startswith("its list returned")}
    assert not must_cover, f"routes whose list has items but could not be probed: {sorted(must_cover)}"


def _why_uncovered(op: Operation, ours: Harvest) -> str:
    params = id_params(op.path)
    if not params:
        return "its parameter is not an object id"
    source = source_list(op.path, params[-1])
    if source not in ours.list_status:
        return "no list path to take ids from"
    if ours.list_status[source] != 200:
        return f"its list answered {ours.list_status[source]}"
    if ours.items.get(source):
        return "its list returned items without usable ids"
    return "its list is empty in the demo data"


def _owner_of(item: dict) -> str | None:
    value = item.get("owner_id", item.get("owner"))
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def test_t04_own_and_department_scopes_hide_colleagues_records_on_lists_and_details(demo):
    doc = openapi()
    ours = harvest(api_client(demo.admin, demo.a), doc, demo.record_refs(demo.a))
    for username in ("sales", "sales_manager"):
        _check_scope(demo, doc, ours, username)


def _check_scope(demo, doc, ours: Harvest, username: str) -> None:
    owned = {
        path: items
        for path, items in ours.items.items()
        if items and any(isinstance(i, dict) and ("owner_id" in i or "owner" in i) for i in items)
    }
    if not owned:
        pytest.skip("no list of the demo data carries an owner yet")
    user = demo.user(username)
    scopes = set(Role.objects.filter(memberships__user=user, company=demo.a).values_list("scope", flat=True))
    if Role.Scope.DEPARTMENT in scopes:
        scope_users = {str(u) for u in access.department_colleague_ids(user, demo.a)}
    else:
        scope_users = {str(user.pk)}
    client = api_client(user, demo.a)
    probes, problems, hidden_total = 0, [], 0
    for path, items in owned.items():
        template = detail_template(path, doc)
        hidden = [i for i in items if _owner_of(i) not in scope_users]
        listing = client.get(path, page_size=500)
        probes += 1
        if listing.status_code == 200:
            seen = leaked_ids(listing.content, {str(i["id"]) for i in hidden})
            if seen:
                problems.append(f"GET {path} as {username} shows {len(seen)} records of others")
        for item in hidden[:20]:
            if template is None:
                break
            op = Operation("get", template, {})
            response = client.get(op.url({id_params(template)[-1]: str(item["id"])}))
            probes += 1
            hidden_total += 1
            expected = (404,) if listing.status_code == 200 else (403, 404)
            if response.status_code not in expected:
                problems.append(f"GET {template} of {item['id']} as {username}: {response.status_code}")
    report(
        f"T04 record scope ({username}): {probes} probes over {len(owned)} owned lists, "
        f"{hidden_total} colleagues' records, {len(problems)} visible"
    )
    assert not problems, "\n".join(problems[:30])


def test_t02_creating_or_changing_with_another_companys_ids_is_refused_and_writes_nothing(demo):
    doc = openapi()
    ours = harvest(api_client(demo.admin, demo.a), doc, demo.record_refs(demo.a))
    theirs = harvest(api_client(demo.admin2, demo.b), doc, demo.record_refs(demo.b))
    client = api_client(demo.admin, demo.a)
    probes, meaningful, problems, vacuous = 0, 0, [], set()
    for op in operations(doc):
        if op.method not in ("post", "put", "patch") or op.is_public:
            continue
        fields = id_fields(op, doc)
        if not fields:
            continue
        bindings = ours.for_path(op.path)[:1] if op.params else [{}]
        if not bindings:
            vacuous.add(f"{op} (no object of ours to call it on)")
            continue
        binding = bindings[0]
        base = ours.details.get(record_url(op, binding)) if op.params else None
        before = (snapshot(demo.a), snapshot(demo.b))
        for field in fields:
            for foreign in ids_of_kind(field, op, theirs):
                body = body_for(op, doc, base)
                body[field] = [foreign] if is_list_field(op, doc, field) else foreign
                response = call(client, op, op.url(binding), body)
                probes += 1
                leaked = leaked_ids(response.content, theirs.item_ids - {foreign})
                ok_status = response.status_code in (400, 404) or (
                    is_list_field(op, doc, field) and response.status_code < 500
                )
                if not ok_status or leaked:
                    problems.append(
                        f"{op} {field}={foreign}: {response.status_code} {response.content[:150]!r}"
                    )
                    continue
                error_fields = (
                    response.json().get("error", {}).get("fields", {}) if response.status_code == 400 else {}
                )
                if response.status_code == 404 or any(field in key for key in error_fields):
                    meaningful += 1
                else:
                    vacuous.add(f"{op} {field}: {response.status_code} for another reason")
        if (snapshot(demo.a), snapshot(demo.b)) != before:
            problems.append(f"{op}: something was written")
    report(f"T02 cross-tenant writes: {probes} probes, {meaningful} refused for the foreign id, 0 written")
    for line in sorted(vacuous):
        report(f"T02   inconclusive: {line}")
    assert not problems, "\n".join(problems[:30])
    assert meaningful, "no probe reached the check of a foreign id"


IMPERSONATION = ("user", "as_user", "company", "sudo")


def test_t06_user_company_and_sudo_parameters_change_nothing_for_a_non_admin(demo):
    doc = openapi()
    client = api_client(demo.sales, demo.a)
    theirs = harvest(api_client(demo.admin2, demo.b), doc, demo.record_refs(demo.b))
    probes, problems = 0, []
    variants = [
        {"user": str(demo.admin.pk)},
        {"as_user": str(demo.admin.pk)},
        {"company": str(demo.b.pk)},
        {"sudo": "true"},
        {"user": "admin", "as_user": "admin", "company": str(demo.b.pk), "sudo": "1"},
    ]
    for op in iter_list_paths(doc):
        if op.is_public:
            continue
        declared = {p["name"] for p in op.query_params}
        baseline = client.get(op.path)
        for params in variants:
            params = {k: v for k, v in params.items() if k not in declared}
            if not params:
                continue
            response = client.get(op.path, **params)
            probes += 1
            same = response.status_code == baseline.status_code and response.content == baseline.content
            leaked = leaked_ids(response.content, theirs.item_ids)
            if not same or leaked:
                problems.append(f"{op} {params}: {response.status_code}, differs or shows the other company")
    report(f"T06 impersonation parameters: {probes} probes as a salesperson, {len(problems)} had an effect")
    assert probes
    assert not problems, "\n".join(problems[:30])
