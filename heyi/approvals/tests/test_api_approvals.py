"""The approval API: templates, requests, every decision, inboxes, batch approval, delegations,
and the refusals (codes and statuses) that leave everything as it was."""

import datetime

import pytest

from conftest import make_member
from heyi.approvals.models import ApprovalAction, ApprovalInstance, ApprovalTask, ApprovalTemplate
from heyi.approvals.services.instances import approval_instance_create
from heyi.approvals.services.tasks import approval_task_approve
from heyi.approvals.services.templates import approval_template_create

FORM = [
    {"key": "days", "label": "天数", "type": "number", "required": True},
    {"key": "reason", "label": "事由", "type": "text"},
]


def two_step_flow(first, second) -> dict:
    return {
        "nodes": [
            {"id": "start", "type": "start", "next": "lead"},
            {
                "id": "lead",
                "type": "approve",
                "name": "主管审批",
                "approvers": [{"kind": "user", "user": str(first.pk)}],
                "next": "boss",
            },
            {
                "id": "boss",
                "type": "approve",
                "name": "总经理审批",
                "approvers": [{"kind": "user", "user": str(second.pk)}],
                "next": "end",
            },
            {"id": "end", "type": "end"},
        ]
    }


@pytest.fixture
def staff(company):
    return make_member(company, "staff")


@pytest.fixture
def lead(company):
    return make_member(company, "lead")


@pytest.fixture
def boss(company):
    return make_member(company, "boss")


@pytest.fixture
def leave(company, admin, lead, boss):
    return approval_template_create(
        actor=admin, company=company, code="leave", name="请假", form=FORM, flow=two_step_flow(lead, boss)
    )


@pytest.fixture
def request_(company, staff, leave):
    return approval_instance_create(
        actor=staff, company=company, template=leave, values={"days": "2", "reason": "家事"}, title="请假两天"
    )


def _state(instance) -> str:
    return ApprovalInstance.objects.get(pk=instance.pk).state


def _log_size(instance) -> int:
    return ApprovalAction.objects.filter(instance=instance).count()


# Templates


def test_template_create_and_read(api, company):
    flow = {
        "nodes": [
            {"id": "start", "type": "start", "next": "a"},
            {"id": "a", "type": "approve", "approvers": [{"kind": "role", "role": "admin"}], "next": "end"},
            {"id": "end", "type": "end"},
        ]
    }
    response = api.post("/approval-templates", {"code": "trip", "name": "出差", "form": FORM, "flow": flow})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["template_version"] == 1 and body["form"] == FORM
    assert api.get(f"/approval-templates/{body['id']}").json()["flow"] == flow
    listed = api.get("/approval-templates", q="出差").json()
    assert [t["code"] for t in listed["items"]] == ["trip"]


ASSET_FORM = [
    {
        "key": "items",
        "label": "申购明细",
        "type": "table",
        "required": True,
        "columns": [
            {"key": "sku", "label": "商品编码", "type": "text"},
            {"key": "quantity", "label": "数量", "type": "number"},
            {"key": "unit_price", "label": "预估单价", "type": "money"},
        ],
    },
    {"key": "reason", "label": "理由", "type": "text"},
]


