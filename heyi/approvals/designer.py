"""The template designer's rows and the engine's JSON, both ways.

The designer edits a flow as rows a non-programmer can fill in: steps in order, each for
everyone or for one branch of a single condition split, and the split's rules, one a row (rows
with the same branch number are one branch, whose rules must all hold). A flow the rows cannot
express (written through the API or the JSON view) is edited in the JSON view.
"""

from typing import Any

from .design import SUBMITTER_DEPARTMENT

REQUIRED_MARKS = ("required", "必填", "*")


def _split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def form_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fields = []
    for row in rows:
        field: dict[str, Any] = {
            "key": row["key"].strip(),
            "label": row["label"].strip(),
            "type": row["type"],
            "required": bool(row.get("required")),
        }
        if row["type"] == "choice":
            field["choices"] = _split_lines(row.get("choices", ""))
        if row["type"] == "table":
            columns = []
            for line in _split_lines(row.get("columns", "")):
                parts = [p.strip() for p in line.replace("，", ",").split(",")]
                key = parts[0]
                column = {
                    "key": key,
                    "label": parts[1] if len(parts) > 1 and parts[1] else key,
                    "type": parts[2] if len(parts) > 2 and parts[2] else "text",
                }
                if len(parts) > 3 and parts[3].lower() in REQUIRED_MARKS:
                    column["required"] = True
                columns.append(column)
            field["columns"] = columns
        fields.append(field)
    return fields


FIELD_KEYS = {"key", "label", "type", "required", "choices", "columns"}
COLUMN_KEYS = {"key", "label", "type", "required"}


def form_fits_rows(form: list[dict[str, Any]]) -> bool:
    """Whether the field rows can show the form without losing anything (a table column with
    choices of its own, say, cannot be written as a line)."""
    return all(
        set(f) <= FIELD_KEYS and all(set(c) <= COLUMN_KEYS for c in f.get("columns") or []) for f in form
    )


def rows_from_form(form: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "key": f.get("key", ""),
            "label": f.get("label", ""),
            "type": f.get("type", "text"),
            "required": bool(f.get("required")),
            "choices": "\n".join(f.get("choices") or []),
            "columns": "\n".join(
                f"{c.get('key', '')}, {c.get('label', '')}, {c.get('type', 'text')}"
                + (", required" if c.get("required") else "")
                for c in f.get("columns") or []
            ),
        }
        for f in form
    ]


def _approvers(step: dict[str, Any]) -> list[dict[str, Any]]:
    kind = step["approver_kind"]
    if kind == "user":
        return [
            {"kind": "user", "user": str(u.pk if hasattr(u, "pk") else u)} for u in step.get("users") or []
        ]
    if kind == "role":
        return [{"kind": "role", "role": step.get("role") or ""}]
    if kind == "manager":
        return [{"kind": "manager", "levels": step.get("levels") or 1}]
    if kind == "department_head":
        department = step.get("department")
        return [{"kind": "department_head", "department": str(department.pk) if department else ""}]
    return [{"kind": "field", "field": step.get("field") or ""}]


def _rule_value(branch: dict[str, Any]) -> Any:
    if branch["field"] == SUBMITTER_DEPARTMENT and branch.get("department"):
        return str(branch["department"].pk)
    value = (branch.get("value") or "").strip()
    if branch["op"] in ("in", "not_in"):
        return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
    return value


def branch_numbers(rows: list[dict[str, Any]]) -> list[int]:
    """Each rule row's branch: its number, or one past the highest so far when left empty."""
    numbers: list[int] = []
    for row in rows:
        numbers.append(row.get("branch") or max(numbers, default=0) + 1)
    return numbers


