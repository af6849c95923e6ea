"""Demo purchasing for 示例科技有限公司: price history, requisitions, open orders, a receipt
with a rejected part and a draft return of it to the supplier; with OA on, approval templates for requisitions and orders, a large
requisition waiting for the general manager and a small one approved by the manager. The second
demo company buys nothing yet."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from heyi.approvals.models import ApprovalInstance
from heyi.approvals.services.instances import approval_instance_create
from heyi.approvals.services.tasks import approval_task_approve
from heyi.approvals.services.templates import approval_template_create, template_for_document
from heyi.catalog.models import Product
from heyi.inventory.models import Warehouse
from heyi.partners.models import Partner
from heyi.platform import modules
from heyi.platform.access import module_enabled
from heyi.platform.demo import DEMO_PASSWORD, SECOND_CODE
from heyi.platform.models import Company, Employee, User
from heyi.platform.services.tenancy import department_update, employee_create, employee_update, membership_add

from . import asset_requests
from .approval import ORDER, REQUISITION
from .services.orders import (
    OrderLineIn,
    purchase_order_close,
    purchase_order_confirm,
    purchase_order_create,
    purchase_order_from_requisitions,
)
from .services.receipts import (
    InspectionIn,
    ReceiptLineIn,
    ReturnLineIn,
    purchase_return_create,
    receipt_confirm,
    receipt_create,
    receipt_inspect,
)
from .services.requisitions import RequisitionLineIn, purchase_requisition_create, purchase_requisition_submit

D = Decimal

# supplier (short name), SKU, quantity, price, days ago: orders already received and closed
HISTORY = [
    ("太湖元器件", "RES-0603-10K", "20000", "0.0062", 120),
    ("太湖元器件", "CAP-0603-100N", "20000", "0.0093", 120),
    ("长安五金", "RES-0603-10K", "10000", "0.0058", 60),
    ("太湖元器件", "CON-USB-C16", "3000", "0.37", 45),
    ("长安五金", "CON-USB-C16", "2000", "0.39", 20),
    ("苏顺包装", "CON-A4-70G", "200", "16.5", 30),
    ("苏顺包装", "CON-TN-CF228", "20", "318", 25),
]


def load(company: Company, people: dict) -> None:
    if company.code == SECOND_CODE:
        return
    users = people["users"]
    buyer, keeper = users.get("purchasing", people["admin"]), users.get("warehouse", people["admin"])
    clerk = users.get("employee", people["admin"])
    suppliers = {p.short_name: p for p in Partner.objects.filter(company=company, is_supplier=True)}
    products = {p.sku: p for p in Product.objects.filter(company=company)}
    store = Warehouse.objects.filter(company=company, kind=Warehouse.Kind.STOCK).order_by("code").first()
    if store is None or not {s for s, *_ in HISTORY} <= set(suppliers):
        return
    today = timezone.localdate()
    with transaction.atomic():
        for short, sku, quantity, price, days in HISTORY:
            order = purchase_order_create(
                actor=buyer,
                company=company,
                supplier=suppliers[short],
                order_date=today - datetime.timedelta(days=days),
                warehouse=store,
                lines=[OrderLineIn(product=products[sku], quantity=D(quantity), unit_price=D(price))],
            )
            purchase_order_confirm(actor=buyer, company=company, order=order)
            receipt = receipt_create(
                actor=keeper,
                company=company,
                order=order,
                lines=[ReceiptLineIn(order_line=order.lines.get(), quantity=D(quantity))],
                received_date=today - datetime.timedelta(days=days - 3),
            )
            receipt_confirm(actor=keeper, company=company, receipt=receipt)
            purchase_order_close(actor=buyer, company=company, order=order)

        # 陈员工 asks for paper and toner (a draft), and for USB sockets (approved, not yet ordered).
        purchase_requisition_create(
            actor=clerk,
            company=company,
            notes="行政部月度耗材",
            lines=[
                RequisitionLineIn(product=products["CON-A4-70G"], quantity=D(50), reason="复印纸月度用量"),
                RequisitionLineIn(product=products["CON-TN-CF228"], quantity=D(4), reason="打印机硒鼓备用"),
            ],
        )
        sockets = purchase_requisition_create(
            actor=buyer,
            company=company,
            lines=[
                RequisitionLineIn(
                    product=products["CON-USB-C16"],
                    quantity=D(5000),
                    needed_by=today + datetime.timedelta(days=14),
                    reason="新产品试产备料",
                )
            ],
        )
        purchase_requisition_submit(actor=buyer, company=company, requisition=sockets)

        # An approved requisition ordered at the best recent price, confirmed and still open.
        resistors = purchase_requisition_create(
            actor=buyer,
            company=company,
            lines=[RequisitionLineIn(product=products["RES-0603-10K"], quantity=D(30000), reason="生产备料")],
        )
        purchase_requisition_submit(actor=buyer, company=company, requisition=resistors)
        for order in purchase_order_from_requisitions(actor=buyer, company=company, requisitions=[resistors]):
            purchase_order_confirm(actor=buyer, company=company, order=order)

        # Toner partly received; two cartridges rejected at inspection went to quarantine.
        toner = purchase_order_create(
            actor=buyer,
            company=company,
            supplier=suppliers["苏顺包装"],
            warehouse=store,
            expected_date=today + datetime.timedelta(days=7),
            lines=[
                OrderLineIn(product=products["CON-TN-CF228"], quantity=D(20), unit_price=D("315")),
                OrderLineIn(product=products["CON-A4-70G"], quantity=D(100), unit_price=D("16.2")),
            ],
        )
        purchase_order_confirm(actor=buyer, company=company, order=toner)
        toner_line = toner.lines.get(product=products["CON-TN-CF228"])
        receipt = receipt_create(
            actor=keeper,
            company=company,
            order=toner,
            delivery_note="SS-20261120-01",
            lines=[ReceiptLineIn(order_line=toner_line, quantity=D(12), batch_code="TN2611")],
        )
        receipt_inspect(
            actor=keeper,
            company=company,
            receipt=receipt,
            results=[
                InspectionIn(receipt.lines.get(), accepted=D(10), rejected=D(2), reason="包装破损，漏粉")
            ],
        )
        receipt_confirm(actor=keeper, company=company, receipt=receipt)
        purchase_return_create(
            actor=keeper,
            company=company,
            receipt=receipt,
            reason="包装破损退回供应商",
            lines=[ReturnLineIn(receipt_line=receipt.lines.get(), quantity=D(2), from_quarantine=True)],
        )
        if module_enabled(company, modules.OA) and {"employee", "sales_manager"} <= set(users):
            _approvals(company, people, products)


def _purchasing_manager(company: Company, people: dict) -> Employee:
    """采购部 gets a head, who approves orders and is 孙采购's manager."""
    admin, department = people["admin"], people["departments"]["采购部"]
    user, created = User.objects.get_or_create(
        username="purchasing_manager",
        defaults={"display_name": "刘经理", "email": "purchasing_manager@demo.heyi.local"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    membership_add(actor=None, company=company, user=user, role_codes=["purchasing"])
    head = employee_create(
        actor=admin,
        company=company,
        name="刘经理",
        user=user,
        department=department,
        position="采购经理",
        manager=people["employees"].get("admin"),
    )
    department_update(
        actor=admin, company=company, department=department, data={"manager": head}, version=None
    )
    buyer = people["employees"].get("purchasing")
    if buyer is not None:
        employee_update(actor=admin, company=company, employee=buyer, data={"manager": head}, version=None)
    return head


def _approvals(company: Company, people: dict, products: dict) -> None:
    admin, users = people["admin"], people["users"]
    if template_for_document(company, REQUISITION) is None:
        approval_template_create(
            actor=admin,
            company=company,
            code="purchase_requisition",
            name="请购审批",
            category="采购",
            document_type=REQUISITION,
            description="部门负责人审批；预估金额超过 5 万元再经总经理审批；抄送采购部。",
            flow={
                "empty_approver": "admin",
                "nodes": [
                    {"id": "start", "type": "start", "next": "head"},
                    {
                        "id": "head",
                        "type": "approve",
                        "name": "部门负责人",
                        "approvers": [{"kind": "manager", "levels": 1}],
                        "next": "amount",
                    },
                    {
                        "id": "amount",
                        "type": "condition",
                        "name": "金额",
                        "branches": [
                            {
                                "name": "超过 5 万元",
                                "when": [{"field": "amount", "op": "gt", "value": "50000"}],
                                "next": "gm",
                            }
                        ],
                        "default": "copy",
                    },
                    {
                        "id": "gm",
                        "type": "approve",
                        "name": "总经理",
                        "approvers": [{"kind": "role", "role": "admin"}],
                        "next": "copy",
                    },
                    {
                        "id": "copy",
                        "type": "cc",
                        "name": "抄送采购部",
                        "recipients": [{"kind": "role", "role": "purchasing"}],
                        "next": "end",
                    },
                    {"id": "end", "type": "end"},
                ],
            },
        )
    if template_for_document(company, ORDER) is None:
        head = _purchasing_manager(company, people)
        approval_template_create(
            actor=admin,
            company=company,
            code="purchase_order",
            name="采购订单审批",
            category="采购",
            document_type=ORDER,
            description="采购经理审批；含税金额超过 10 万元再经财务审批。",
            flow={
                "empty_approver": "admin",
                "nodes": [
                    {"id": "start", "type": "start", "next": "purchasing"},
                    {
                        "id": "purchasing",
                        "type": "approve",
                        "name": "采购经理",
                        "approvers": [{"kind": "department_head", "department": str(head.department_id)}],
                        "next": "amount",
                    },
                    {
                        "id": "amount",
                        "type": "condition",
                        "name": "金额",
                        "branches": [
                            {
                                "name": "超过 10 万元",
                                "when": [{"field": "amount", "op": "gt", "value": "100000"}],
                                "next": "finance",
                            }
                        ],
                        "default": "end",
                    },
                    {
                        "id": "finance",
                        "type": "approve",
                        "name": "财务",
                        "mode": "any",
                        "approvers": [{"kind": "role", "role": "finance"}],
                        "next": "end",
                    },
                    {"id": "end", "type": "end"},
                ],
            },
        )
    # 陈员工 asks for a year of toner (waiting for 王总) and for paper (approved by 张经理).
    clerk, manager = users["employee"], users["sales_manager"]
    toner = purchase_requisition_create(
        actor=clerk,
        company=company,
        notes="全年打印耗材集中采购",
        lines=[
            RequisitionLineIn(
                product=products["CON-TN-CF228"], quantity=D(200), unit_price=D("318"), reason="全年硒鼓用量"
            )
        ],
    )
    paper = purchase_requisition_create(
        actor=clerk,
        company=company,
        lines=[RequisitionLineIn(product=products["CON-A4-70G"], quantity=D(20), reason="展会资料打印")],
    )
    for requisition in (toner, paper):
        purchase_requisition_submit(actor=clerk, company=company, requisition=requisition)
        request = ApprovalInstance.objects.get(
            company=company, document_type=REQUISITION, document_id=str(requisition.pk)
        )
        approval_task_approve(actor=manager, company=company, instance=request, comment="同意")
    _asset_requests(company, people)


def _asset_requests(company: Company, people: dict) -> None:
    """固定资产申购: the manager, then finance; approved, it becomes a requisition. 陈员工 asks
    for a projector for the meeting room (approved, now a requisition) and for a network kit
    (waiting for 张经理)."""
    admin, users = people["admin"], people["users"]
    template = approval_template_create(
        actor=admin,
        company=company,
        code="fixed_asset_request",
        name="固定资产申购",
        category="行政",
        description="直属上级审批，再经财务审批；通过后自动生成已批准的请购单。",
        outcome=asset_requests.OUTCOME,
        form=[
            {
                "key": "items",
                "label": "申购明细",
                "type": "table",
                "required": True,
                "columns": [
                    {"key": "sku", "label": "商品编码", "type": "text", "required": True},
                    {"key": "quantity", "label": "数量", "type": "number", "required": True},
                    {"key": "unit_price", "label": "预估单价", "type": "money"},
                ],
            },
            {"key": "reason", "label": "申购理由", "type": "text", "required": True},
        ],
        flow={
            "empty_approver": "admin",
            "nodes": [
                {"id": "start", "type": "start", "next": "head"},
                {
                    "id": "head",
                    "type": "approve",
                    "name": "直属上级",
                    "approvers": [{"kind": "manager", "levels": 1}],
                    "next": "finance",
                },
                {
                    "id": "finance",
                    "type": "approve",
                    "name": "财务审批",
                    "mode": "any",
                    "approvers": [{"kind": "role", "role": "finance"}],
                    "next": "end",
                },
                {"id": "end", "type": "end"},
            ],
        },
    )
    clerk, manager, accountant = users["employee"], users["sales_manager"], users["finance"]
    projector = approval_instance_create(
        actor=clerk,
        company=company,
        template=template,
        title="会议室投影仪",
        values={
            "items": [{"sku": "PRJ-EP-CB2247", "quantity": "1", "unit_price": "3860.00"}],
            "reason": "三楼会议室投影仪损坏，无法维修",
        },
    )
    approval_task_approve(actor=manager, company=company, instance=projector, comment="同意")
    approval_task_approve(actor=accountant, company=company, instance=projector, comment="预算内，同意")
    approval_instance_create(
        actor=clerk,
        company=company,
        template=template,
        title="新办公室组网",
        values={"items": [{"sku": "KIT-NET-SMB", "quantity": "1"}], "reason": "新租办公室需要组网"},
    )
