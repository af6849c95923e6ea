"""Business documents under approval, told as the people who submit and decide them.

陈员工 of 行政部 asks for 200 toner cartridges, over 50,000 yuan: her manager 李经理 agrees,
then 王总 as general manager, and in that same decision the requisition is approved in
purchasing and 孙采购 is copied. A small requisition is turned down by 李经理 with a reason,
which 陈员工 reads on the requisition's own page. 钱会计's large supplier payment needs both
other finance people: it reaches the ledger only with the second signature. 陈员工 takes an
expense claim back before anyone decided: it is a draft again. Without a template, or with OA
switched off, documents are approved on submission as before.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_member
from heyi.approvals.models import ApprovalCc, ApprovalInstance, ApprovalTask
from heyi.approvals.services.instances import approval_withdraw
from heyi.approvals.services.tasks import approval_task_approve, approval_task_reject
from heyi.approvals.services.templates import approval_template_create
from heyi.finance import approval as finance_approval
from heyi.finance.models import Account, ExpenseClaim, Payment, Voucher
from heyi.finance.services.common import finance_settings
from heyi.finance.services.expenses import expense_claim_create, expense_claim_submit
from heyi.finance.services.payments import payment_create, payment_submit
from heyi.inventory.tests.factories import make_product
from heyi.partners.services.partners import partner_create
from heyi.platform import modules
from heyi.platform.services.tenancy import company_module_set, department_create, employee_create
from heyi.purchasing import approval as purchasing_approval
from heyi.purchasing.models import PurchaseOrder, PurchaseRequisition
from heyi.purchasing.services.orders import OrderLineIn, purchase_order_confirm, purchase_order_create
from heyi.purchasing.services.requisitions import (
    RequisitionLineIn,
    purchase_requisition_create,
    purchase_requisition_submit,
)

D = Decimal
TODAY = datetime.date.today()


def approve(node_id: str, approvers: list[dict], nxt: str, **options) -> dict:
    return {"id": node_id, "type": "approve", "name": node_id, "approvers": approvers, "next": nxt, **options}


def role(code: str) -> dict:
    return {"kind": "role", "role": code}


MANAGER = {"kind": "manager", "levels": 1}


@pytest.fixture
def office(company, admin):
    finance_settings(company)
    admin_office = department_create(actor=admin, company=company, name="行政部")
    li = make_member(company, "li", roles=["employee"])
    li_emp = employee_create(actor=admin, company=company, name="李经理", user=li, department=admin_office)
    chen = make_member(company, "chen", roles=["employee"])
    employee_create(
        actor=admin, company=company, name="陈员工", user=chen, department=admin_office, manager=li_emp
    )
    people = {
        "admin": admin,
        "li": li,
        "chen": chen,
        "buyer": make_member(company, "sun", roles=["purchasing"]),
        "qian": make_member(company, "qian", roles=["finance"]),
        "fin2": make_member(company, "fin2", roles=["finance"]),
        "fin3": make_member(company, "fin3", roles=["finance"]),
        "toner": make_product(company, admin, "CON-TN-CF228", "惠普硒鼓 CF228A", purchase_price=D("330")),
        "supplier": partner_create(actor=admin, company=company, name="宁波耗材有限公司", is_supplier=True),
    }
    approval_template_create(
        actor=admin,
        company=company,
        code="requisitions",
        name="请购审批",
        document_type=purchasing_approval.REQUISITION,
        flow={
            "nodes": [
                {"id": "start", "type": "start", "next": "head"},
                approve("head", [MANAGER], "size"),
                {
                    "id": "size",
                    "type": "condition",
                    "branches": [{"when": [{"field": "amount", "op": "gt", "value": "50000"}], "next": "gm"}],
                    "default": "copy",
                },
                approve("gm", [role("admin")], "copy"),
                {"id": "copy", "type": "cc", "recipients": [role("purchasing")], "next": "end"},
                {"id": "end", "type": "end"},
            ]
        },
    )
    approval_template_create(
        actor=admin,
        company=company,
        code="payments",
        name="付款审批",
        document_type=finance_approval.PAYMENT,
        flow={
            "nodes": [
                {"id": "start", "type": "start", "next": "size"},
                {
                    "id": "size",
                    "type": "condition",
                    "branches": [
                        {"when": [{"field": "amount", "op": "gt", "value": "50000"}], "next": "both"}
                    ],
                    "default": "one",
                },
                approve("both", [role("finance")], "end", mode="all"),
                approve("one", [role("finance")], "end", mode="any"),
                {"id": "end", "type": "end"},
            ]
        },
    )
    approval_template_create(
        actor=admin,
        company=company,
        code="claims",
        name="报销审批",
        document_type=finance_approval.EXPENSE_CLAIM,
        flow={
            "nodes": [
                {"id": "start", "type": "start", "next": "head"},
                approve("head", [MANAGER], "finance"),
                approve("finance", [role("finance")], "end", mode="any"),
                {"id": "end", "type": "end"},
            ]
        },
    )
    return people


def request_of(document) -> ApprovalInstance:
    return ApprovalInstance.objects.filter(document_id=str(document.pk)).latest("submitted_at")


def pending_for(instance: ApprovalInstance) -> set[str]:
    return set(
        ApprovalTask.objects.filter(instance=instance, state=ApprovalTask.State.PENDING).values_list(
            "assignee__username", flat=True
        )
    )


def requisition_of(company, office, quantity: str) -> PurchaseRequisition:
    requisition = purchase_requisition_create(
        actor=office["chen"],
        company=company,
        lines=[RequisitionLineIn(product=office["toner"], quantity=D(quantity), reason="打印机硒鼓")],
    )
    return purchase_requisition_submit(actor=office["chen"], company=company, requisition=requisition)


def test_a_large_requisition_goes_to_the_manager_then_the_general_manager(company, office):
    requisition = requisition_of(company, office, "200")  # 200 x 330 = 66,000 estimated
    assert requisition.status == "submitted"
    request = request_of(requisition)
    assert request.values["amount"] == "66000.00" and request.path == ["start", "head", "gm", "copy", "end"]
    assert pending_for(request) == {"li"}

    approval_task_approve(actor=office["li"], company=company, instance=request)
    requisition.refresh_from_db()
    assert requisition.status == "submitted" and pending_for(request) == {"admin"}

    approval_task_approve(actor=office["admin"], company=company, instance=request, comment="同意采购")
    requisition.refresh_from_db()
    assert (requisition.status, requisition.decided_by) == ("approved", office["admin"])
    assert ApprovalCc.objects.filter(instance=request, user=office["buyer"]).exists()


def test_a_rejected_requisition_shows_why_on_its_page(company, office):
    requisition = requisition_of(company, office, "2")
    request = request_of(requisition)
    assert request.path == ["start", "head", "copy", "end"], "small amounts need no general manager"
    approval_task_reject(actor=office["li"], company=company, instance=request, comment="本月耗材预算已用完")
    requisition.refresh_from_db()
    assert requisition.status == "rejected"

    web = Client()
    web.force_login(office["chen"])
    page = web.get(reverse("purchasing:requisition_detail", args=[requisition.pk])).content.decode()
    assert "本月耗材预算已用完" in page and request.number in page
    assert reverse("approvals:instance_detail", args=[request.pk]) in page


def test_a_large_supplier_payment_posts_only_with_both_signatures(company, office):
    payment = payment_create(
        actor=office["qian"],
        company=company,
        kind=Payment.Kind.SUPPLIER_PAYMENT,
        partner=office["supplier"],
        payment_date=TODAY,
        amount="80000",
        account=Account.objects.get(company=company, code="1002"),
    )
    payment_submit(actor=office["qian"], company=company, payment=payment)
    request = request_of(payment)
    assert pending_for(request) == {"fin2", "fin3"}, "the submitter does not sign their own payment"

    approval_task_approve(actor=office["fin2"], company=company, instance=request)
    payment.refresh_from_db()
    assert (payment.state, payment.voucher_id) == ("submitted", None)
    assert not Voucher.objects.filter(company=company, source_id=str(payment.pk)).exists()

    approval_task_approve(actor=office["fin3"], company=company, instance=request)
    payment.refresh_from_db()
    assert payment.state == "posted" and payment.number.startswith("PY-")
    voucher = Voucher.objects.get(company=company, source_id=str(payment.pk))
    assert voucher.state == Voucher.State.POSTED and payment.voucher == voucher


def test_an_expense_claim_taken_back_before_any_decision_is_a_draft_again(company, office):
    claim = expense_claim_create(
        actor=office["chen"],
        company=company,
        description="上海客户拜访",
        claim_date=TODAY,
        lines=[
            {
                "account": Account.objects.get(company=company, code="560202"),
                "description": "高铁",
                "amount": "553.00",
            }
        ],
    )
    expense_claim_submit(actor=office["chen"], company=company, claim=claim)
    claim.refresh_from_db()
    request = request_of(claim)
    assert claim.state == "submitted" and pending_for(request) == {"li"}

    approval_withdraw(actor=office["chen"], company=company, instance=request, comment="发票拿错了")
    claim.refresh_from_db()
    request.refresh_from_db()
    assert (claim.state, claim.voucher_id) == (ExpenseClaim.State.DRAFT, None)
    assert request.state == ApprovalInstance.State.WITHDRAWN and pending_for(request) == set()


def test_without_a_template_or_with_oa_off_documents_are_approved_at_once(company, office):
    order = purchase_order_create(
        actor=office["buyer"],
        company=company,
        supplier=office["supplier"],
        lines=[OrderLineIn(product=office["toner"], quantity=D(500))],
    )
    order = purchase_order_confirm(actor=office["buyer"], company=company, order=order)
    assert order.status == PurchaseOrder.Status.CONFIRMED, "no template approves purchase orders"

    company_module_set(actor=office["admin"], company=company, module=modules.OA, enabled=False)
    requisition = requisition_of(company, office, "200")
    assert requisition.status == "approved"
    assert not ApprovalInstance.objects.filter(company=company).exists()


def test_a_requisition_cancelled_during_its_approval_ends_the_request(company, office):
    from heyi.purchasing.services.requisitions import purchase_requisition_cancel

    requisition = requisition_of(company, office, "200")
    request = request_of(requisition)
    purchase_requisition_cancel(actor=office["chen"], company=company, requisition=requisition)
    request.refresh_from_db()
    assert request.state == ApprovalInstance.State.WITHDRAWN
    assert not pending_for(request)
    requisition.refresh_from_db()
    assert requisition.status == "cancelled"


def test_a_fixed_asset_request_approved_by_manager_and_finance_becomes_a_requisition(company, office):
    from heyi.approvals.errors import InvalidValues
    from heyi.approvals.services.instances import approval_instance_create
    from heyi.purchasing import asset_requests

    template = approval_template_create(
        actor=office["admin"],
        company=company,
        code="assets",
        name="固定资产申购",
        outcome=asset_requests.OUTCOME,
        form=[
            {
                "key": "items",
                "label": "明细",
                "type": "table",
                "columns": [
                    {"key": "sku", "label": "编码", "type": "text"},
                    {"key": "quantity", "label": "数量", "type": "number"},
                ],
            },
            {"key": "reason", "label": "理由", "type": "text"},
        ],
        flow={
            "nodes": [
                {"id": "start", "type": "start", "next": "head"},
                approve("head", [MANAGER], "finance"),
                approve("finance", [role("finance")], "end", mode="any"),
                {"id": "end", "type": "end"},
            ]
        },
    )
    with pytest.raises(InvalidValues) as unknown:
        approval_instance_create(
            actor=office["chen"],
            company=company,
            template=template,
            values={"items": [{"sku": "NOPE", "quantity": "1"}]},
        )
    assert "items.0.sku" in unknown.value.fields
    request = approval_instance_create(
        actor=office["chen"],
        company=company,
        template=template,
        values={"items": [{"sku": "CON-TN-CF228", "quantity": "3"}], "reason": "新打印机备用"},
    )
    approval_task_approve(actor=office["li"], company=company, instance=request)
    assert not PurchaseRequisition.objects.filter(company=company).exists()
    approval_task_approve(actor=office["qian"], company=company, instance=request)
    requisition = PurchaseRequisition.objects.get(company=company)
    assert (requisition.status, requisition.owner) == ("approved", office["chen"])
    line = requisition.lines.get()
    assert (line.product, line.quantity, line.origin_reference) == (office["toner"], D(3), request.number)


def test_a_documents_approval_is_found_through_the_api(company, office, api_as):
    requisition = requisition_of(company, office, "2")
    found = api_as(office["chen"], company).get(
        "/approvals", document_type="purchasing.requisition", document_id=str(requisition.pk)
    )
    assert found.status_code == 200
    [item] = found.json()["items"]
    assert item["number"] == request_of(requisition).number and item["state"] == "running"
    assert (
        api_as(office["chen"], company).get("/approvals", document_type="finance.payment").json()["count"]
        == 0
    )
