"""Importing a spreadsheet of employees: checked row by row, then imported whole or not at all."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from heyi.platform import imports
from heyi.platform.imports import ImportColumn, ImportSpec
from heyi.platform.models import AuditEntry, Department, Employee, ImportBatch
from heyi.platform.permissions import MANAGE_PEOPLE
from heyi.platform.services.tenancy import department_create, employee_create

HEADER = ["Employee number", "Name", "Department", "Position", "E-mail", "Phone"]


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def send(api, spec: str, name: str, content: bytes):
    return api.client.post(
        "/api/v1/imports", {"spec": spec, "file": SimpleUploadedFile(name, content)}, headers=api.headers
    )


@pytest.fixture
def dept(company, admin):
    return department_create(actor=admin, company=company, name="生产部", code="PRD")


def test_a_good_file_is_checked_then_imported(api, company, dept):
    content = xlsx(
        [
            HEADER,
            ["E001", "王芳", "生产部", "班组长", "wangfang@example.com", 13800138000],
            [],
            ["", "李强", "PRD", "操作工", "", ""],
        ]
    )
    r = send(api, "platform.employee", "员工.xlsx", content)
    assert r.status_code == 201, r.content
    batch = r.json()
    assert batch["status"] == "ready", batch["job"]["error"]
    assert (batch["total_rows"], batch["error_count"], batch["errors"]) == (2, 0, [])
    assert batch["job"]["status"] == "succeeded" and batch["job"]["percent"] == 100
    assert not Employee.objects.filter(company=company).exists()  # the check saved nothing

    r = api.post(f"/imports/{batch['id']}/commit")
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["created_count"]) == ("imported", 2)
    wang = Employee.objects.get(company=company, number="E001")
    assert (wang.name, wang.department, wang.phone) == ("王芳", dept, "13800138000")
    assert Employee.objects.get(company=company, name="李强").number  # numbered automatically
    assert AuditEntry.objects.filter(action="create", object_type="platform.employee").count() == 2
    assert AuditEntry.objects.filter(action="import", object_id=batch["id"], source="job").exists()
    assert api.post(f"/imports/{batch['id']}/commit").status_code == 409  # never twice
    assert Employee.objects.filter(company=company).count() == 2


def test_a_file_with_one_bad_row_writes_nothing_and_reports_that_row(api, company, dept):
    content = xlsx(
        [
            HEADER,
            ["E001", "王芳", "生产部", "", "", ""],
            ["E002", "李强", "生产部", "", "not-an-email", ""],
            ["E003", "", "不存在的部门", "", "", ""],
            ["E001", "赵磊", "", "", "", ""],
        ]
    )
    batch = send(api, "platform.employee", "员工.xlsx", content).json()
    assert batch["status"] == "invalid"
    errors = {(e["row"], e["column"]) for e in batch["errors"]}
    assert errors == {(3, "email"), (4, "name"), (5, "")}  # row 5 repeats the number of row 2
    assert batch["error_count"] == 3
    assert not Employee.objects.filter(company=company).exists()

    r = api.post(f"/imports/{batch['id']}/commit")
    assert r.status_code == 409
    assert not Employee.objects.filter(company=company).exists()


def test_rows_that_went_bad_after_the_check_stop_the_whole_import(api, company, admin, dept):
    content = xlsx([HEADER, ["E001", "王芳", "", "", "", ""], ["E002", "李强", "", "", "", ""]])
    batch = send(api, "platform.employee", "员工.xlsx", content).json()
    assert batch["status"] == "ready", batch["job"]["error"]
    employee_create(actor=admin, company=company, name="先到的人", number="E002")

    r = api.post(f"/imports/{batch['id']}/commit")
    assert r.status_code == 200
    assert r.json()["status"] == "invalid"
    assert [e["row"] for e in r.json()["errors"]] == [3]
    assert list(Employee.objects.filter(company=company).values_list("number", flat=True)) == ["E002"]


class Bilingual:
    """A label as a translated string behaves: English or Chinese by the active language."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh

    def __str__(self) -> str:
        return self.zh if translation.get_language() == "zh-hans" else self.en


@pytest.fixture
def department_import(monkeypatch):
    from heyi.platform.services.tenancy import department_create

    def create_row(user, company, row):
        return department_create(actor=user, company=company, name=row["name"], code=row["code"])

    spec = ImportSpec(
        key="test.department",
        label="Departments",
        permission=MANAGE_PEOPLE,
        columns=(
            ImportColumn("name", Bilingual("Department name", "部门名称"), required=True),
            ImportColumn("code", Bilingual("Code", "编码")),
        ),
        create_row=create_row,
    )
    monkeypatch.setitem(imports._specs, spec.key, spec)
    return spec


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_with_chinese_headers_imports(api, company, department_import, encoding):
    content = "部门名称 *,编码\n研发部,RD\n财务部,FIN\n".encode(encoding)
    batch = send(api, "test.department", "部门.csv", content).json()
    assert batch["status"] == "ready", batch["job"]["error"]
    assert api.post(f"/imports/{batch['id']}/commit").json()["status"] == "imported"
    assert set(Department.objects.filter(company=company).values_list("name", "code")) == {
        ("研发部", "RD"),
        ("财务部", "FIN"),
    }


