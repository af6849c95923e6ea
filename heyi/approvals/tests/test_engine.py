"""The engine as the office uses it: each node type and action, told as short stories."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from heyi.platform.errors import NotPermitted, StaleVersion

from ..errors import (
    AlreadyDecided,
    BadTarget,
    InvalidDesign,
    InvalidValues,
    NoApprover,
    NotOpen,
    NotYourTask,
    OwnRequest,
    TaskClosed,
)
from ..models import ApprovalAction, ApprovalCc, ApprovalInstance, ApprovalTask
from ..services.delegations import delegation_create
from ..services.instances import approval_instance_create, approval_resubmit, approval_urge, approval_withdraw
from ..services.tasks import (
    approval_task_add_signer,
    approval_task_approve,
    approval_task_reject,
    approval_task_return,
    approval_task_transfer,
    approval_tasks_approve,
)
from ..services.templates import approval_template_update
from .conftest import MANAGER, flow, role, step, user

State = ApprovalInstance.State


def submit(office, template, amount="1000.00", by=None, **values):
    return approval_instance_create(
        actor=by or office.alice,
        company=office.company,
        template=template,
        values={"amount": amount, "reason": "客户拜访", **values},
    )


def pending(instance) -> set[str]:
    return set(
        ApprovalTask.objects.filter(instance=instance, state="pending").values_list(
            "assignee__username", flat=True
        )
    )


def approve(office, instance, who, **kw):
    return approval_task_approve(actor=who, company=office.company, instance=instance, **kw)


def reload(instance) -> ApprovalInstance:
    return ApprovalInstance.objects.get(pk=instance.pk)


def big_amount_flow():
    return flow(
        step("manager", [MANAGER], "split"),
        {
            "id": "split",
            "type": "condition",
            "branches": [
                {"name": "大额", "when": [{"field": "amount", "op": "gt", "value": "50000"}], "next": "gm"}
            ],
            "default": "end",
        },
        step("gm", [user_of("gm")], "end"),
    )


def user_of(username: str) -> dict:
    from heyi.platform.models import User

    return user(User.objects.get(username=username))


def test_amount_decides_the_route_manager_then_general_manager(office, make_template):
    template = make_template(big_amount_flow())
    big = submit(office, template, amount="60000.00")
    assert big.path == ["start", "manager", "gm", "end"]
    assert pending(big) == {"director"}
    approve(office, big, office.director, comment="同意")
    assert pending(big) == {"gm"}
    approve(office, big, office.gm)
    assert reload(big).state == State.APPROVED

    small = submit(office, template, amount="49999.99")
    assert small.path == ["start", "manager", "end"]
    approve(office, small, office.director)
    assert reload(small).state == State.APPROVED


def test_condition_on_submitter_department(office, make_template):
    template = make_template(
        flow(
            {
                "id": "who",
                "type": "condition",
                "branches": [
                    {
                        "name": "销售",
                        "when": [
                            {
                                "field": "submitter.department",
                                "op": "within",
                                "value": str(office.sales_dept.pk),
                            }
                        ],
                        "next": "director",
                    }
                ],
                "default": "finance",
            },
            step("director", [user(office.director)], "end"),
            step("finance", [role("finance")], "end", mode="any"),
        )
    )
    assert submit(office, template).path == ["start", "director", "end"]
    assert submit(office, template, by=office.hr).path == ["start", "finance", "end"]


def test_countersign_needs_everyone_and_a_signer_added_before_decides_first(office, make_template):
    template = make_template(flow(step("finance", [role("finance")], "end", mode="all")))
    request = submit(office, template)
    assert pending(request) == {"fin1", "fin2"}
    approval_task_add_signer(
        actor=office.fin1, company=office.company, instance=request, signer=office.hr, position="before"
    )
    assert pending(request) == {"fin2", "hr"}
    approve(office, request, office.fin2)
    assert reload(request).state == State.RUNNING
    approve(office, request, office.hr)
    assert pending(request) == {"fin1"}
    approve(office, request, office.fin1)
    assert reload(request).state == State.APPROVED


def test_signer_added_after_decides_once_the_adder_has_approved(office, make_template):
    template = make_template(flow(step("finance", [user(office.fin1)], "end")))
    request = submit(office, template)
    approval_task_add_signer(
        actor=office.fin1, company=office.company, instance=request, signer=office.gm, position="after"
    )
    assert pending(request) == {"fin1"}
    approve(office, request, office.fin1)
    assert pending(request) == {"gm"}
    approve(office, request, office.gm)
    assert reload(request).state == State.APPROVED


def test_or_sign_first_decision_wins_and_the_other_task_closes(office, make_template):
    template = make_template(flow(step("finance", [role("finance")], "end", mode="any")))
    request = submit(office, template)
    approve(office, request, office.fin2)
    assert reload(request).state == State.APPROVED
    with pytest.raises(NotOpen):
        approve(office, request, office.fin1)
    assert ApprovalTask.objects.get(instance=request, assignee=office.fin1).state == "cancelled"


def test_ratio_sign_passes_at_the_share_and_fails_when_it_cannot_be_reached(office, make_template):
    three = [user(office.fin1), user(office.fin2), user(office.hr)]
    template = make_template(flow(step("board", three, "end", mode="ratio", ratio={"percent": 60})))
    passed = submit(office, template)
    approve(office, passed, office.fin1)
    assert reload(passed).state == State.RUNNING
    approve(office, passed, office.hr)
    assert reload(passed).state == State.APPROVED

    failed = submit(office, template)
    approval_task_reject(actor=office.fin1, company=office.company, instance=failed, comment="预算不足")
    assert reload(failed).state == State.RUNNING
    approval_task_reject(actor=office.fin2, company=office.company, instance=failed, comment="不同意")
    assert reload(failed).state == State.REJECTED


def test_sequential_signers_decide_in_order(office, make_template):
    template = make_template(
        flow(step("chain", [user(office.fin1), user(office.fin2)], "end", mode="sequential"))
    )
    request = submit(office, template)
    assert pending(request) == {"fin1"}
    with pytest.raises(TaskClosed):
        approve(office, request, office.fin2)
    approve(office, request, office.fin1)
    assert pending(request) == {"fin2"}
    approve(office, request, office.fin2)
    assert reload(request).state == State.APPROVED


def test_rejection_ends_the_flow_with_the_comment(office, make_template):
    template = make_template(big_amount_flow())
    request = submit(office, template, amount="90000.00")
    approval_task_reject(actor=office.director, company=office.company, instance=request, comment="超预算")
    request = reload(request)
    assert request.state == State.REJECTED
    assert not pending(request)
    assert request.actions.filter(kind="reject", comment="超预算").exists()


def test_return_to_an_earlier_step_and_to_the_submitter(office, make_template):
    template = make_template(big_amount_flow())
    request = submit(office, template, amount="90000.00")
    approve(office, request, office.director)
    approval_task_return(
        actor=office.gm, company=office.company, instance=request, to="manager", comment="请复核"
    )
    assert pending(request) == {"director"}
    with pytest.raises(Exception) as refused:
        approval_task_return(
            actor=office.director, company=office.company, instance=request, to="gm", comment="x"
        )
    assert getattr(refused.value, "code", "") == "validation_error"
    approval_task_return(
        actor=office.director, company=office.company, instance=request, to="submitter", comment="金额有误"
    )
    assert reload(request).state == State.RETURNED
    approval_resubmit(
        actor=office.alice,
        company=office.company,
        instance=request,
        values={"amount": "30000.00", "reason": "改"},
    )
    request = reload(request)
    assert request.state == State.RUNNING and request.path == ["start", "manager", "end"]
    approve(office, request, office.director)
    assert reload(request).state == State.APPROVED


def test_transfer_by_the_approver_and_refused_to_anyone_else(office, make_template):
    template = make_template(flow(step("finance", [user(office.fin1)], "end")))
    request = submit(office, template)
    with pytest.raises(NotYourTask):
        approval_task_transfer(actor=office.fin2, company=office.company, instance=request, to=office.hr)
    with pytest.raises(BadTarget):
        approval_task_transfer(actor=office.fin1, company=office.company, instance=request, to=office.alice)
    approval_task_transfer(actor=office.fin1, company=office.company, instance=request, to=office.fin2)
    assert pending(request) == {"fin2"}
    with pytest.raises(TaskClosed):
        approve(office, request, office.fin1)
    approve(office, request, office.fin2)
    assert reload(request).state == State.APPROVED


def test_withdraw_before_the_first_decision_only(office, make_template):
    template = make_template(flow(step("a", [user(office.fin1)], "b"), step("b", [user(office.fin2)], "end")))
    early = submit(office, template)
    with pytest.raises(NotPermitted):
        approval_withdraw(actor=office.bob, company=office.company, instance=early)
    approval_withdraw(actor=office.alice, company=office.company, instance=early)
    assert reload(early).state == State.WITHDRAWN
    assert not pending(early)

    late = submit(office, template)
    approve(office, late, office.fin1)
    with pytest.raises(AlreadyDecided):
        approval_withdraw(actor=office.alice, company=office.company, instance=late)
    assert reload(late).state == State.RUNNING


def test_nobody_approves_their_own_request(office, make_template):
    template = make_template(flow(step("finance", [role("finance")], "end", mode="any")))
    request = submit(office, template, by=office.fin1)
    assert pending(request) == {"fin2"}
    with pytest.raises(OwnRequest):
        approve(office, request, office.fin1)
    with pytest.raises(NotYourTask):
        approve(office, request, office.bob)


def test_cc_copies_without_deciding(office, make_template):
    template = make_template(
        flow(
            step("manager", [MANAGER], "tell"),
            {"id": "tell", "type": "cc", "recipients": [role("finance")], "next": "end"},
        )
    )
    request = submit(office, template)
    approve(office, request, office.director)
    assert reload(request).state == State.APPROVED
    assert set(ApprovalCc.objects.filter(instance=request).values_list("user__username", flat=True)) == {
        "fin1",
        "fin2",
    }


def test_empty_approver_policies(office, make_template):
    nobody = [{"kind": "role", "role": "production"}]
    skipped = submit(
        office, make_template(flow(step("p", nobody, "end"), empty_approver="skip"), code="skip")
    )
    assert reload(skipped).state == State.APPROVED
    assert skipped.actions.filter(kind="skip").exists()

    to_admin = submit(
        office, make_template(flow(step("p", nobody, "end"), empty_approver="admin"), code="admin")
    )
    assert pending(to_admin) == {"admin"}

    refused = make_template(flow(step("p", nobody, "end"), empty_approver="refuse"), code="refuse")
    with pytest.raises(NoApprover):
        submit(office, refused)
    assert not ApprovalInstance.objects.filter(template=refused).exists()


def test_an_approver_who_already_approved_is_not_asked_twice(office, make_template):
    template = make_template(
        flow(
            step("manager", [MANAGER], "again"),
            step("again", [user(office.director), user(office.gm)], "end"),
        )
    )
    request = submit(office, template)
    approve(office, request, office.director)
    assert pending(request) == {"gm"}
    assert request.actions.filter(kind="auto_approve").count() == 1
    approve(office, request, office.gm)
    assert reload(request).state == State.APPROVED


def test_a_running_request_keeps_its_template_version(office, make_template):
    template = make_template(flow(step("a", [user(office.fin1)], "end")))
    running = submit(office, template)
    template = approval_template_update(
        actor=office.hr,
        company=office.company,
        template=template,
        flow=flow(step("a", [user(office.fin1)], "b"), step("b", [user(office.fin2)], "end")),
    )
    assert template.current_version.number == 2
    approve(office, running, office.fin1)
    assert reload(running).state == State.APPROVED
    newer = submit(office, template)
    approve(office, newer, office.fin1)
    assert pending(newer) == {"fin2"}


def test_delegation_sends_new_tasks_to_the_deputy_for_its_dates(office, make_template):
    template = make_template(flow(step("finance", [user(office.fin1)], "end")))
    today = datetime.date.today()
    delegation_create(
        actor=office.fin1,
        company=office.company,
        deputy=office.fin2,
        start=today,
        end=today + datetime.timedelta(days=3),
    )
    request = submit(office, template)
    task = ApprovalTask.objects.get(instance=request)
    assert task.assignee == office.fin2 and task.delegated_from == office.fin1
    approve(office, request, office.fin2)
    assert reload(request).state == State.APPROVED


def test_stale_version_is_refused(office, make_template):
    template = make_template(flow(step("a", [user(office.fin1)], "b"), step("b", [user(office.fin2)], "end")))
    request = submit(office, template)
    seen = request.version
    approve(office, request, office.fin1, version=seen)
    with pytest.raises(StaleVersion):
        approve(office, request, office.fin2, version=seen)
    assert pending(request) == {"fin2"}


def test_batch_approval_reports_each_request(office, make_template):
    template = make_template(flow(step("finance", [user(office.fin1)], "end")))
    first, second = submit(office, template), submit(office, template)
    approve(office, second, office.fin1)
    result = approval_tasks_approve(actor=office.fin1, company=office.company, instances=[first, second])
    assert result["approved"] == [str(first.pk)]
    assert str(second.pk) in result["failed"]


def test_urge_notifies_and_is_limited(office, make_template):
    from heyi.platform.models import Notification

    template = make_template(flow(step("finance", [user(office.fin1)], "end")))
    request = submit(office, template)
    approval_urge(actor=office.alice, company=office.company, instance=request)
    assert Notification.objects.filter(recipient=office.fin1, kind="approval_urge").count() == 1
    with pytest.raises(Exception) as again:
        approval_urge(actor=office.alice, company=office.company, instance=request)
    assert getattr(again.value, "code", "") == "conflict"


def test_designs_the_engine_cannot_run_are_refused_with_reasons(office, make_template):
    orphan = flow(step("a", [MANAGER], "end"))
    orphan["nodes"].append(step("lost", [MANAGER], "end"))
    with pytest.raises(InvalidDesign) as unreachable:
        make_template(orphan)
    assert "lost" in unreachable.value.fields

    no_default = flow(
        {
            "id": "split",
            "type": "condition",
            "branches": [{"when": [{"field": "amount", "op": "gt", "value": "1"}], "next": "end"}],
        }
    )
    with pytest.raises(InvalidDesign) as missing:
        make_template(no_default)
    assert "split" in missing.value.fields

    loop = flow(step("a", [MANAGER], "b"), step("b", [MANAGER], "a"))
    with pytest.raises(InvalidDesign):
        make_template(loop)


def test_form_values_of_the_wrong_type_are_refused(office, make_template):
    template = make_template(flow(step("a", [MANAGER], "end")))
    with pytest.raises(InvalidValues) as bad:
        approval_instance_create(
            actor=office.alice,
            company=office.company,
            template=template,
            values={"amount": "a lot", "reason": 12, "colour": "red"},
        )
    assert set(bad.value.fields) == {"amount", "reason", "colour"}
    with pytest.raises(InvalidValues) as stranger:
        submit(office, template, reviewer="5f0c8a3e-0000-4000-8000-000000000000")
    assert set(stranger.value.fields) == {"reviewer"}
    assert not ApprovalInstance.objects.exists()


def test_approver_named_in_a_form_field(office, make_template):
    template = make_template(flow(step("chosen", [{"kind": "field", "field": "reviewer"}], "end")))
    request = submit(office, template, reviewer=str(office.hr.pk))
    assert pending(request) == {"hr"}


def test_the_decision_log_is_chained_and_check_approvals_finds_tampering(office, make_template, capsys):
    template = make_template(big_amount_flow())
    request = submit(office, template, amount="60000.00")
    approve(office, request, office.director, comment="同意")
    call_command("check_approvals")
    assert "OK" in capsys.readouterr().out
    ApprovalAction.objects.filter(kind="approve").update(comment="被改过")
    with pytest.raises(SystemExit):
        call_command("check_approvals")
    assert "changed" in capsys.readouterr().out


def test_money_values_are_decimals_to_the_cent(office, make_template):
    template = make_template(flow(step("a", [MANAGER], "end")))
    request = submit(office, template, amount="12.5")
    assert Decimal(request.values["amount"]) == Decimal("12.50")
    with pytest.raises(InvalidValues):
        submit(office, template, amount="12.555")


def test_an_overdue_task_reminds_then_escalates_to_the_approvers_manager(office, make_template):
    from heyi.platform.models import Notification

    from ..services.deadlines import approval_deadlines_run

    template = make_template(flow(step("manager", [MANAGER], "end", deadline_hours=24)))
    request = submit(office, template)
    task = ApprovalTask.objects.get(instance=request)
    assert task.assignee == office.director and task.due_at is not None
    assert approval_deadlines_run(now=task.due_at - datetime.timedelta(minutes=1)) == {
        "reminded": 0,
        "escalated": 0,
    }
    assert approval_deadlines_run(now=task.due_at + datetime.timedelta(hours=1))["reminded"] == 1
    assert Notification.objects.filter(recipient=office.director, kind="approval_overdue").exists()
    assert approval_deadlines_run(now=task.due_at + datetime.timedelta(hours=2))["reminded"] == 0
    assert approval_deadlines_run(now=task.due_at + datetime.timedelta(hours=25))["escalated"] == 1
    assert pending(request) == {"gm"}
    approve(office, request, office.gm)
    assert reload(request).state == State.APPROVED


def test_an_approved_request_leads_to_its_outcome_in_the_same_transaction(office, make_template):
    from ..registry import Outcome, register_outcome

    done: list[str] = []
    register_outcome(
        Outcome(
            key="tests.remember",
            label="remember",
            fields=[{"key": "amount", "type": "money"}],
            check=lambda company, values: (
                {} if Decimal(values["amount"]) < 100000 else {"amount": ["too much"]}
            ),
            run=lambda actor, company, instance: done.append(instance.number),
        )
    )
    from ..services.templates import approval_template_create

    template = approval_template_create(
        actor=office.hr,
        company=office.company,
        code="remember",
        name="记住",
        form=[{"key": "amount", "label": "金额", "type": "money"}],
        flow=flow(step("a", [user(office.fin1)], "end")),
        outcome="tests.remember",
    )
    with pytest.raises(InvalidValues):
        approval_instance_create(
            actor=office.alice, company=office.company, template=template, values={"amount": "100000.00"}
        )
    request = approval_instance_create(
        actor=office.alice, company=office.company, template=template, values={"amount": "10.00"}
    )
    assert done == []
    approve(office, request, office.fin1)
    assert done == [request.number]
    with pytest.raises(InvalidDesign) as unfit:
        approval_template_create(
            actor=office.hr,
            company=office.company,
            code="unfit",
            name="缺字段",
            form=[{"key": "reason", "label": "事由", "type": "text"}],
            flow=flow(step("a", [user(office.fin1)], "end")),
            outcome="tests.remember",
        )
    assert "outcome" in unfit.value.fields


def test_a_return_inside_a_countersign_closes_the_others_and_asks_everyone_again(office, make_template):
    template = make_template(
        flow(step("manager", [MANAGER], "finance"), step("finance", [role("finance")], "end", mode="all"))
    )
    request = submit(office, template)
    approve(office, request, office.director)
    approve(office, request, office.fin1)
    approval_task_return(
        actor=office.fin2, company=office.company, instance=request, to="manager", comment="附件不全"
    )
    assert pending(request) == {"director"}
    assert not ApprovalTask.objects.filter(instance=request, node_id="finance", state="pending").exists()
    approve(office, request, office.director)
    assert pending(request) == {"fin1", "fin2"}, "fin1's earlier approval does not count after the return"
    approve(office, request, office.fin1)
    approve(office, request, office.fin2)
    assert reload(request).state == State.APPROVED
