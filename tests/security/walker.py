"""Drives the security tests from the OpenAPI document, so endpoints added later are covered.

The document says which paths exist, which take an object id, which take a body and what that
body looks like; the helpers here turn it into calls: harvest a tenant's ids from its lists,
build a plausible request body, and snapshot a company's rows to prove nothing changed.
"""

import itertools
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Max
from django.test import Client

from conftest import ApiClient

PREFIX = "/api/v1"
UNSAFE = ("post", "put", "patch", "delete")
PARAM = re.compile(r"\{([^}]+)\}")
IDS_PER_LIST = 20
DB_ERROR_MARKERS = (
    "syntax error",
    "operationalerror",
    "programmingerror",
    "dataerror",
    "integrityerror",
    "psycopg",
    "sqlite",
    "unrecognized token",
    "traceback",
    'near "',
    "unterminated quoted",
)

_counter = itertools.count(1)


def openapi() -> dict:
    response = Client().get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200, response.content[:300]
    return response.json()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the template as written in the document, without the /api/v1 prefix
    spec: dict = field(hash=False, compare=False)

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    @property
    def query_params(self) -> list[dict]:
        return [p for p in self.spec.get("parameters", []) if p.get("in") == "query"]

    @property
    def body_schema(self) -> dict | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        media = content.get("application/json")
        return media.get("schema") if media else None

    @property
    def is_public(self) -> bool:
        return not self.spec.get("security")

    def url(self, binding: dict[str, str]) -> str:
        return PARAM.sub(lambda m: str(binding[m.group(1)]), self.path)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def operations(doc: dict) -> list[Operation]:
    found = []
    for raw_path, methods in doc["paths"].items():
        path = raw_path.removeprefix(PREFIX)
        for method, spec in methods.items():
            if method in ("get", *UNSAFE):
                found.append(Operation(method, path, spec))
    return found


def source_list(path: str, param: str) -> str:
    """The list an id parameter is taken from: the path up to that parameter."""
    return path.split("/{" + param + "}")[0]


def id_params(path: str) -> list[str]:
    return [p for p in PARAM.findall(path) if p == "id" or p.endswith("_id")]


def items_of(body: Any) -> list | None:
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        return body["items"]
    if isinstance(body, list):
        return body
    return None


def api_client(user, company=None) -> ApiClient:
    """A bearer-token client whose server errors come back as 500 responses, for counting."""
    client = ApiClient(user, company)
    client.client.raise_request_exception = False
    return client


@dataclass
class Harvest:
    """One tenant's objects as its admin sees them: per list path, the bindings of its ids."""

    bindings: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    items: dict[str, list[dict]] = field(default_factory=dict)
    list_status: dict[str, int] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)  # concrete detail path -> body
    item_ids: set[str] = field(default_factory=set)  # every `id` seen in any list

    def for_path(self, path: str) -> list[dict[str, str]]:
        params = id_params(path)
        if not params or len(params) != len(PARAM.findall(path)):
            return []
        return self.bindings.get(source_list(path, params[-1]), [])


def required_query(op: Operation) -> set[str]:
    return {p["name"] for p in op.query_params if p.get("required")}


def list_calls(op: Operation, refs: list[dict[str, str]]) -> list[dict[str, str]]:
    """Query parameters to call a list with: none, or the records it requires (`?record=&record_id=`)."""
    needed = required_query(op)
    if not needed:
        return [{}]
    return [ref for ref in refs if needed <= set(ref)][:3]


