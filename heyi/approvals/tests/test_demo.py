"""The demo company has a general request template, one request approved and one waiting."""

from django.core.management import call_command

from heyi.approvals import demo
from heyi.approvals.models import ApprovalInstance, ApprovalTask, ApprovalTemplate
from heyi.platform.models import User


def test_the_demo_company_has_requests_to_decide(db, capsys):
    from heyi.platform.demo import load_demo

    company = load_demo(["heyi.platform"])  # the people only; the engine's demo is loaded below
    users = {u.username: u for u in User.objects.filter(memberships__company=company)}
    demo.load(company, {"users": users, "admin": users["admin"]})
    general = ApprovalTemplate.objects.get(company=company, code="general")
    assert general.current_version.number == 1
    states = sorted(
        ApprovalInstance.objects.filter(company=company, template=general).values_list("state", flat=True)
    )
    assert states == ["approved", "running"]
    waiting = ApprovalTask.objects.get(company=company, state="pending")
    assert waiting.assignee.username == "sales_manager"
    call_command("check_approvals")
    assert "approval log OK" in capsys.readouterr().out
