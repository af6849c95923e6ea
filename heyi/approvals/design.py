"""What a template's form and flow may say, checked when the template is saved.

A form is a list of fields; a flow is a graph of nodes joined by `next` (a condition node has
branches and a default). Saving refuses a design the engine could not run: an unknown node
type, a node nothing leads to, a path that never ends, a loop, a condition without a default
branch, an approver node without approvers, a condition on a field the form does not have.
Both are plain JSON so that a version can be stored as written and read back as it was.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

FIELD_TYPES = (
    "text",
    "number",
    "money",
    "date",
    "date_range",
    "choice",
    "person",
    "department",
    "attachment",
    "table",
)
NODE_TYPES = ("start", "approve", "cc", "condition", "end")
MODES = ("all", "any", "ratio", "sequential")
APPROVER_KINDS = ("user", "role", "manager", "department_head", "field")
EMPTY_POLICIES = ("skip", "admin", "refuse")
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "within")
SUBMITTER_DEPARTMENT = "submitter.department"
SUBMITTER_FIELDS = (SUBMITTER_DEPARTMENT, "submitter.role")
MONEY = Decimal("0.01")
MAX_TEXT = 2000


class DesignError(Exception):
    """A design the engine cannot run; `problems` say why, each for a field or node."""

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in problems.items()))


class ValueProblems(Exception):
    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in problems.items()))


@dataclass(frozen=True)
class Node:
    id: str
    type: str
    raw: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.raw.get("name") or "")

    @property
    def next(self) -> str | None:
        return self.raw.get("next")

    @property
    def targets(self) -> list[str]:
        if self.type == "condition":
            return [b.get("next") for b in self.raw.get("branches", [])] + [self.raw.get("default")]
        return [self.next] if self.next else []


class Flow:
    """A checked flow: its nodes by id and the policies that apply to every node."""

    def __init__(self, definition: dict[str, Any]):
        self.definition = definition
        self.nodes = {n["id"]: Node(n["id"], n["type"], n) for n in definition.get("nodes", [])}
        self.start = next(n for n in self.nodes.values() if n.type == "start")
        self.dedupe = bool(definition.get("dedupe", True))
        self.empty_approver = definition.get("empty_approver", "skip")

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def empty_policy(self, node: Node) -> str:
        return node.raw.get("empty_approver") or self.empty_approver

    def route(self, values: dict[str, Any], submitter: dict[str, Any]) -> list[Node]:
        """The nodes a request goes through, in order, decided by its values and submitter."""
        nodes: list[Node] = []
        node: Node | None = self.start
        while node is not None:
            if node.type == "condition":
                node = self.nodes[branch_taken(node, values, submitter)]
                continue
            nodes.append(node)
            node = self.nodes[node.next] if node.next else None
        return nodes


def _problem(problems: dict[str, list[str]], key: str, message: str) -> None:
    problems.setdefault(key, []).append(message)


def check_form(form: Any) -> list[dict[str, Any]]:
    problems: dict[str, list[str]] = {}
    if not isinstance(form, list):
        raise DesignError({"form": [_("The form must be a list of fields.")]})
    keys: set[str] = set()
    for i, field in enumerate(form):
        where = f"form[{i}]"
        if not isinstance(field, dict):
            _problem(problems, where, _("A field must be an object."))
            continue
        key = field.get("key")
        if not isinstance(key, str) or not key.isidentifier():
            _problem(problems, where, _("A field needs a key of letters, digits and underscores."))
        elif key in keys:
            _problem(problems, where, _("The key %(key)s is used twice.") % {"key": key})
        else:
            keys.add(key)
        if not str(field.get("label") or "").strip():
            _problem(problems, where, _("A field needs a label."))
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            _problem(problems, where, _("Unknown field type: %(type)s.") % {"type": kind})
        if kind == "choice" and not (
            isinstance(field.get("choices"), list)
            and field["choices"]
            and all(isinstance(c, str) for c in field["choices"])
        ):
            _problem(problems, where, _("A choice field needs a list of choices."))
        if kind == "table":
            columns = field.get("columns")
            if not isinstance(columns, list) or not columns:
                _problem(problems, where, _("A table needs columns."))
            else:
                try:
                    inner = check_form(columns)
                except DesignError as exc:
                    for k, v in exc.problems.items():
                        problems.setdefault(f"{where}.{k}", []).extend(v)
                else:
                    if any(c["type"] in ("table", "attachment") for c in inner):
                        _problem(problems, where, _("A table's columns cannot be tables or attachments."))
    if problems:
        raise DesignError(problems)
    return form


def _fields_by_key(form: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["key"]: f for f in form}


def _check_approvers(problems: dict[str, list[str]], where: str, specs: Any, fields: dict[str, dict]) -> None:
    if not isinstance(specs, list) or not specs:
        _problem(problems, where, _("Name at least one approver."))
        return
    for spec in specs:
        kind = spec.get("kind") if isinstance(spec, dict) else None
        if kind not in APPROVER_KINDS:
            _problem(problems, where, _("Unknown kind of approver: %(kind)s.") % {"kind": kind})
        elif kind == "user" and not spec.get("user"):
            _problem(problems, where, _("Choose the user."))
        elif kind == "role" and not spec.get("role"):
            _problem(problems, where, _("Choose the role."))
        elif kind == "department_head" and not spec.get("department"):
            _problem(problems, where, _("Choose the department."))
        elif kind == "manager":
            levels = spec.get("levels", 1)
            if not isinstance(levels, int) or not 1 <= levels <= 10:
                _problem(problems, where, _("Manager levels go from 1 to 10."))
        elif kind == "field":
            field = fields.get(spec.get("field") or "")
            if field is None or field["type"] != "person":
                _problem(problems, where, _("Choose a person field of the form."))


def _check_conditions(problems: dict[str, list[str]], where: str, node: dict[str, Any], fields: dict) -> None:
    branches = node.get("branches")
    if not isinstance(branches, list) or not branches:
        _problem(problems, where, _("A condition needs at least one branch."))
        branches = []
    if not node.get("default"):
        _problem(problems, where, _("A condition needs a default branch for requests no branch matches."))
    for branch in branches:
        if not isinstance(branch, dict) or not branch.get("next"):
            _problem(problems, where, _("Every branch must lead to a node."))
            continue
        rules = branch.get("when")
        if not isinstance(rules, list) or not rules:
            _problem(problems, where, _("Every branch needs at least one rule."))
            continue
        for rule in rules:
            name = rule.get("field") if isinstance(rule, dict) else None
            if name not in fields and name not in SUBMITTER_FIELDS:
                _problem(
                    problems, where, _("The rule's field %(field)s is not on the form.") % {"field": name}
                )
            elif rule.get("op") not in OPERATORS:
                _problem(problems, where, _("Unknown comparison: %(op)s.") % {"op": rule.get("op")})
            elif name in fields and rule["op"] in ("gt", "gte", "lt", "lte"):
                if fields[name]["type"] not in ("number", "money", "date"):
                    _problem(
                        problems, where, _("Only numbers, amounts and dates compare as larger or smaller.")
                    )


def check_flow(flow: Any, form: list[dict[str, Any]]) -> Flow:
    """The flow, checked against the form; raises DesignError with every problem found."""
    problems: dict[str, list[str]] = {}
    if not isinstance(flow, dict) or not isinstance(flow.get("nodes"), list):
        raise DesignError({"flow": [_("The flow must have a list of nodes.")]})
    fields = _fields_by_key(form)
    nodes: dict[str, dict[str, Any]] = {}
    for i, node in enumerate(flow["nodes"]):
        if not isinstance(node, dict) or not isinstance(node.get("id"), str) or not node["id"]:
            _problem(problems, f"nodes[{i}]", _("A node needs an id."))
            continue
        if node["id"] in nodes:
            _problem(problems, node["id"], _("Two nodes have this id."))
        nodes[node["id"]] = node
    if flow.get("empty_approver", "skip") not in EMPTY_POLICIES:
        _problem(problems, "flow", _("Unknown policy for an empty approver."))
    starts = [n for n in nodes.values() if n.get("type") == "start"]
    ends = [n for n in nodes.values() if n.get("type") == "end"]
    if len(starts) != 1:
        _problem(problems, "flow", _("A flow has exactly one start."))
    if not ends:
        _problem(problems, "flow", _("A flow needs an end."))
    for node_id, node in nodes.items():
        kind = node.get("type")
        if kind not in NODE_TYPES:
            _problem(problems, node_id, _("Unknown node type: %(type)s.") % {"type": kind})
            continue
        targets = Node(node_id, kind, node).targets
        if kind != "end" and not targets:
            _problem(problems, node_id, _("This node leads nowhere."))
        for target in targets:
            if target not in nodes:
                _problem(
                    problems, node_id, _("It leads to %(target)s, which is not a node.") % {"target": target}
                )
        if kind == "approve":
            _check_approvers(problems, node_id, node.get("approvers"), fields)
            if node.get("mode", "all") not in MODES:
                _problem(problems, node_id, _("Unknown signing mode: %(mode)s.") % {"mode": node.get("mode")})
            if node.get("mode") == "ratio":
                ratio = node.get("ratio") or {}
                percent, count = ratio.get("percent"), ratio.get("count")
                if not (
                    (isinstance(percent, int) and 1 <= percent <= 100)
                    or (isinstance(count, int) and count >= 1)
                ):
                    _problem(
                        problems, node_id, _("A ratio sign needs a share (1-100 %) or a number of approvals.")
                    )
            if node.get("empty_approver") not in (None, *EMPTY_POLICIES):
                _problem(problems, node_id, _("Unknown policy for an empty approver."))
            hours = node.get("deadline_hours")
            if hours is not None and not (isinstance(hours, int) and hours > 0):
                _problem(problems, node_id, _("The deadline is a whole number of hours."))
        elif kind == "cc":
            _check_approvers(problems, node_id, node.get("recipients"), fields)
        elif kind == "condition":
            _check_conditions(problems, node_id, node, fields)
    if problems:
        raise DesignError(problems)
    _check_graph(problems, nodes, starts[0]["id"])
    if problems:
        raise DesignError(problems)
    return Flow(flow)


def _check_graph(problems: dict[str, list[str]], nodes: dict[str, dict], start: str) -> None:
    """Every node reachable from the start, no loops, and every path reaching an end."""
    seen: set[str] = set()
    on_path: set[str] = set()
    ends_reached: dict[str, bool] = {}

    def walk(node_id: str) -> bool:
        if node_id in on_path:
            _problem(problems, node_id, _("The flow loops back to this node."))
            return False
        if node_id in ends_reached:
            return ends_reached[node_id]
        seen.add(node_id)
        on_path.add(node_id)
        node = nodes[node_id]
        if node["type"] == "end":
            reached = True
        else:
            results = [walk(t) for t in Node(node_id, node["type"], node).targets]
            reached = all(results)
        on_path.discard(node_id)
        ends_reached[node_id] = reached
        return reached

    walk(start)
    for node_id in nodes:
        if node_id not in seen:
            _problem(problems, node_id, _("No path from the start reaches this node."))


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def clean_value(field: dict[str, Any], value: Any) -> Any:
    """The value in its stored form, or ValueError with the reason. People, departments and
    attachments are checked against the company by the caller."""
    kind = field["type"]
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError(_("Enter text."))
        if len(value) > MAX_TEXT:
            raise ValueError(_("At most %(n)d characters.") % {"n": MAX_TEXT})
        return value.strip()
    if kind in ("number", "money"):
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        number = _number(value)
        if number is None or abs(number) >= Decimal("1e14"):
            raise ValueError(_("Enter a number."))
        if kind == "money":
            if number != number.quantize(MONEY):
                raise ValueError(_("At most 2 decimal places."))
            return str(number.quantize(MONEY))
        return str(number)
    if kind == "date":
        day = _date(value)
        if day is None:
            raise ValueError(_("Enter a date as YYYY-MM-DD."))
        return day.isoformat()
    if kind == "date_range":
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise ValueError(_("Enter a start and an end date."))
        start, end = _date(value[0]), _date(value[1])
        if start is None or end is None:
            raise ValueError(_("Enter dates as YYYY-MM-DD."))
        if end < start:
            raise ValueError(_("The end is before the start."))
        return [start.isoformat(), end.isoformat()]
    if kind == "choice":
        if value not in field["choices"]:
            raise ValueError(_("Choose one of the offered values."))
        return value
    if kind in ("person", "department"):
        if not isinstance(value, str) or not value:
            raise ValueError(_("Choose one."))
        return value
    if kind == "attachment":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(_("Attach files by their ids."))
        return value
    if kind == "table":
        if not isinstance(value, list):
            raise ValueError(_("Enter a list of rows."))
        return [clean_values(field["columns"], row) for row in value]
    raise ValueError(_("Unknown field type."))


def clean_values(form: list[dict[str, Any]], values: Any) -> dict[str, Any]:
    """Form values checked field by field; every problem is reported at once."""
    if not isinstance(values, dict):
        raise ValueProblems({"values": [_("The form values must be an object.")]})
    problems: dict[str, list[str]] = {}
    fields = _fields_by_key(form)
    for key in values:
        if key not in fields:
            _problem(problems, key, _("The form has no such field."))
    cleaned: dict[str, Any] = {}
    for key, field in fields.items():
        value = values.get(key)
        if value in (None, "", []):
            if field.get("required"):
                _problem(problems, key, _("This field is required."))
            continue
        try:
            cleaned[key] = clean_value(field, value)
        except ValueProblems as exc:
            for k, v in exc.problems.items():
                problems.setdefault(f"{key}.{k}", []).extend(v)
        except ValueError as exc:
            _problem(problems, key, str(exc))
    if problems:
        raise ValueProblems(problems)
    return cleaned


def _comparable(value: Any) -> Any:
    number = _number(value) if not isinstance(value, (list, dict, bool)) else None
    if number is not None:
        return number
    day = _date(value) if isinstance(value, str) else None
    return day if day is not None else value


def rule_holds(rule: dict[str, Any], values: dict[str, Any], submitter: dict[str, Any]) -> bool:
    """`submitter` holds `department` (id), `departments` (its id and its parents') and `roles`."""
    op, expected, name = rule["op"], rule.get("value"), rule["field"]
    if name == "submitter.department":
        actual: Any = submitter.get("department")
        if op == "within":
            return str(expected) in submitter.get("departments", ())
    elif name == "submitter.role":
        roles = submitter.get("roles", ())
        if op in ("eq", "contains"):
            return expected in roles
        if op == "in":
            return any(r in roles for r in (expected or ()))
        if op in ("ne", "not_in"):
            unwanted = expected if isinstance(expected, list) else [expected]
            return not any(r in roles for r in unwanted)
        return False
    else:
        actual = values.get(name)
    if op == "in":
        return actual in (expected or ())
    if op == "not_in":
        return actual not in (expected or ())
    if op == "contains":
        return isinstance(actual, (str, list)) and expected in actual
    if actual is None:
        return op == "ne"
    a, b = _comparable(actual), _comparable(expected)
    if op == "eq":
        return a == b
    if op == "ne":
        return a != b
    if type(a) is not type(b):
        return False
    return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}.get(op, False)


def branch_taken(node: Node, values: dict[str, Any], submitter: dict[str, Any]) -> str:
    """The first branch whose rules all hold, else the default."""
    for branch in node.raw.get("branches", []):
        if all(rule_holds(rule, values, submitter) for rule in branch["when"]):
            return branch["next"]
    return node.raw["default"]