def test_template_with_an_outcome_is_created_and_keeps_it(api, company, lead, boss):
    outcomes = api.get("/approval-outcomes").json()
    requisition = next(o for o in outcomes if o["key"] == "purchasing.requisition")
    assert requisition["label"] and requisition["fields"][0]["key"] == "items"
    payload = {
        "code": "asset",
        "name": "固定资产申购",
        "outcome": "purchasing.requisition",
        "form": ASSET_FORM,
        "flow": two_step_flow(lead, boss),
    }
    response = api.post("/approval-templates", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "purchasing.requisition" and body["form"] == ASSET_FORM
    patched = api.patch(f"/approval-templates/{body['id']}", {"version": body["version"], "outcome": ""})
    assert patched.status_code == 200 and patched.json()["outcome"] == "purchasing.requisition"
    assert ApprovalTemplate.objects.get(pk=body["id"]).outcome == "purchasing.requisition"


def test_template_without_the_outcomes_fields_is_refused(api, company, lead, boss):
    payload = {
        "code": "asset",
        "name": "固定资产申购",
        "outcome": "purchasing.requisition",
        "form": FORM,
        "flow": two_step_flow(lead, boss),
    }
    response = api.post("/approval-templates", payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_template" and "items" in " ".join(error["fields"]["outcome"])
    unknown = api.post("/approval-templates", {**payload, "form": ASSET_FORM, "outcome": "nowhere"})
    assert unknown.status_code == 422 and "outcome" in unknown.json()["error"]["fields"]
    assert not ApprovalTemplate.objects.filter(company=company, code="asset").exists()


def test_template_with_unreachable_node_is_refused_with_reasons(api, company):
    flow = {
        "nodes": [
            {"id": "start", "type": "start", "next": "end"},
            {
                "id": "lost",
                "type": "approve",
                "approvers": [{"kind": "role", "role": "admin"}],
                "next": "end",
            },
            {"id": "end", "type": "end"},
        ]
    }
    response = api.post("/approval-templates", {"code": "bad", "name": "坏", "form": FORM, "flow": flow})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_template" and "lost" in error["fields"]
    assert not ApprovalTemplate.objects.filter(company=company, code="bad").exists()


def test_condition_without_default_is_refused(api):
    flow = {
        "nodes": [
            {"id": "start", "type": "start", "next": "split"},
            {
                "id": "split",
                "type": "condition",
                "branches": [
                    {"name": "long", "when": [{"field": "days", "op": "gt", "value": 3}], "next": "end"}
                ],
            },
            {"id": "end", "type": "end"},
        ]
    }
    response = api.post("/approval-templates", {"code": "nodef", "name": "x", "form": FORM, "flow": flow})
    assert response.status_code == 422 and "split" in response.json()["error"]["fields"]


def test_template_patch_versions_and_stale_version(api, leave, lead, boss):
    url = f"/approval-templates/{leave.pk}"
    flow = two_step_flow(boss, lead)
    response = api.patch(url, {"version": leave.version, "name": "请假申请", "flow": flow})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "请假申请" and body["template_version"] == 2 and body["flow"] == flow
    stale = api.patch(url, {"version": leave.version, "name": "又改"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert ApprovalTemplate.objects.get(pk=leave.pk).name == "请假申请"


def test_member_cannot_design_templates(api_as, staff, company, leave):
    client = api_as(staff, company)
    response = client.post(
        "/approval-templates", {"code": "x", "name": "x", "form": FORM, "flow": two_step_flow(staff, staff)}
    )
    assert response.status_code == 403
    patched = client.patch(f"/approval-templates/{leave.pk}", {"version": leave.version, "name": "改"})
    assert patched.status_code == 403


# Requests


def test_create_request_and_read_its_route(api_as, company, staff, leave, lead):
    client = api_as(staff, company)
    response = client.post(
        "/approvals",
        {"template_id": str(leave.pk), "title": "年假", "values": {"days": "3", "reason": "回家"}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "running" and body["values"] == {"days": "3", "reason": "回家"}
    statuses = [(n["id"], n["status"]) for n in body["route"]]
    assert statuses == [("start", "done"), ("lead", "current"), ("boss", "ahead"), ("end", "ahead")]
    current = body["route"][1]
    assert [d["assignee_id"] for d in current["decisions"]] == [str(lead.pk)]
    assert [a["kind"] for a in body["actions"]] == ["submit"]
    assert body["tasks"][0]["state"] == "pending"


def test_field_labels_read_in_the_callers_language(api_as, company, admin, staff, lead):
    """Labels stored as the apps' English msgids come back translated; typed labels as typed."""
    form = [
        {"key": "supplier", "label": "Supplier", "type": "text"},
        {"key": "note", "label": "备注", "type": "text"},
    ]
    flow = {
        "nodes": [
            {"id": "start", "type": "start", "next": "a"},
            {
                "id": "a",
                "type": "approve",
                "approvers": [{"kind": "user", "user": str(lead.pk)}],
                "next": "end",
            },
            {"id": "end", "type": "end"},
        ]
    }
    template = approval_template_create(
        actor=admin, company=company, code="labels", name="标签", form=form, flow=flow
    )
    instance = approval_instance_create(actor=staff, company=company, template=template, values={"note": "x"})
    client = api_as(staff, company)
    client.headers["Accept-Language"] = "zh-hans"
    assert [f["label"] for f in client.get(f"/approvals/{instance.pk}").json()["form"]] == ["供应商", "备注"]
    client.headers["Accept-Language"] = "en"
    assert [f["label"] for f in client.get(f"/approvals/{instance.pk}").json()["form"]] == [
        "Supplier",
        "备注",
    ]
    assert template.current_version.form == form


def test_wrong_form_values_are_refused_per_field(api_as, company, staff, leave):
    response = api_as(staff, company).post(
        "/approvals", {"template_id": str(leave.pk), "values": {"days": "many", "colour": "red"}}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_form_values" and {"days", "colour"} <= set(error["fields"])
    assert not ApprovalInstance.objects.filter(template=leave).exists()


def test_approve_twice_through_the_route(api_as, company, request_, lead, boss):
    response = api_as(lead, company).post(f"/approvals/{request_.pk}/approve", {"comment": "同意"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [n["status"] for n in body["route"]][1:3] == ["done", "current"]
    decision = body["route"][1]["decisions"][0]
    assert decision["state"] == "approved" and decision["comment"] == "同意" and decision["decided_at"]
    final = api_as(boss, company).post(f"/approvals/{request_.pk}/approve", {"version": body["version"]})
    assert final.status_code == 200 and final.json()["state"] == "approved"
    assert all(n["status"] == "done" for n in final.json()["route"])


def test_reject_needs_a_comment_and_ends_the_request(api_as, company, request_, lead):
    client = api_as(lead, company)
    missing = client.post(f"/approvals/{request_.pk}/reject", {"comment": ""})
    assert missing.status_code == 400 and _state(request_) == "running"
    response = client.post(f"/approvals/{request_.pk}/reject", {"comment": "人手不够"})
    assert response.status_code == 200 and response.json()["state"] == "rejected"


def test_decision_by_someone_outside_the_approver_set_is_403(api, api_as, company, request_, boss):
    """The administrator sees every request but decides none that is not theirs; the later
    approver does not see the request before it reaches them."""
    before = _log_size(request_)
    response = api.post(f"/approvals/{request_.pk}/approve", {})
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_your_task"
    later = api_as(boss, company).post(f"/approvals/{request_.pk}/approve", {})
    assert later.status_code == 403 and later.json()["error"]["code"] == "not_your_task"
    assert _state(request_) == "running" and _log_size(request_) == before


def test_decision_on_a_closed_task_is_409(api_as, company, request_, lead, staff):
    client = api_as(lead, company)
    assert client.post(f"/approvals/{request_.pk}/approve", {}).status_code == 200
    again = client.post(f"/approvals/{request_.pk}/approve", {})
    assert again.status_code == 409 and again.json()["error"]["code"] == "task_closed"


def test_stale_version_is_409(api_as, company, request_, lead):
    response = api_as(lead, company).post(
        f"/approvals/{request_.pk}/approve", {"version": request_.version - 1}
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_version"
    assert _state(request_) == "running"


def test_another_companys_request_is_404(api_as, other_company, outsider, request_, leave):
    client = api_as(outsider, other_company)
    assert client.get(f"/approvals/{request_.pk}").status_code == 404
    assert client.post(f"/approvals/{request_.pk}/approve", {}).status_code == 404
    assert client.get(f"/approval-templates/{leave.pk}").status_code == 404
    assert (
        client.post("/approvals", {"template_id": str(leave.pk), "values": {"days": "1"}}).status_code == 404
    )


def test_unrelated_member_cannot_see_the_request(api_as, company, request_):
    stranger = make_member(company, "stranger")
    assert api_as(stranger, company).get(f"/approvals/{request_.pk}").status_code == 404


def test_return_to_submitter_then_resubmit(api_as, company, request_, lead, staff):
    returned = api_as(lead, company).post(
        f"/approvals/{request_.pk}/return", {"to": "submitter", "comment": "请补充事由"}
    )
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    response = api_as(staff, company).post(
        f"/approvals/{request_.pk}/resubmit", {"values": {"days": "1", "reason": "看病"}}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "running" and body["values"]["reason"] == "看病"


def test_return_to_an_unknown_step_is_refused(api_as, company, request_, lead):
    response = api_as(lead, company).post(f"/approvals/{request_.pk}/return", {"to": "boss", "comment": "x"})
    assert response.status_code == 400 and "to" in response.json()["error"]["fields"]


def test_transfer_hands_the_task_over(api_as, company, request_, lead):
    deputy = make_member(company, "deputy")
    response = api_as(lead, company).post(
        f"/approvals/{request_.pk}/transfer", {"to_user_id": str(deputy.pk), "comment": "出差中"}
    )
    assert response.status_code == 200, response.content
    assert ApprovalTask.objects.get(instance=request_, assignee=deputy).state == "pending"


def test_transfer_to_another_companys_user_is_404(api_as, company, request_, lead, outsider):
    response = api_as(lead, company).post(
        f"/approvals/{request_.pk}/transfer", {"to_user_id": str(outsider.pk)}
    )
    assert response.status_code == 404


def test_add_signer_before(api_as, company, request_, lead):
    expert = make_member(company, "expert")
    response = api_as(lead, company).post(
        f"/approvals/{request_.pk}/add-signer", {"signer_id": str(expert.pk), "position": "before"}
    )
    assert response.status_code == 200, response.content
    assert ApprovalTask.objects.get(instance=request_, assignee=expert).state == "pending"
    assert ApprovalTask.objects.get(instance=request_, assignee=lead).state == "waiting"


def test_withdraw_before_and_after_a_decision(api_as, company, staff, leave, request_, lead):
    second = approval_instance_create(actor=staff, company=company, template=leave, values={"days": "1"})
    client = api_as(staff, company)
    response = client.post(f"/approvals/{second.pk}/withdraw", {"comment": "不去了"})
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    approval_task_approve(actor=lead, company=company, instance=request_)
    late = client.post(f"/approvals/{request_.pk}/withdraw", {})
    assert late.status_code == 409 and late.json()["error"]["code"] == "already_decided"
    assert _state(request_) == "running"


def test_comment_and_urge(api_as, company, request_, staff):
    client = api_as(staff, company)
    response = client.post(f"/approvals/{request_.pk}/comment", {"comment": "请尽快"})
    assert response.status_code == 200 and response.json()["actions"][-1]["comment"] == "请尽快"
    urged = client.post(f"/approvals/{request_.pk}/urge")
    assert urged.status_code == 200 and urged.json()["actions"][-1]["kind"] == "urge"
    assert client.post(f"/approvals/{request_.pk}/urge").status_code == 409


def test_boxes(api_as, company, staff, request_, lead):
    assert [i["id"] for i in api_as(lead, company).get("/approvals", box="pending").json()["items"]] == [
        str(request_.pk)
    ]
    assert api_as(staff, company).get("/approvals", box="submitted").json()["count"] == 1
    assert api_as(staff, company).get("/approvals", box="pending").json()["count"] == 0
    approval_task_approve(actor=lead, company=company, instance=request_)
    assert api_as(lead, company).get("/approvals", box="decided").json()["count"] == 1
    assert api_as(lead, company).get("/approvals", box="pending").json()["count"] == 0
    filtered = api_as(staff, company).get("/approvals", box="all", state="approved").json()
    assert filtered["count"] == 0
    assert api_as(staff, company).get("/approvals", box="nonsense").status_code == 400


def test_cc_box(api_as, company, admin, staff, lead):
    reader = make_member(company, "reader")
    flow = {
        "nodes": [
            {"id": "start", "type": "start", "next": "cc"},
            {"id": "cc", "type": "cc", "recipients": [{"kind": "user", "user": str(reader.pk)}], "next": "a"},
            {
                "id": "a",
                "type": "approve",
                "approvers": [{"kind": "user", "user": str(lead.pk)}],
                "next": "end",
            },
            {"id": "end", "type": "end"},
        ]
    }
    template = approval_template_create(
        actor=admin, company=company, code="cc", name="抄送", form=FORM, flow=flow
    )
    instance = approval_instance_create(actor=staff, company=company, template=template, values={"days": "1"})
    items = api_as(reader, company).get("/approvals", box="cc").json()["items"]
    assert [i["id"] for i in items] == [str(instance.pk)]
    detail = api_as(reader, company).get(f"/approvals/{instance.pk}").json()
    assert detail["route"][1]["copied_to"] == ["reader"]


def test_my_tasks_and_batch_approve(api_as, company, staff, leave, request_, lead, boss):
    second = approval_instance_create(actor=staff, company=company, template=leave, values={"days": "5"})
    client = api_as(lead, company)
    tasks = client.get("/approval-tasks").json()
    assert tasks["count"] == 2 and {t["instance_id"] for t in tasks["items"]} == {
        str(request_.pk),
        str(second.pk),
    }
    approval_task_approve(actor=lead, company=company, instance=second)
    response = client.post(
        "/approval-tasks/approve", {"ids": [str(request_.pk), str(second.pk)], "comment": "批量同意"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["approved"] == [str(request_.pk)] and list(body["failed"]) == [str(second.pk)]
    assert client.get("/approval-tasks").json()["count"] == 0


def test_delegations(api_as, company, lead, boss, staff, leave):
    client = api_as(boss, company)
    today = datetime.date.today()
    response = client.post(
        "/approval-delegations",
        {"deputy_id": str(lead.pk), "start": str(today), "end": str(today + datetime.timedelta(days=3))},
    )
    assert response.status_code == 201, response.content
    delegation = response.json()
    assert client.get("/approval-delegations").json()["count"] == 1
    instance = approval_instance_create(actor=staff, company=company, template=leave, values={"days": "1"})
    approval_task_approve(actor=lead, company=company, instance=instance)
    task = ApprovalTask.objects.get(instance=instance, node_id="boss")
    assert task.assignee == lead and task.delegated_from == boss
    ended = client.post(f"/approval-delegations/{delegation['id']}/end")
    assert ended.status_code == 200 and ended.json()["is_active"] is False
    assert api_as(staff, company).get(f"/approval-delegations/{delegation['id']}").status_code == 404
    backwards = client.post(
        "/approval-delegations", {"deputy_id": str(lead.pk), "start": str(today), "end": "2000-01-01"}
    )
    assert backwards.status_code == 400


def test_cycle_times_from_the_event_history(api, company, request_, lead, boss):
    approval_task_approve(actor=lead, company=company, instance=request_)
    approval_task_approve(actor=boss, company=company, instance=request_)
    rows = api.get("/approval-cycle-times").json()
    assert [(r["code"], r["count"]) for r in rows] == [("leave", 1)]
    assert rows[0]["median_seconds"] >= 0 and rows[0]["p90_seconds"] >= rows[0]["median_seconds"]


def test_pending_tasks_read_in_the_same_number_of_queries_however_many(api_as, company, staff, leave, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(lead, company)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/approval-tasks").status_code == 200
        return len(captured)

    approval_instance_create(actor=staff, company=company, template=leave, values={"days": "1"})
    queries()  # the token's first use is written down once
    few = queries()
    for _ in range(4):
        approval_instance_create(actor=staff, company=company, template=leave, values={"days": "1"})
    assert queries() == few
