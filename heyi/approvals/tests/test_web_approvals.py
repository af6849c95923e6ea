"""The approval pages: each renders for the people who use it, a decision through the page
changes the request, and the designer saves a flow or shows the engine's reasons.

The people and the leave template are the API tests' fixtures, imported by name."""

# ruff: noqa: F811

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_member
from heyi.approvals.errors import NotYourTask
from heyi.approvals.models import ApprovalInstance, ApprovalTemplate, Delegation
from heyi.approvals.services.instances import approval_instance_create
from heyi.approvals.services.tasks import approval_task_approve
from heyi.approvals.services.templates import approval_template_create

from .test_api_approvals import boss, lead, leave, request_, staff  # noqa: F401


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state(instance) -> str:
    return ApprovalInstance.objects.get(pk=instance.pk).state


def test_overview_and_inboxes_render(company, staff, lead, request_, web):
    page = client_for(lead).get(reverse("approvals:overview"))
    assert page.status_code == 200 and 'id="count-pending"' in page.content.decode()
    assert "cycle-times" not in page.content.decode()
    assert "cycle-times" in web.get(reverse("approvals:overview")).content.decode()
    pending = client_for(lead).get(reverse("approvals:pending_list")).content.decode()
    assert request_.number in pending and 'name="ids"' in pending
    assert request_.number in client_for(staff).get(reverse("approvals:submitted_list")).content.decode()
    for name in ("copied_list", "decided_list", "request_start", "delegation_list"):
        assert client_for(staff).get(reverse(f"approvals:{name}")).status_code == 200


def test_template_pages_need_the_designer_permission(company, staff, web, leave):
    assert client_for(staff).get(reverse("approvals:template_list")).status_code == 403
    assert client_for(staff).get(reverse("approvals:all_list")).status_code == 403
    assert leave.name in web.get(reverse("approvals:template_list")).content.decode()
    assert web.get(reverse("approvals:template_edit", args=[leave.pk])).status_code == 200
    assert web.get(reverse("approvals:template_json", args=[leave.pk])).status_code == 200


def test_detail_shows_the_flow_and_only_my_actions(company, staff, lead, request_):
    url = reverse("approvals:instance_detail", args=[request_.pk])
    mine = client_for(lead).get(url).content.decode()
    assert 'data-node="lead" data-status="current"' in mine
    assert 'data-node="boss" data-status="ahead"' in mine
    assert reverse("approvals:instance_act", args=[request_.pk, "approve"]) in mine
    theirs = client_for(staff).get(url).content.decode()
    assert reverse("approvals:instance_act", args=[request_.pk, "approve"]) not in theirs
    assert reverse("approvals:instance_act", args=[request_.pk, "withdraw"]) in theirs


def test_another_company_sees_nothing(other_company, outsider, request_):
    response = client_for(outsider).get(reverse("approvals:instance_detail", args=[request_.pk]))
    assert response.status_code == 404


def test_approve_and_reject_through_the_page(company, staff, lead, boss, request_):
    act = reverse("approvals:instance_act", args=[request_.pk, "approve"])
    response = client_for(lead).post(act, {"approve-comment": "同意", "approve-version": request_.version})
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.current_node == "boss"
    detail = client_for(boss).get(reverse("approvals:instance_detail", args=[request_.pk])).content.decode()
    assert "同意" in detail and 'data-node="lead" data-status="done"' in detail
    reject = reverse("approvals:instance_act", args=[request_.pk, "reject"])
    client_for(boss).post(reject, {"reject-comment": "", "reject-version": request_.version})
    assert _state(request_) == "running"
    client_for(boss).post(reject, {"reject-comment": "预算不足", "reject-version": request_.version})
    assert _state(request_) == "rejected"


def test_a_stale_page_changes_nothing(company, lead, request_):
    act = reverse("approvals:instance_act", args=[request_.pk, "approve"])
    response = client_for(lead).post(act, {"approve-version": request_.version - 1}, follow=True)
    assert _state(request_) == "running" and request_.current_node == "lead"
    assert response.status_code == 200


