"""T07: an approval is decided once, by the people it is assigned to.

A requester cannot approve their own request, someone outside the approver set is refused
with 403, and two approvers of an or-sign step deciding at the same instant produce exactly
one decision (PostgreSQL, real row locks, one connection per thread).
"""

import pytest
from django.db import connection

from conftest import make_member
from heyi.approvals.errors import NotYourTask, OwnRequest
from heyi.approvals.models import ApprovalAction, ApprovalInstance, ApprovalTask
from heyi.approvals.services.instances import approval_instance_create
from heyi.approvals.services.tasks import approval_task_approve
from heyi.approvals.services.templates import approval_template_create
from heyi.platform.errors import DomainError

from .racing import race

FORM = [{"key": "amount", "label": "金额", "type": "money", "required": True}]


def _or_sign(company, designer, mode="any"):
    return approval_template_create(
        actor=designer,
        company=company,
        code=f"spend-{mode}",
        name="费用",
        form=FORM,
        flow={
            "nodes": [
                {"id": "start", "type": "start", "next": "finance"},
                {
                    "id": "finance",
                    "type": "approve",
                    "name": "财务",
                    "approvers": [{"kind": "role", "role": "finance"}],
                    "mode": mode,
                    "next": "end",
                },
                {"id": "end", "type": "end"},
            ]
        },
    )


def test_t07_own_request_and_strangers_are_refused(company, admin):
    fin1 = make_member(company, "fin1", roles=["finance"])
    make_member(company, "fin2", roles=["finance"])
    clerk = make_member(company, "clerk", roles=["employee"])
    request = approval_instance_create(
        actor=fin1, company=company, template=_or_sign(company, admin), values={"amount": "10.00"}
    )
    with pytest.raises(OwnRequest) as own:
        approval_task_approve(actor=fin1, company=company, instance=request)
    with pytest.raises(NotYourTask) as stranger:
        approval_task_approve(actor=clerk, company=company, instance=request)
    assert own.value.status == stranger.value.status == 403
    assert ApprovalInstance.objects.get(pk=request.pk).state == "running"
    assert not ApprovalAction.objects.filter(instance=request, kind="approve").exists()


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.parametrize("mode", ["any", "all"])
def test_t07_two_approvers_at_once_give_exactly_one_outcome(company, admin, mode):
    approvers = [make_member(company, f"fin{i}", roles=["finance"]) for i in range(2)]
    clerk = make_member(company, "clerk", roles=["employee"])
    request = approval_instance_create(
        actor=clerk, company=company, template=_or_sign(company, admin, mode), values={"amount": "10.00"}
    )
    results = race(2, lambda i: approval_task_approve(actor=approvers[i], company=company, instance=request))
    decided = ApprovalAction.objects.filter(instance=request, kind="approve").count()
    refused = [r for r in results if isinstance(r, DomainError)]
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]
    assert ApprovalInstance.objects.get(pk=request.pk).state == "approved"
    assert ApprovalAction.objects.filter(instance=request, kind="finish").count() == 1
    if mode == "any":
        assert decided == 1 and len(refused) == 1
        assert ApprovalTask.objects.filter(instance=request, state="approved").count() == 1
    else:
        assert decided == 2 and not refused


def test_t07_a_draft_cannot_jump_to_approved_through_the_api(company, admin, api_as):
    from heyi.approvals.models import ApprovalInstance
    from heyi.inventory.tests.factories import make_product
    from heyi.purchasing.approval import REQUISITION
    from heyi.purchasing.models import PurchaseRequisition

    clerk = make_member(company, "clerk", roles=["employee"])
    make_member(company, "fin1", roles=["finance"])
    approval_template_create(
        actor=admin,
        company=company,
        code="requisitions",
        name="请购",
        document_type=REQUISITION,
        flow={
            "nodes": [
                {"id": "start", "type": "start", "next": "finance"},
                {
                    "id": "finance",
                    "type": "approve",
                    "approvers": [{"kind": "role", "role": "finance"}],
                    "next": "end",
                },
                {"id": "end", "type": "end"},
            ]
        },
    )
    product = make_product(company, admin, "PAPER-A4")
    api = api_as(clerk, company)
    created = api.post(
        "/purchase-requisitions", {"lines": [{"product_id": str(product.pk), "quantity": "5"}]}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    url = f"/purchase-requisitions/{body['id']}"
    for attempt in ({"status": "approved"}, {"status": "approved", "decided_by": str(admin.pk)}):
        api.patch(url, {"version": body["version"], **attempt})
        assert PurchaseRequisition.objects.get(pk=body["id"]).status == "draft"
    submitted = api.post(f"{url}/submit")
    assert submitted.json()["status"] == "submitted"
    request = ApprovalInstance.objects.get(document_id=body["id"])
    own = api.post(f"/approvals/{request.pk}/approve", {"comment": "自己批"})
    assert own.status_code == 403 and own.json()["error"]["code"] == "own_request"
    outsider = api_as(make_member(company, "stranger", roles=["sales"]), company)
    stranger = outsider.post(f"/approvals/{request.pk}/approve", {})
    assert stranger.status_code == 403 and stranger.json()["error"]["code"] == "not_your_task"
    assert PurchaseRequisition.objects.get(pk=body["id"]).status == "submitted"
    assert ApprovalInstance.objects.get(pk=request.pk).state == "running"


def test_t26_two_approvers_on_the_same_version_the_second_gets_409(company, admin, api_as):
    fin1 = make_member(company, "fin1", roles=["finance"])
    fin2 = make_member(company, "fin2", roles=["finance"])
    clerk = make_member(company, "clerk", roles=["employee"])
    request = approval_instance_create(
        actor=clerk, company=company, template=_or_sign(company, admin, "all"), values={"amount": "10.00"}
    )
    first, second = api_as(fin1, company), api_as(fin2, company)
    seen = [c.get(f"/approvals/{request.pk}").json()["version"] for c in (first, second)]
    assert seen[0] == seen[1]
    ok = first.post(f"/approvals/{request.pk}/approve", {"version": seen[0], "comment": "同意"})
    assert ok.status_code == 200
    late = second.post(f"/approvals/{request.pk}/approve", {"version": seen[1], "comment": "也同意"})
    assert late.status_code == 409
    error = late.json()["error"]
    assert error["code"] == "stale_version" and str(error["detail"]["current_version"]) == str(
        ok.json()["version"]
    )
    assert ApprovalTask.objects.get(instance=request, assignee=fin2).state == "pending"
    assert ApprovalInstance.objects.get(pk=request.pk).state == "running"
