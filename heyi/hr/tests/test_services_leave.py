"""Leave requests through the approval engine: reserve, approve, reject, withdraw, cancel."""

import datetime
from decimal import Decimal

import pytest

from heyi.approvals.models import ApprovalInstance, ApprovalTask
from heyi.approvals.services.tasks import approval_task_approve, approval_task_reject
from heyi.hr.errors import (
    InsufficientLeaveBalance,
    LeaveOverlap,
    LeaveSpansYears,
    LeaveStarted,
    NoWorkingDays,
)
from heyi.hr.models import LeaveBalance, LeaveRequest
from heyi.hr.services.requests import (
    leave_request_cancel,
    leave_request_create,
    leave_request_submit,
    leave_request_update,
    leave_request_withdraw,
)
from heyi.hr.services.types import leave_balance_set
from heyi.platform.errors import InvalidTransition, NotPermitted, ValidationFailed
from heyi.platform.models import AuditEntry, OutboxEvent

from .conftest import YEAR, day

State = LeaveRequest.State


def balance(office, leave_type=None) -> LeaveBalance:
    return LeaveBalance.objects.get(
        company=office.company, employee=office.staff_emp, leave_type=leave_type or office.annual, year=YEAR
    )


def file(office, start=0, end=0, start_half="morning", end_half="afternoon", who=None, leave_type=None, **kw):
    return leave_request_create(
        actor=who or office.staff,
        company=office.company,
        leave_type=leave_type or office.annual,
        start_date=day(start),
        start_half=start_half,
        end_date=day(end),
        end_half=end_half,
        **kw,
    )


def submit(office, leave, who=None) -> LeaveRequest:
    return leave_request_submit(actor=who or office.staff, company=office.company, leave_request=leave)


def test_a_draft_counts_its_days_and_takes_a_number(office):
    leave = file(office, 4, 7, start_half="afternoon", end_half="morning", reason="  回家  ")
    assert leave.state == State.DRAFT
    assert leave.days == Decimal("1.0")
    assert leave.number.startswith("QJ-") and leave.reason == "回家"
    assert leave.employee == office.staff_emp and leave.created_by == office.staff
    single = file(office, 8, 8, start_half="afternoon", end_half="afternoon")
    assert single.days == Decimal("0.5")


def test_bad_spans_are_refused_with_their_codes(office):
    with pytest.raises(NoWorkingDays):
        file(office, 5, 6)
    with pytest.raises(ValidationFailed) as exc:
        file(office, 2, 1)
    assert list(exc.value.fields) == ["end_date"]
    dec30 = datetime.date(YEAR, 12, 30)
    with pytest.raises(LeaveSpansYears):
        leave_request_create(
            actor=office.staff,
            company=office.company,
            leave_type=office.annual,
            start_date=dec30,
            end_date=dec30 + datetime.timedelta(days=5),
        )


def test_without_a_flow_a_submitted_leave_is_approved_and_its_days_taken(office):
    leave = submit(office, file(office, 0, 1))
    assert leave.state == State.APPROVED and leave.approval is None
    row = balance(office)
    assert (row.entitled, row.taken, row.pending) == (Decimal(5), Decimal(2), Decimal(0))
    event = OutboxEvent.objects.get(company=office.company, type="hr.leave_approved")
    assert event.data["employee_id"] == str(office.staff_emp.pk)
    assert event.data["start_date"] == day(0).isoformat() and event.data["end_half"] == "afternoon"
    assert event.data["user_id"] == str(office.staff.pk)


def test_more_days_than_left_are_refused_and_nothing_is_reserved(office, leave_flow):
    submit(office, file(office, 0, 2))  # 3 days pending
    assert balance(office).pending == 3
    too_long = file(office, 7, 9)
    with pytest.raises(InsufficientLeaveBalance) as exc:
        submit(office, too_long)
    assert exc.value.code == "insufficient_leave_balance"
    assert exc.value.extra == {"requested": "3.0", "available": "2.0"}
    too_long.refresh_from_db()
    assert too_long.state == State.DRAFT
    assert balance(office).pending == 3


def test_sick_leave_is_not_limited_but_counted(office):
    leave = submit(office, file(office, 0, 9, leave_type=office.sick))
    assert leave.state == State.APPROVED
    row = balance(office, office.sick)
    assert row.entitled == 0 and row.taken == 8


def test_submit_reserves_then_the_manager_approves_and_the_days_are_taken(office, leave_flow):
    leave = submit(office, file(office, 0, 1))
    assert leave.state == State.SUBMITTED
    assert leave.approval.state == ApprovalInstance.State.RUNNING
    assert leave.approval.submitter == office.staff
    assert balance(office).pending == 2
    task = ApprovalTask.objects.get(instance=leave.approval, state=ApprovalTask.State.PENDING)
    assert task.assignee == office.boss
    approval_task_approve(actor=office.boss, company=office.company, instance=leave.approval, comment="好")
    leave.refresh_from_db()
    assert leave.state == State.APPROVED and leave.decided_at is not None
    row = balance(office)
    assert (row.taken, row.pending) == (Decimal(2), Decimal(0))
    assert leave.approval.copies.filter(user=office.hr).exists()
    assert OutboxEvent.objects.filter(company=office.company, type="hr.leave_approved").count() == 1


