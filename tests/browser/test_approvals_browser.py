"""张经理 decides in a real browser: from the approvals overview to "To approve", opens 陈员工's
request for a new laptop, approves it with a comment, and the flow diagram shows the request
approved with his comment at his step."""

import shutil

import pytest

from .test_tour import CHROMIUM, browser_page  # noqa: F401  (the shared browser fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]

COMMENT = "同意更换，请走固定资产流程"


def test_an_approver_approves_a_request_with_a_comment(live_server, browser_page):  # noqa: F811
    from heyi.approvals.models import ApprovalInstance
    from heyi.platform.demo import DEMO_PASSWORD, load_demo

    company = load_demo()
    request = ApprovalInstance.objects.get(
        company=company, template__code="general", values__subject="申请更换笔记本电脑"
    )
    assert request.state == "running" and request.current_node == "manager"
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "sales_manager")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    page.goto(f"{live_server.url}/approvals/")
    with page.expect_navigation():
        page.click("#count-pending")
    with page.expect_navigation():
        page.click(f"#pending-table a:text-is('{request.number}')")
    assert request.number in page.inner_text("h1")
    assert page.get_attribute('[data-node="manager"]', "data-status") == "current"

    page.fill("#id_approve-comment", COMMENT)
    with page.expect_navigation():
        page.click(f'form[action="/approvals/{request.pk}/approve/"] button[type=submit]')

    request.refresh_from_db()
    assert request.state == "approved"
    assert page.get_attribute("#instance-state", "class").split()[-1] == "state-approved"
    step = page.locator('.approval-route [data-node="manager"]')
    assert step.get_attribute("data-status") == "done"
    assert COMMENT in step.inner_text() and "张经理" in step.inner_text()
    assert page.get_attribute('.approval-route [data-node="end"]', "data-status") == "done"
    assert page.locator("#decide").count() == 0
