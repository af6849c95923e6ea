from dataclasses import dataclass

import pytest

from heyi.platform.models import Company, Job, User

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


@pytest.fixture
def demo(db) -> Demo:
    """Both demo companies with every app's demo data, plus a failed job each, so that
    /jobs/{job_id} has something to be probed with."""
    from heyi.platform.demo import SECOND_CODE, load_demo

    a = load_demo()
    b = Company.objects.get(code=SECOND_CODE)
    found = Demo(a, b, *(User.objects.get(username=u) for u in ("admin", "sales", "admin2")))
    for company, user in ((a, found.admin), (b, found.admin2)):
        Job.objects.create(
            company=company, kind="platform.dispatch_events", status=Job.Status.FAILED, created_by=user
        )
    return found


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("security figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
