"""The demo company's own approval templates: a general request anyone can start (通用审批),
with one request waiting for a decision and one already approved; 王总 has 张经理 stand in for
him during next week's business trip. The document templates
(requisitions, payments, expense claims, leave) come with their apps' demos."""

import datetime

from django.utils import timezone

from heyi.platform import modules
from heyi.platform.access import module_enabled
from heyi.platform.models import Company

from .services.delegations import delegation_create
from .services.instances import approval_instance_create
from .services.tasks import approval_task_approve
from .services.templates import approval_template_create

GENERAL_FORM = [
    {"key": "subject", "label": "事项", "type": "text", "required": True},
    {"key": "details", "label": "说明", "type": "text"},
    {"key": "amount", "label": "涉及金额", "type": "money"},
    {"key": "needed_by", "label": "期望完成日期", "type": "date"},
    {"key": "files", "label": "附件", "type": "attachment"},
]

GENERAL_FLOW = {
    "nodes": [
        {"id": "start", "type": "start", "next": "manager"},
        {
            "id": "manager",
            "type": "approve",
            "name": "直属上级审批",
            "approvers": [{"kind": "manager", "levels": 1}],
            "mode": "all",
            "deadline_hours": 24,
            "next": "amount",
        },
        {
            "id": "amount",
            "type": "condition",
            "name": "金额判断",
            "branches": [
                {
                    "name": "金额超过 5 万",
                    "when": [{"field": "amount", "op": "gt", "value": "50000"}],
                    "next": "gm",
                }
            ],
            "default": "notify",
        },
        {
            "id": "gm",
            "type": "approve",
            "name": "总经理审批",
            "approvers": [{"kind": "role", "role": "admin"}],
            "mode": "any",
            "next": "notify",
        },
        {
            "id": "notify",
            "type": "cc",
            "name": "抄送人事",
            "recipients": [{"kind": "role", "role": "hr"}],
            "next": "end",
        },
        {"id": "end", "type": "end"},
    ],
    "empty_approver": "admin",
    "dedupe": True,
}


def load(company: Company, people: dict) -> None:
    if not module_enabled(company, modules.OA):
        return
    users = people["users"]
    designer = people["admin"]
    general = approval_template_create(
        actor=designer,
        company=company,
        code="general",
        name="通用审批",
        category="行政",
        description="任何需要上级同意的事项",
        form=GENERAL_FORM,
        flow=GENERAL_FLOW,
    )
    employee, manager = users.get("employee"), users.get("sales_manager")
    if employee is None or manager is None:
        return
    trip = timezone.localdate() + datetime.timedelta(days=7)
    delegation_create(
        actor=designer, company=company, deputy=manager, start=trip, end=trip + datetime.timedelta(days=4)
    )
    approved = approval_instance_create(
        actor=employee,
        company=company,
        template=general,
        values={"subject": "申请参加华东区客户交流会", "details": "11 月 20 日，杭州", "amount": "1800.00"},
    )
    approval_task_approve(actor=manager, company=company, instance=approved, comment="同意，注意控制费用")
    approval_instance_create(
        actor=employee,
        company=company,
        template=general,
        values={
            "subject": "申请更换笔记本电脑",
            "details": "现用电脑已使用五年，经常死机",
            "amount": "6500.00",
        },
    )