def test_english_headers_and_column_keys_work_too(api, company, department_import):
    content = b"Department name,code\nR&D,RD\n"
    assert send(api, "test.department", "d.csv", content).json()["status"] == "ready"


@pytest.mark.parametrize(
    "content,problem",
    [
        (b"", "empty"),
        (b"code\nRD\n", "missing"),
        (b"Department name,code\n", "no data"),
        (b"Department name\nA\nB\nC\n", "more than 2 rows"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(api, department_import, settings, content, problem):
    settings.HEYI_IMPORT_MAX_ROWS = 2
    with translation.override("en"):
        batch = send(api, "test.department", "d.csv", content).json()
    assert batch["status"] == "invalid"
    assert batch["errors"][0]["row"] == 0
    assert problem in batch["errors"][0]["message"]


@pytest.mark.parametrize("name,content", [("d.txt", b"a,b\n"), ("d.xlsx", b"a,b\n")])
def test_only_excel_and_csv_files_are_accepted(api, department_import, name, content):
    r = send(api, "test.department", name, content)
    assert r.status_code == 400
    assert "file" in r.json()["error"]["fields"]
    assert not ImportBatch.objects.exists()


def test_without_the_permission_an_import_is_403(api_as, company, sales):
    r = send(api_as(sales, company), "platform.employee", "e.csv", "Name\n王芳\n".encode())
    assert r.status_code == 403
    assert not ImportBatch.objects.exists()
    assert api_as(sales, company).get("/imports/templates/platform.employee").status_code == 403


def test_another_companys_batch_is_404(api, api_as, other_company, outsider, dept):
    batch = send(api, "platform.employee", "e.csv", "Name\n王芳\n".encode()).json()
    foreign = api_as(outsider, other_company)
    assert foreign.get(f"/imports/{batch['id']}").status_code == 404
    assert foreign.post(f"/imports/{batch['id']}/commit").status_code == 404
    assert foreign.get("/imports").json()["items"] == []
    assert ImportBatch.objects.get().status == "ready"


def test_an_unknown_import_is_404(api):
    assert send(api, "nope.nothing", "e.csv", b"Name\nA\n").status_code == 404
    assert api.get("/imports/templates/nope.nothing").status_code == 404


def test_the_template_has_the_header_row(api):
    r = api.get("/imports/templates/platform.employee")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join([r.content]))).active
    header = [c.value for c in ws[1]]
    assert len(header) == 6
    assert header[1].endswith("*")  # the name is required


@pytest.mark.django_db(transaction=True)
def test_a_watcher_sees_the_progress_of_a_running_check_on_postgresql(settings, company, admin, monkeypatch):
    """[PG] Rows are checked inside one open transaction; progress still reaches the job row."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.utils import load_backend

    from heyi.platform.models import Job
    from heyi.platform.services.imports import import_upload

    if connection.vendor != "postgresql":
        pytest.skip("another connection can watch only on PostgreSQL")
    watcher = load_backend(connection.settings_dict["ENGINE"]).DatabaseWrapper(
        dict(connection.settings_dict), "watcher"
    )
    seen: list[int] = []

    def create_row(user, company, row):
        with watcher.cursor() as cursor:
            cursor.execute("SELECT progress FROM platform_job WHERE kind = %s", ["platform.import_check"])
            seen.append(cursor.fetchone()[0])
        return department_create(actor=user, company=company, name=row["name"])

    spec = ImportSpec(
        key="test.watched",
        label="Departments",
        permission=MANAGE_PEOPLE,
        columns=(ImportColumn("name", "Name", required=True),),
        create_row=create_row,
    )
    monkeypatch.setitem(imports._specs, spec.key, spec)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = "".join(f"部门{i}\n" for i in range(150))
    batch = import_upload(
        actor=admin,
        company=company,
        spec_key=spec.key,
        upload=SimpleUploadedFile("d.csv", f"Name\n{rows}".encode()),
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    watcher.close()
    batch.refresh_from_db()
    assert batch.status == "ready"
    assert seen[0] == 0 and seen[-1] > 100  # seen by another connection while the transaction was open
    assert Job.objects.get(kind="platform.import_check").percent == 100
    assert not Department.objects.filter(company=company).exists()