def test_someone_elses_task_cannot_be_decided_on_the_page(company, web, request_):
    act = reverse("approvals:instance_act", args=[request_.pk, "approve"])
    response = web.post(act, {}, follow=True)
    assert str(NotYourTask.default_message) in [str(m) for m in response.context["messages"]]
    assert _state(request_) == "running"


def test_return_to_submitter_and_resubmit_through_the_pages(company, staff, lead, request_):
    act = reverse("approvals:instance_act", args=[request_.pk, "return"])
    client_for(lead).post(act, {"return-to": "submitter", "return-comment": "补充事由"})
    assert _state(request_) == "returned"
    url = reverse("approvals:request_resubmit", args=[request_.pk])
    assert client_for(staff).get(url).status_code == 200
    request_.refresh_from_db()
    response = client_for(staff).post(url, {"v_days": "1", "v_reason": "看病", "version": request_.version})
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.state == "running" and request_.values["reason"] == "看病"


def test_batch_approve_from_the_inbox(company, staff, lead, leave, request_):
    second = approval_instance_create(actor=staff, company=company, template=leave, values={"days": "4"})
    client_for(lead).post(reverse("approvals:batch_approve"), {"ids": [str(request_.pk), str(second.pk)]})
    for instance in (request_, second):
        instance.refresh_from_db()
        assert instance.current_node == "boss"