def branch_groups(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rule rows of each branch, in branch-number order."""
    groups: dict[int, list[dict[str, Any]]] = {}
    for number, row in zip(branch_numbers(rows), rows, strict=True):
        groups.setdefault(number, []).append(row)
    return [groups[n] for n in sorted(groups)]


def flow_from_rows(
    steps: list[dict[str, Any]], branches: list[dict[str, Any]], empty_approver: str, dedupe: bool
) -> tuple[dict[str, Any], dict[int, str]]:
    """The engine's flow for the designer's rows, and which node each step row became (to show
    the engine's reasons next to the row)."""
    nodes: list[dict[str, Any]] = [{"id": "start", "type": "start"}]
    row_node: dict[int, str] = {}
    groups: dict[str, list[dict[str, Any]]] = {}
    branches_rules = branch_groups(branches)
    for index, step in enumerate(steps):
        node: dict[str, Any] = {"id": f"s{index + 1}", "type": step["kind"], "name": step.get("name") or ""}
        if step["kind"] == "cc":
            node["recipients"] = _approvers(step)
        else:
            node["approvers"] = _approvers(step)
            node["mode"] = step.get("mode") or "all"
            if node["mode"] == "ratio":
                node["ratio"] = {"percent": step.get("ratio_percent")}
            if step.get("deadline_hours"):
                node["deadline_hours"] = step["deadline_hours"]
        row_node[index] = node["id"]
        place = step["place"] if branches or step["place"] in ("before", "after") else "before"
        if place not in ("before", "after", "default") and int(place[1:]) > len(branches_rules):
            place = "default"
        groups.setdefault(place, []).append(node)

    def chain(group: list[dict[str, Any]], then: str) -> str:
        for node, following in zip(group, [*group[1:], None], strict=False):
            node["next"] = following["id"] if following else then
        nodes.extend(group)
        return group[0]["id"] if group else then

    after = chain(groups.get("after", []), "end")
    if branches:
        split: dict[str, Any] = {"id": "split", "type": "condition", "name": "", "branches": []}
        for i, rules in enumerate(branches_rules, start=1):
            split["branches"].append(
                {
                    "name": next((r["name"] for r in rules if r.get("name")), ""),
                    "when": [
                        {"field": rule["field"].strip(), "op": rule["op"], "value": _rule_value(rule)}
                        for rule in rules
                    ],
                    "next": chain(groups.get(f"b{i}", []), after),
                }
            )
        split["default"] = chain(groups.get("default", []), after)
        nodes.append(split)
        first_after_before = "split"
    else:
        first_after_before = after
    nodes[0]["next"] = chain(groups.get("before", []), first_after_before)
    nodes.append({"id": "end", "type": "end"})
    return {"nodes": nodes, "empty_approver": empty_approver, "dedupe": dedupe}, row_node


def _linear(nodes: dict[str, dict], start: str | None, stop: set[str]) -> list[dict[str, Any]] | None:
    """The approval and copy nodes from `start` until a node in `stop`; None when the path is
    not a plain sequence (a second condition, say)."""
    found = []
    current = start
    while current and current not in stop:
        node = nodes.get(current)
        if node is None or node.get("type") not in ("approve", "cc"):
            return None
        found.append(node)
        current = node.get("next")
    return found


def _path(nodes: dict[str, dict], start: str | None) -> list[str]:
    ids = []
    while start and start in nodes and start not in ids:
        ids.append(start)
        start = nodes[start].get("next") if nodes[start].get("type") != "condition" else None
    return ids


def _step_row(node: dict[str, Any], place: str) -> dict[str, Any] | None:
    specs = node.get("approvers") if node["type"] == "approve" else node.get("recipients")
    specs = specs or []
    kinds = {s.get("kind") for s in specs}
    if len(kinds) != 1 or (len(specs) > 1 and kinds != {"user"}):
        return None
    spec = specs[0]
    ratio = node.get("ratio") or {}
    if node.get("mode") == "ratio" and not ratio.get("percent"):
        return None
    return {
        "place": place,
        "kind": node["type"],
        "name": node.get("name", ""),
        "approver_kind": spec["kind"],
        "users": [s.get("user") for s in specs] if spec["kind"] == "user" else [],
        "role": spec.get("role", ""),
        "department": spec.get("department"),
        "levels": spec.get("levels", 1) if spec["kind"] == "manager" else None,
        "field": spec.get("field", ""),
        "mode": node.get("mode", "all"),
        "ratio_percent": ratio.get("percent"),
        "deadline_hours": node.get("deadline_hours"),
    }


RULE_KEYS = {"field", "op", "value"}


def _branch_row(rule: dict[str, Any], branch: int, name: str) -> dict[str, Any]:
    value = rule.get("value")
    department = value if rule.get("field") == SUBMITTER_DEPARTMENT else None
    return {
        "branch": branch,
        "name": name,
        "field": rule.get("field", ""),
        "op": rule.get("op", "eq"),
        "value": ", ".join(map(str, value)) if isinstance(value, list) else ("" if department else value),
        "department": department,
    }


def rows_from_flow(flow: dict[str, Any]) -> tuple[list[dict], list[dict]] | None:
    """The designer's step and branch rows for a flow, or None when the rows cannot show it."""
    nodes = {n.get("id"): n for n in flow.get("nodes", []) if isinstance(n, dict)}
    start = next((n for n in nodes.values() if n.get("type") == "start"), None)
    end = next((n for n in nodes.values() if n.get("type") == "end"), None)
    if start is None or end is None:
        return None
    conditions = [n for n in nodes.values() if n.get("type") == "condition"]
    if len(conditions) > 1:
        return None
    stop = {end["id"]} | {c["id"] for c in conditions}
    before = _linear(nodes, start.get("next"), stop)
    if before is None:
        return None
    placed = [(n, "before") for n in before]
    branch_rows: list[dict] = []
    if conditions:
        split = conditions[0]
        if (before[-1].get("next") if before else start.get("next")) != split["id"]:
            return None
        targets = [b.get("next") for b in split.get("branches", [])] + [split.get("default")]
        paths = [_path(nodes, t) for t in targets]
        join = next((n for n in paths[-1] if all(n in p for p in paths)), end["id"])
        after = _linear(nodes, join, {end["id"]})
        if after is None:
            return None
        for i, (branch, target) in enumerate(zip(split.get("branches", []), targets, strict=False), start=1):
            rules = branch.get("when") or []
            if not rules or not all(isinstance(r, dict) and set(r) <= RULE_KEYS for r in rules):
                return None
            steps = _linear(nodes, target, {join})
            if steps is None:
                return None
            placed += [(n, f"b{i}") for n in steps]
            branch_rows += [
                _branch_row(rule, i, branch.get("name", "") if j == 0 else "") for j, rule in enumerate(rules)
            ]
        default = _linear(nodes, split.get("default"), {join})
        if default is None:
            return None
        placed += [(n, "default") for n in default] + [(n, "after") for n in after]
    step_rows = [_step_row(n, place) for n, place in placed]
    if any(r is None for r in step_rows):
        return None
    return [r for r in step_rows if r is not None], branch_rows