def harvest(client: ApiClient, doc: dict, refs: list[dict[str, str]] = ()) -> Harvest:
    """Call every GET list (nested ones with the parents' ids, per-record ones with `refs`)
    and keep the ids found."""
    result = Harvest()
    gets = sorted(
        (op for op in operations(doc) if op.method == "get"), key=lambda op: (len(op.params), op.path)
    )
    for op in gets:
        if any(not p.endswith("_id") and p != "id" for p in op.params):
            continue
        parents = result.for_path(op.path)[:3] if op.params else [{}]
        if not parents:
            continue
        calls = [(parent, query) for parent in parents for query in list_calls(op, list(refs))]
        for parent, query in calls or [(parents[0], {})]:
            url = op.url(parent)
            response = client.get(url, **query)
            result.list_status.setdefault(op.path, response.status_code)
            if response.status_code != 200:
                continue
            body = response.json()
            items = items_of(body)
            if items is None:
                if op.params:
                    result.details[url] = body
                continue
            result.items.setdefault(op.path, []).extend(items)
            result.item_ids |= {str(i["id"]) for i in items if isinstance(i, dict) and i.get("id")}
            param = _param_for(op.path, doc)
            if param is None:
                continue
            found = result.bindings.setdefault(op.path, [])
            for item in items[:IDS_PER_LIST]:
                if isinstance(item, dict) and item.get("id"):
                    found.append({**parent, param: str(item["id"])})
    for path, bindings in result.bindings.items():
        for op in gets:
            if op.params and source_list(op.path, op.params[-1]) == path:
                for binding in bindings:
                    if op.url(binding) not in result.details:
                        response = client.get(op.url(binding))
                        if response.status_code == 200:
                            result.details[op.url(binding)] = response.json()
    return result


def _param_for(list_path: str, doc: dict) -> str | None:
    """The name the document gives to an item id of this list (`/departments/{department_id}`)."""
    for op in operations(doc):
        params = op.params
        if params and source_list(op.path, params[-1]) == list_path and op.path.startswith(list_path + "/{"):
            return params[len(PARAM.findall(list_path))]
    return None


def detail_paths(doc: dict) -> list[Operation]:
    return [op for op in operations(doc) if id_params(op.path)]


# Request bodies -------------------------------------------------------------------------------


def resolve(schema: dict, doc: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return resolve(schema["allOf"][0], doc)
    return schema


def _non_null(schema: dict, doc: dict) -> dict:
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [resolve(s, doc) for s in schema[key]]
            options = [s for s in options if s.get("type") != "null"] or options
            return options[0]
    return schema


def properties(schema: dict, doc: dict) -> dict[str, dict]:
    schema = resolve(schema, doc)
    return {k: _non_null(resolve(v, doc), doc) for k, v in schema.get("properties", {}).items()}


def _string(schema: dict) -> str:
    if schema.get("enum"):
        return schema["enum"][0]
    fmt = schema.get("format")
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt == "date":
        return "2026-03-15"
    if fmt == "date-time":
        return "2026-03-15T09:30:00+08:00"
    if fmt == "email":
        return f"sec{next(_counter)}@example.com"
    n = next(_counter)
    candidates = [f"sec{n}", "1", "1.00", "0.13", f"SEC{n}", "2026-03-15"]
    pattern = schema.get("pattern")
    choice = re.match(r"^\^\(([\w-]+)[|)]", pattern or "")
    if choice:  # a choice written as a pattern: ^(stockable|consumable|service)$
        return choice.group(1)
    if pattern:
        for text in candidates:
            try:
                if re.fullmatch(pattern, text):
                    return text
            except re.error:
                break
    text = candidates[0]
    min_length = schema.get("minLength", 0)
    max_length = schema.get("maxLength")
    if len(text) < min_length:
        text = text.ljust(min_length, "x")
    return text[:max_length] if max_length else text


def example(schema: dict, doc: dict, depth: int = 0) -> Any:
    """A value that satisfies the schema's required fields, with plausible, unique strings."""
    schema = _non_null(resolve(schema, doc), doc)
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        return {
            name: example(sub, doc, depth + 1)
            for name, sub in schema.get("properties", {}).items()
            if name in required
        }
    if kind == "array":
        if depth > 3:
            return []
        return [example(schema.get("items", {}), doc, depth + 1)] if schema.get("minItems") else []
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    return _string(schema)


def body_for(op: Operation, doc: dict, base: dict | None = None) -> dict:
    """The required fields of the operation's body, then whatever `base` holds for its fields."""
    schema = op.body_schema
    if schema is None:
        return {}
    body = example(schema, doc)
    if not isinstance(body, dict):
        return body
    props = properties(schema, doc)
    for key, value in (base or {}).items():
        if key in props and value is not None:
            body[key] = value
    return body


def id_fields(op: Operation, doc: dict) -> list[str]:
    """Body fields that point at another object: `*_id`, or `*_ids` / `ids` / lists of UUIDs."""
    schema = op.body_schema
    if schema is None:
        return []
    found = []
    for name, sub in properties(schema, doc).items():
        items = _non_null(resolve(sub.get("items", {}), doc), doc) if sub.get("type") == "array" else {}
        if name.endswith("_id") or name == "id" or name.endswith("_ids") or name == "ids":
            found.append(name)
        elif items.get("format") == "uuid" or sub.get("format") == "uuid":
            found.append(name)
    return found


def is_list_field(op: Operation, doc: dict, name: str) -> bool:
    schema = op.body_schema
    return schema is not None and properties(schema, doc).get(name, {}).get("type") == "array"


# Evidence that nothing changed ---------------------------------------------------------------


def company_models() -> list:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("heyi.") and any(f.name == "company" for f in m._meta.concrete_fields)
    ]


