"""T09: SQL injection in every search, sort and filter parameter gives a 400 or a safe answer,
never a 500 or a database error; and no code builds SQL text from strings (a CI grep)."""

import subprocess
import sys
import textwrap
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from heyi.platform.navigation import nav_items

from .figures import report
from .walker import DB_ERROR_MARKERS, api_client, harvest, openapi, operations, resolve

CORPUS = [
    "' OR 1=1--",
    "1; DROP TABLE platform_department;--",
    "id desc,(select 1)",
    "name,(SELECT CASE WHEN 1=1 THEN name ELSE code END)",
    "1' UNION SELECT username, password FROM platform_user--",
    "\u2019 OR \u20181\u2019=\u20181",  # typographic quotes
    "\uff07 OR 1=1--",  # fullwidth apostrophe
    "\\",
    "name\x00",
    "-created_at; SELECT pg_sleep(5)",
    "password",
    "company__name",
    "a" * 5000,
]
SCRIPT = Path(settings.PROJECT_DIR) / "scripts" / "check_raw_sql.py"


def _string_params(op, doc) -> set[str]:
    names = {"q", "ordering"}
    for param in op.query_params:
        schema = resolve(param.get("schema", {}), doc)
        kinds = {schema.get("type")} | {resolve(s, doc).get("type") for s in schema.get("anyOf", [])}
        if "string" in kinds:
            names.add(param["name"])
    return names


def _db_error(text: str) -> str | None:
    lowered = text.lower()
    return next((marker for marker in DB_ERROR_MARKERS if marker in lowered), None)


def test_t09_injection_in_every_list_parameter_is_refused_or_harmless(demo):
    doc = openapi()
    ours = harvest(api_client(demo.admin, demo.a), doc, demo.record_refs(demo.a))
    client = api_client(demo.admin, demo.a)
    probes, problems = 0, []
    lists = [op for op in operations(doc) if op.method == "get" and not op.is_public]
    for op in lists:
        if op.params:
            bindings = ours.for_path(op.path)[:1]
            if not bindings or op.path not in ours.items:
                continue
            url = op.url(bindings[0])
        elif op.path in ours.list_status:
            url = op.path
        else:
            continue
        declared = {p["name"] for p in op.query_params}
        for name in sorted(_string_params(op, doc)):
            for payload in CORPUS if name in ("q", "ordering") else CORPUS[::3]:
                response = client.get(url, **{name: payload})
                probes += 1
                text = response.content.decode(errors="replace")
                marker = _db_error(text)
                if response.status_code not in (200, 400) or marker:
                    problems.append(
                        f"GET {url}?{name}={payload[:40]!r}: {response.status_code} {marker or ''}"
                    )
                if name == "ordering" and "ordering" in declared and response.status_code != 400:
                    problems.append(
                        f"GET {url}?ordering={payload[:40]!r} was not refused: {response.status_code}"
                    )
    report(f"T09 SQL injection (API): {probes} payloads x parameters, {len(problems)} unsafe answers")
    assert probes
    assert not problems, "\n".join(problems[:30])


def test_t09_injection_in_web_lists_and_the_search_box_is_harmless(demo):
    web = Client(raise_request_exception=False)
    web.force_login(demo.admin)
    urls = ["/search/"]
    for item in nav_items():
        try:
            urls.append(reverse(item.url_name))
        except NoReverseMatch:
            continue
    probes, problems = 0, []
    partial = {"HX-Request": "true"}  # the table alone: the same query, less rendering
    for url in urls:
        for name, payloads in (
            ("q", CORPUS),
            ("ordering", CORPUS[::2]),
            ("page", CORPUS[:3]),
            ("export", CORPUS[:1]),
        ):
            for payload in payloads:
                response = web.get(url, {name: payload}, headers=partial)
                probes += 1
                marker = _db_error(response.content.decode(errors="replace"))
                if response.status_code >= 500 or marker:
                    problems.append(
                        f"GET {url}?{name}={payload[:40]!r}: {response.status_code} {marker or ''}"
                    )
    report(
        f"T09 SQL injection (web): {probes} payloads over {len(urls)} pages, {len(problems)} unsafe answers"
    )
    assert not problems, "\n".join(problems[:30])


def _check(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=settings.PROJECT_DIR,
        timeout=60,
    )


def test_t09_no_code_builds_raw_sql_from_strings():
    result = _check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_t09_the_raw_sql_grep_catches_each_way_of_building_sql(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        textwrap.dedent(
            """
            from django.db import connection
            from django.db.models.expressions import RawSQL

            def report(model, name, table):
                model.objects.raw(f"SELECT * FROM x WHERE name = '{name}'")
                with connection.cursor() as cursor:
                    cursor.execute("SELECT * FROM %s" % table)
                    sql = "DELETE FROM {} WHERE id = 1".format(table)
                    cursor.execute(sql)
                model.objects.extra(where=["name = '" + name + "'"])
                return RawSQL(f"SELECT {name}", [])
            """
        )
    )
    good = tmp_path / "good.py"
    good.write_text(
        textwrap.dedent(
            """
            def report(model, cursor, name):
                cursor.execute("SELECT * FROM x WHERE name = %s", [name])
                return model.objects.raw("SELECT * FROM x WHERE id = %s", [1])
            """
        )
    )
    result = _check(bad)
    assert result.returncode == 1
    assert result.stdout.count("bad.py:") == 5, result.stdout
    assert _check(good).returncode == 0


def test_t09_a_nul_character_in_a_body_or_a_filter_is_a_400_on_every_database(api, company):
    from heyi.platform.models import Department

    api.client.raise_request_exception = False
    created = api.post("/departments", {"name": "研发\x00部"})
    assert created.status_code == 400
    assert created.json()["error"]["code"] == "validation_error"
    assert not Department.objects.filter(company=company).exists()
    assert api.get("/departments", q="研发\x00").status_code == 400
    assert api.get("/departments", q="研发").status_code == 200
