from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import ApiClient
from heyi.platform.models import Attachment, Comment, Company, Department, Job, User

from .figures import FIGURES


@dataclass
class Demo:
    a: Company  # 示例科技有限公司, with a user for every built-in role
    b: Company  # the second demo company, run by admin2
    admin: User
    sales: User
    admin2: User

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def record_refs(self, company: Company) -> list[dict[str, str]]:
        """The records of a company that carry comments or attachments, as `?record=&record_id=`."""
        refs = {
            (row.object_type, row.object_id)
            for model in (Comment, Attachment)
            for row in model.objects.filter(company=company)
        }
        return [{"record": key, "record_id": pk} for key, pk in sorted(refs)]


def _seed(company: Company, admin: User) -> None:
    """What the demo data has none of: a comment, a file, a webhook, an import waiting, a
    failed job; so that every route with an id has something of each company to probe with."""
    from heyi.platform.models import Webhook

    api = ApiClient(admin, company)
    dept = Department.objects.filter(company=company).order_by("created_at").first()
    api.post("/comments", {"record": "platform.department", "record_id": str(dept.pk), "body": "请核对预算"})
    api.client.post(
        "/api/v1/attachments",
        {
            "record": "platform.department",
            "record_id": str(dept.pk),
            "file": SimpleUploadedFile("预算.csv", "部门,金额\n销售部,1000\n".encode(), "text/csv"),
        },
        headers=api.headers,
    )
    api.client.post(
        "/api/v1/imports",
        {
            "spec": "platform.employee",
            "file": SimpleUploadedFile("employees.csv", "name,position\n新同事,助理\n".encode(), "text/csv"),
        },
        headers=api.headers,
    )
    Webhook.objects.create(
        company=company, url="https://hooks.example.com/heyi", event_types=["*"], secret="s", is_active=False
    )
    Job.objects.create(
        company=company, kind="platform.dispatch_events", status=Job.Status.FAILED, created_by=admin
    )


@pytest.fixture
def demo(db) -> Demo:
    from heyi.platform.demo import SECOND_CODE, load_demo

    a = load_demo()
    b = Company.objects.get(code=SECOND_CODE)
    found = Demo(a, b, *(User.objects.get(username=u) for u in ("admin", "sales", "admin2")))
    _seed(a, found.admin)
    _seed(b, found.admin2)
    return found


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("security figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
