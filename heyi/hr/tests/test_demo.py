"""The demo company has leave types, balances, a leave flow, one approved and one waiting leave."""

from heyi.approvals.models import ApprovalTemplate
from heyi.hr.models import LeaveBalance, LeaveRequest, LeaveType


def test_the_demo_company_has_leave_in_approval_and_approved(db):
    from heyi.platform.demo import load_demo

    company = load_demo()
    assert set(LeaveType.objects.filter(company=company).values_list("name", flat=True)) == {
        "年假",
        "病假",
        "事假",
    }
    assert ApprovalTemplate.objects.get(company=company, document_type="hr.leave_request").is_active
    states = dict(LeaveRequest.objects.filter(company=company).values_list("employee__name", "state"))
    assert states == {"陈员工": "approved", "李销售": "submitted"}
    pending = LeaveRequest.objects.get(company=company, state="submitted")
    assert pending.approval.state == "running"
    taken = LeaveBalance.objects.get(
        company=company,
        employee__name="陈员工",
        year=LeaveRequest.objects.get(company=company, state="approved").start_date.year,
        leave_type__code="annual",
    )
    assert taken.taken == LeaveRequest.objects.get(company=company, state="approved").days
    assert LeaveBalance.objects.filter(company=company, leave_type__code="annual", pending=4).count() == 1