def snapshot(company) -> dict[str, tuple]:
    """Per table: how many rows the company has and when the last one changed."""
    state = {}
    for model in company_models():
        qs = model._default_manager.filter(company=company)
        has_updated = any(f.name == "updated_at" for f in model._meta.concrete_fields)
        agg = qs.aggregate(last=Max("updated_at")) if has_updated else {"last": None}
        state[model._meta.label] = (qs.count(), agg["last"])
    return state


def leaked_ids(body: bytes | str, ids: set[str]) -> set[str]:
    text = body.decode(errors="replace") if isinstance(body, bytes) else body
    return {i for i in ids if i in text}


def json_or_text(response) -> str:
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return response.content.decode(errors="replace")


def iter_list_paths(doc: dict) -> Iterator[Operation]:
    for op in operations(doc):
        if op.method == "get" and not op.params:
            yield op


def detail_template(list_path: str, doc: dict) -> str | None:
    param = _param_for(list_path, doc)
    return f"{list_path}/{{{param}}}" if param else None


def record_url(op: Operation, binding: dict[str, str]) -> str:
    """The URL of the object an operation acts on: `/users/{user_id}/roles` -> `/users/<id>`."""
    last = id_params(op.path)[-1]
    return Operation("get", source_list(op.path, last) + "/{" + last + "}", {}).url(binding)


def call(client: ApiClient, op: Operation, url: str, body: Any = None, **headers: str):
    if op.method in ("get", "delete"):
        return client._call(op.method, url, headers=headers or None)
    return client._call(op.method, url, body if body is not None else {}, headers or None)


def ids_of_kind(field: str, op: Operation, theirs: Harvest) -> list[str]:
    """The other company's ids to put in a field: of the matching kind when the name says it,
    otherwise one of every kind."""
    stem = field.removesuffix("_ids").removesuffix("_id").replace("_", "-")
    collection = "/" + op.path.strip("/").split("/")[0]
    guesses = [f"/{stem}s", f"/{stem}es", f"/{stem[:-1]}ies", f"/{stem}"]
    if stem == "parent":
        guesses.insert(0, collection)
    for guess in guesses:
        bindings = theirs.bindings.get(guess)
        if bindings:
            return [b[k] for b in bindings[:2] for k in list(b)[-1:]]
    return [bs[0][list(bs[0])[-1]] for bs in theirs.bindings.values() if bs]


def with_our_references(
    body: dict, op: Operation, doc: dict, ours: Harvest, refs: list[dict[str, str]]
) -> dict:
    """The body with its object references pointing at objects of our own company."""
    props = properties(op.body_schema, doc) if op.body_schema else {}
    if {"record", "record_id"} <= set(props) and refs:
        body = {**body, **refs[0]}
    for name in id_fields(op, doc):
        if name in body and name != "record_id" and not is_list_field(op, doc, name):
            stem = name.removesuffix("_id").replace("_", "-")
            if any(ours.bindings.get(g) for g in (f"/{stem}s", f"/{stem}es", f"/{stem[:-1]}ies", f"/{stem}")):
                body[name] = ids_of_kind(name, op, ours)[0]
    return body