def test_new_request_from_a_template(company, staff, leave):
    url = reverse("approvals:request_create", args=[leave.pk])
    page = client_for(staff).get(url)
    assert page.status_code == 200 and "v_days" in page.content.decode()
    bad = client_for(staff).post(url, {"title": "请假", "v_days": ""})
    assert bad.status_code == 400 and not ApprovalInstance.objects.filter(template=leave).exists()
    response = client_for(staff).post(url, {"title": "请假", "v_days": "2", "v_reason": "休息"})
    assert response.status_code == 302
    instance = ApprovalInstance.objects.get(template=leave)
    assert instance.values == {"days": "2", "reason": "休息"} and instance.submitter == staff


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def test_designer_saves_a_flow_with_a_condition_split(company, web, lead, boss):
    data = {
        "code": "expense",
        "name": "费用报销",
        "empty_approver": "skip",
        "dedupe": "on",
        "is_active": "on",
        **_management("fields", 2),
        "fields-0-key": "amount",
        "fields-0-label": "金额",
        "fields-0-type": "money",
        "fields-0-required": "on",
        "fields-1-key": "kind",
        "fields-1-label": "类别",
        "fields-1-type": "choice",
        "fields-1-choices": "差旅\n招待",
        **_management("branches", 1),
        "branches-0-name": "大额",
        "branches-0-field": "amount",
        "branches-0-op": "gt",
        "branches-0-value": "5000",
        **_management("steps", 2),
        "steps-0-place": "before",
        "steps-0-kind": "approve",
        "steps-0-name": "主管",
        "steps-0-approver_kind": "user",
        "steps-0-users": [str(lead.pk)],
        "steps-0-mode": "all",
        "steps-1-place": "b1",
        "steps-1-kind": "approve",
        "steps-1-name": "总经理",
        "steps-1-approver_kind": "user",
        "steps-1-users": [str(boss.pk)],
        "steps-1-mode": "any",
    }
    response = web.post(reverse("approvals:template_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    template = ApprovalTemplate.objects.get(company=company, code="expense")
    flow = template.current_version.flow
    split = next(n for n in flow["nodes"] if n["type"] == "condition")
    assert split["branches"][0]["when"] == [{"field": "amount", "op": "gt", "value": "5000"}]
    assert template.current_version.form[1]["choices"] == ["差旅", "招待"]
    staff_user = make_member(company, "clerk")
    big = approval_instance_create(
        actor=staff_user, company=company, template=template, values={"amount": "8000"}
    )
    small = approval_instance_create(
        actor=staff_user, company=company, template=template, values={"amount": "100"}
    )
    assert len(big.path) == 4 and len(small.path) == 3
    page = web.get(reverse("approvals:template_edit", args=[template.pk])).content.decode()
    assert "5000" in page and "总经理" in page


def _as_posted(page) -> dict:
    """What the designer page sends back when saved unchanged: every row's shown value."""
    data: dict = {}
    forms = [page.context["header"]]
    for name in ("field_set", "step_set", "branch_set"):
        formset = page.context[name]
        forms += formset.forms
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
    for form in forms:
        for field in form:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list):
                data[field.html_name] = [str(v) for v in value]
            elif value not in (None, False):
                data[field.html_name] = str(value)
    return data


def test_designer_saves_a_branch_whose_rules_must_all_hold(company, web, office):
    data = {
        "code": "deal",
        "name": "大额销售费用",
        "empty_approver": "skip",
        "dedupe": "on",
        "is_active": "on",
        **_management("fields", 1),
        "fields-0-key": "amount",
        "fields-0-label": "金额",
        "fields-0-type": "money",
        "fields-0-required": "on",
        **_management("branches", 3),
        "branches-0-branch": "1",
        "branches-0-name": "大额销售",
        "branches-0-field": "amount",
        "branches-0-op": "gt",
        "branches-0-value": "50000",
        "branches-1-branch": "1",
        "branches-1-field": "submitter.department",
        "branches-1-op": "within",
        "branches-1-department": str(office.sales_dept.pk),
        **_management("steps", 2),
        "steps-0-place": "b1",
        "steps-0-kind": "approve",
        "steps-0-name": "销售总监",
        "steps-0-approver_kind": "user",
        "steps-0-users": [str(office.director.pk)],
        "steps-0-mode": "all",
        "steps-1-place": "default",
        "steps-1-kind": "approve",
        "steps-1-name": "总经理",
        "steps-1-approver_kind": "user",
        "steps-1-users": [str(office.gm.pk)],
        "steps-1-mode": "all",
    }
    response = web.post(reverse("approvals:template_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    template = ApprovalTemplate.objects.get(company=company, code="deal")
    split = next(n for n in template.current_version.flow["nodes"] if n["type"] == "condition")
    assert [(b["name"], b["when"]) for b in split["branches"]] == [
        (
            "大额销售",
            [
                {"field": "amount", "op": "gt", "value": "50000"},
                {"field": "submitter.department", "op": "within", "value": str(office.sales_dept.pk)},
            ],
        )
    ]

    url = reverse("approvals:template_edit", args=[template.pk])
    page = web.get(url)
    assert page.status_code == 200
    rows = [f.initial for f in page.context["branch_set"].initial_forms]
    assert [(r["branch"], r["field"], r["op"]) for r in rows] == [
        (1, "amount", "gt"),
        (1, "submitter.department", "within"),
    ]
    body = page.content.decode()
    assert 'value="50000"' in body and f'value="{office.sales_dept.pk}" selected' in body
    resaved = web.post(url, _as_posted(page))
    assert resaved.status_code == 302, resaved.content.decode()[:3000]
    template.refresh_from_db()
    assert template.current_version.number == 1

    names = {n["id"]: n.get("name") for n in template.current_version.flow["nodes"]}

    def steps(submitter, amount: str) -> list[str]:
        instance = approval_instance_create(
            actor=submitter, company=company, template=template, values={"amount": amount}
        )
        return [names[n] for n in instance.path if names.get(n)]

    assert steps(office.alice, "80000") == ["销售总监"]
    assert steps(office.alice, "100") == ["总经理"]
    assert steps(office.hr, "80000") == ["总经理"]
    assert steps(office.gm, "80000") == ["总经理"]


def test_designer_refuses_branch_numbers_with_a_gap(company, web, lead):
    data = _asset_design(
        lead,
        outcome="",
        **_management("branches", 1),
        **{
            "branches-0-branch": "2",
            "branches-0-field": "reason",
            "branches-0-op": "eq",
            "branches-0-value": "x",
        },
    )
    response = web.post(reverse("approvals:template_create"), data)
    assert response.status_code == 400 and "without gaps" in response.content.decode()
    assert not ApprovalTemplate.objects.filter(company=company, code="asset").exists()


def _asset_design(lead, **changes) -> dict:
    data = {
        "code": "asset",
        "name": "固定资产申购",
        "empty_approver": "skip",
        "dedupe": "on",
        "is_active": "on",
        "outcome": "purchasing.requisition",
        **_management("fields", 2),
        "fields-0-key": "items",
        "fields-0-label": "申购明细",
        "fields-0-type": "table",
        "fields-0-required": "on",
        "fields-0-columns": "sku, 商品编码, text, required\nquantity，数量，number，必填\nunit_price, 预估单价, money",
        "fields-1-key": "reason",
        "fields-1-label": "申购理由",
        "fields-1-type": "text",
        **_management("branches", 0),
        **_management("steps", 1),
        "steps-0-place": "before",
        "steps-0-kind": "approve",
        "steps-0-name": "主管",
        "steps-0-approver_kind": "user",
        "steps-0-users": [str(lead.pk)],
        "steps-0-mode": "all",
    }
    return {**data, **changes}


def test_designer_creates_a_template_with_an_outcome_and_its_table(company, web, lead):
    page = web.get(reverse("approvals:template_create")).content.decode()
    assert 'name="outcome"' in page and 'value="purchasing.requisition"' in page
    assert "<textarea" in page and 'name="fields-0-columns"' in page
    response = web.post(reverse("approvals:template_create"), _asset_design(lead))
    assert response.status_code == 302, response.content.decode()[:3000]
    template = ApprovalTemplate.objects.get(company=company, code="asset")
    assert template.outcome == "purchasing.requisition"
    assert template.current_version.form[0]["columns"] == [
        {"key": "sku", "label": "商品编码", "type": "text", "required": True},
        {"key": "quantity", "label": "数量", "type": "number", "required": True},
        {"key": "unit_price", "label": "预估单价", "type": "money"},
    ]
    edit = web.get(reverse("approvals:template_edit", args=[template.pk])).content.decode()
    assert "sku, 商品编码, text, required" in edit
    assert 'name="outcome"' in edit and "disabled" in edit.split('name="outcome"')[1].split(">")[0]
    saved = web.post(
        reverse("approvals:template_edit", args=[template.pk]),
        _asset_design(lead, code="asset", outcome="", name="资产申购", version=template.version),
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    template.refresh_from_db()
    assert template.name == "资产申购" and template.outcome == "purchasing.requisition"
    assert (
        "Create an approved purchase requisition"
        in web.get(reverse("approvals:template_list")).content.decode()
    )


def test_designer_refuses_an_outcome_the_form_lacks_fields_for(company, web, lead):
    data = _asset_design(lead, **{"fields-0-columns": "sku, 商品编码, text"})
    response = web.post(reverse("approvals:template_create"), data)
    assert response.status_code == 400
    assert "quantity" in response.content.decode()
    assert not ApprovalTemplate.objects.filter(company=company, code="asset").exists()


def test_json_view_of_an_outcome_template_names_its_fields_and_keeps_them(company, web, lead):
    web.post(reverse("approvals:template_create"), _asset_design(lead))
    template = ApprovalTemplate.objects.get(company=company, code="asset")
    url = reverse("approvals:template_json", args=[template.pk])
    page = web.get(url).content.decode()
    assert "On approval: Create an approved purchase requisition" in page and "sku Text" in page
    current = template.current_version
    response = web.post(
        url,
        {"form": json.dumps(current.form[1:]), "flow": json.dumps(current.flow), "version": template.version},
    )
    assert response.status_code == 400 and "outcome" in response.content.decode()
    template.refresh_from_db()
    assert template.current_version.number == 1


def test_document_field_labels_read_in_the_readers_language(company, admin, staff, lead):
    form = [{"key": "supplier", "label": "Supplier", "type": "text"}]
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
    instance = approval_instance_create(
        actor=staff, company=company, template=template, values={"supplier": "华东纸业"}
    )
    client = client_for(staff)
    client.cookies["django_language"] = "zh-hans"
    detail = client.get(reverse("approvals:instance_detail", args=[instance.pk])).content.decode()
    assert "<th>供应商</th>" in detail
    new = client.get(reverse("approvals:request_create", args=[template.pk])).content.decode()
    assert "供应商" in new and "Supplier" not in new
    client.cookies["django_language"] = "en"
    detail = client.get(reverse("approvals:instance_detail", args=[instance.pk])).content.decode()
    assert "<th>Supplier</th>" in detail


def test_designer_shows_the_engines_reasons_and_saves_nothing(company, web):
    data = {
        "code": "broken",
        "name": "坏",
        "empty_approver": "skip",
        **_management("fields", 1),
        "fields-0-key": "kind",
        "fields-0-label": "类别",
        "fields-0-type": "choice",
        **_management("branches", 0),
        **_management("steps", 1),
        "steps-0-place": "before",
        "steps-0-kind": "approve",
        "steps-0-approver_kind": "role",
        "steps-0-role": "",
        "steps-0-mode": "all",
    }
    response = web.post(reverse("approvals:template_create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="help is-danger"' in body or "notification is-danger" in body
    assert not ApprovalTemplate.objects.filter(company=company, code="broken").exists()


def test_designer_add_a_row_keeps_what_was_typed(company, web):
    data = {
        "code": "x",
        "name": "草稿",
        "empty_approver": "skip",
        "add_fields": "1",
        **_management("fields", 1),
    }
    data.update({"fields-0-key": "a", "fields-0-label": "甲", "fields-0-type": "text"})
    data.update({**_management("branches", 0), **_management("steps", 0)})
    response = web.post(reverse("approvals:template_create"), data)
    body = response.content.decode()
    assert 'name="fields-1-key"' in body and "甲" in body
    assert not ApprovalTemplate.objects.filter(company=company, code="x").exists()


def test_json_view_saves_a_new_version(company, web, leave):
    current = leave.current_version
    flow = dict(current.flow, dedupe=False)

    response = web.post(
        reverse("approvals:template_json", args=[leave.pk]),
        {"form": json.dumps(current.form), "flow": json.dumps(flow), "version": leave.version},
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.current_version.number == 2 and leave.current_version.flow["dedupe"] is False


def test_delegation_page(company, boss, lead, staff, leave):
    client = client_for(boss)
    today = datetime.date.today()
    client.post(
        reverse("approvals:delegation_list"),
        {
            "deputy": str(lead.pk),
            "start": today.isoformat(),
            "end": (today + datetime.timedelta(days=2)).isoformat(),
        },
    )
    delegation = Delegation.objects.get(company=company, user=boss)
    assert delegation.deputy == lead and delegation.is_active
    instance = approval_instance_create(actor=staff, company=company, template=leave, values={"days": "1"})
    approval_task_approve(actor=lead, company=company, instance=instance)
    client.post(reverse("approvals:delegation_end", args=[delegation.pk]))
    delegation.refresh_from_db()
    assert not delegation.is_active


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_pages_render_in_both_languages(company, staff, lead, request_, lang):
    client = client_for(lead)
    client.cookies["django_language"] = lang
    assert client.get(reverse("approvals:instance_detail", args=[request_.pk])).status_code == 200
    assert client.get(reverse("approvals:pending_list")).status_code == 200