def test_more_than_three_days_go_to_hr_after_the_manager(office, leave_flow):
    leave = submit(office, file(office, 0, 3))
    approval_task_approve(actor=office.boss, company=office.company, instance=leave.approval)
    leave.refresh_from_db()
    assert leave.state == State.SUBMITTED
    task = ApprovalTask.objects.get(instance=leave.approval, state=ApprovalTask.State.PENDING)
    assert task.assignee == office.hr
    approval_task_approve(actor=office.hr, company=office.company, instance=leave.approval)
    leave.refresh_from_db()
    assert leave.state == State.APPROVED and balance(office).taken == 4


def test_rejection_frees_the_pending_days_and_keeps_the_reason(office, leave_flow):
    leave = submit(office, file(office, 0, 1))
    approval_task_reject(
        actor=office.boss, company=office.company, instance=leave.approval, comment="月底人手不够"
    )
    leave.refresh_from_db()
    assert leave.state == State.REJECTED and leave.decision_comment == "月底人手不够"
    row = balance(office)
    assert (row.taken, row.pending) == (Decimal(0), Decimal(0))
    with pytest.raises(InvalidTransition):
        submit(office, leave)


def test_withdrawing_frees_the_days_and_the_request_can_be_changed_and_sent_again(office, leave_flow):
    leave = submit(office, file(office, 0, 1))
    leave = leave_request_withdraw(actor=office.staff, company=office.company, leave_request=leave)
    assert leave.state == State.WITHDRAWN
    assert leave.approval.state == ApprovalInstance.State.WITHDRAWN
    assert balance(office).pending == 0
    leave = leave_request_update(
        actor=office.staff,
        company=office.company,
        leave_request=leave,
        data={"end_date": day(0)},
        version=leave.version,
    )
    assert leave.days == 1
    leave = submit(office, leave)
    assert leave.state == State.SUBMITTED and balance(office).pending == 1
    assert ApprovalInstance.objects.filter(company=office.company, document_id=str(leave.pk)).count() == 2


def test_cancelling_an_approved_leave_before_it_starts_gives_the_days_back(office):
    leave = submit(office, file(office, 0, 1))
    leave = leave_request_cancel(actor=office.staff, company=office.company, leave_request=leave)
    assert leave.state == State.CANCELLED
    assert balance(office).taken == 0
    assert OutboxEvent.objects.filter(company=office.company, type="hr.leave_cancelled").exists()


def test_a_leave_that_has_started_cannot_be_cancelled(office):
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    leave_balance_set(
        actor=office.hr,
        company=office.company,
        employee=office.staff_emp,
        leave_type=office.annual,
        year=monday.year,
        entitled=Decimal(5),
    )
    leave = leave_request_create(
        actor=office.staff,
        company=office.company,
        leave_type=office.annual,
        start_date=monday,
        end_date=monday,
    )
    leave = submit(office, leave)
    with pytest.raises(LeaveStarted):
        leave_request_cancel(actor=office.staff, company=office.company, leave_request=leave)


def test_a_submitted_leave_is_withdrawn_not_cancelled(office, leave_flow):
    leave = submit(office, file(office, 0, 0))
    with pytest.raises(InvalidTransition):
        leave_request_cancel(actor=office.staff, company=office.company, leave_request=leave)


def test_overlapping_leave_is_refused_but_halves_of_one_day_are_not(office, leave_flow):
    submit(office, file(office, 0, 1, end_half="morning"))
    with pytest.raises(LeaveOverlap) as exc:
        file(office, 1, 2)
    assert exc.value.code == "leave_overlap"
    afternoon = file(office, 1, 1, start_half="afternoon", leave_type=office.sick)
    assert submit(office, afternoon).state == State.SUBMITTED
    draft = file(office, 3, 3)
    other = file(office, 3, 4)  # two drafts may overlap; the second to be submitted is refused
    submit(office, draft)
    with pytest.raises(LeaveOverlap):
        submit(office, other)


def test_hr_files_for_an_employee_whose_manager_then_approves(office, leave_flow):
    leave = file(office, 0, 0, who=office.hr, employee=office.staff_emp)
    assert leave.employee == office.staff_emp and leave.created_by == office.hr
    leave = submit(office, leave, who=office.hr)
    assert leave.approval.submitter == office.staff
    assert ApprovalTask.objects.get(instance=leave.approval).assignee == office.boss


def test_only_hr_files_for_someone_else_and_others_cannot_touch_a_request(office):
    with pytest.raises(NotPermitted):
        file(office, 0, 0, who=office.staff2, employee=office.staff_emp)
    leave = file(office, 0, 0)
    with pytest.raises(Exception) as exc:
        leave_request_submit(actor=office.staff2, company=office.company, leave_request=leave)
    assert exc.value.code == "not_found"


def test_every_change_is_audited(office, leave_flow):
    leave = submit(office, file(office, 0, 0))
    actions = set(
        AuditEntry.objects.filter(company=office.company, object_id=str(leave.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"create", "transition"}
    row = balance(office)
    balance_rows = AuditEntry.objects.filter(company=office.company, object_id=str(row.pk))
    assert sorted(balance_rows.values_list("action", flat=True)) == ["create", "update"]
    assert balance_rows.get(action="update").changes == {"pending": ["0.0", "1.0"]}
