#!/usr/bin/env python3
"""Fail when code builds SQL text from strings and hands it to the database.

Looks at every call of `raw(`, `execute(`, `executemany(`, `extra(` and `RawSQL(` in the
given files or folders (default: the `heyi` package) and reports an SQL argument made with an
f-string, `%`, `.format()` or `+`, directly or through a variable assigned that way in the
same function. Values belong in the parameter list, where the driver quotes them.

Usage: scripts/check_raw_sql.py [PATH ...]; exit status 1 when anything is found.
"""

import ast
import sys
from pathlib import Path

SQL_CALLS = {"raw", "execute", "executemany", "extra", "RawSQL"}
SQL_KEYWORDS = {"sql", "raw_query", "where", "select", "tables", "order_by", "params_sql"}


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


class Finder(ast.NodeVisitor):
    def __init__(self, path: Path):
        self.path = path
        self.found: list[str] = []
        self.built: list[set[str]] = [set()]

    def built_text(self, node: ast.AST | None) -> bool:
        """Whether the expression is SQL text assembled from pieces at run time."""
        if node is None:
            return False
        if isinstance(node, ast.JoinedStr):
            return any(isinstance(v, ast.FormattedValue) for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return _is_text(node.left) or self.built_text(node.left)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            sides = (node.left, node.right)
            return any(self.built_text(s) for s in sides) or (
                any(_is_text(s) for s in sides) and not all(_is_text(s) for s in sides)
            )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return node.func.attr == "format" or (
                node.func.attr == "join" and self.built_text(node.func.value)
            )
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return any(self.built_text(e) for e in node.elts)
        if isinstance(node, ast.Dict):
            return any(self.built_text(v) for v in node.values)
        if isinstance(node, ast.Name):
            return node.id in self.built[-1]
        return False

    def _scope(self, node: ast.AST) -> None:
        self.built.append(set())
        self.generic_visit(node)
        self.built.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _scope

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.built_text(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.built[-1].add(target.id)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name) and (
            self.built_text(node.value) or (_is_text(node.value) and node.target.id in self.built[-1])
        ):
            self.built[-1].add(node.target.id)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in SQL_CALLS:
            args = list(node.args[:1]) if name != "extra" else list(node.args)
            args += [k.value for k in node.keywords if k.arg in SQL_KEYWORDS]
            if any(self.built_text(a) for a in args):
                self.found.append(
                    f"{self.path}:{node.lineno}: SQL text built from strings passed to {name}(); "
                    "pass the values as query parameters"
                )
        self.generic_visit(node)


def check(path: Path) -> list[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        return [f"{path}:{exc.lineno}: cannot parse: {exc.msg}"]
    finder = Finder(path)
    finder.visit(tree)
    return finder.found


def files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    targets = [Path(a) for a in argv] or [root / "heyi"]
    problems = [line for path in files(targets) for line in check(path)]
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
