"""An office to approve in: a general manager, a sales department with its director and two
salespeople, two finance clerks and an HR officer."""

from dataclasses import dataclass

import pytest

from conftest import make_member
from heyi.platform.models import Company, Department, User
from heyi.platform.services.tenancy import department_create, employee_create

from ..services.templates import approval_template_create

FORM = [
    {"key": "amount", "label": "金额", "type": "money", "required": True},
    {"key": "reason", "label": "事由", "type": "text"},
    {"key": "reviewer", "label": "指定审核人", "type": "person"},
]


@dataclass
class Office:
    company: Company
    admin: User
    gm: User
    director: User
    alice: User
    bob: User
    fin1: User
    fin2: User
    hr: User
    sales_dept: Department


@pytest.fixture
def office(company, admin) -> Office:
    head_office = department_create(actor=admin, company=company, name="总经办")
    sales_dept = department_create(actor=admin, company=company, name="销售部", parent=head_office)
    gm = make_member(company, "gm", roles=["employee"])
    gm_emp = employee_create(actor=admin, company=company, name="总经理", user=gm, department=head_office)
    director = make_member(company, "director", roles=["sales_manager"])
    director_emp = employee_create(
        actor=admin, company=company, name="销售总监", user=director, department=sales_dept, manager=gm_emp
    )
    alice = make_member(company, "alice", roles=["sales"])
    employee_create(
        actor=admin, company=company, name="爱丽丝", user=alice, department=sales_dept, manager=director_emp
    )
    bob = make_member(company, "bob", roles=["sales"])
    employee_create(actor=admin, company=company, name="鲍勃", user=bob, department=sales_dept)
    sales_dept.manager = director_emp
    sales_dept.save()
    head_office.manager = gm_emp
    head_office.save()
    fin1 = make_member(company, "fin1", roles=["finance"])
    fin2 = make_member(company, "fin2", roles=["finance"])
    hr = make_member(company, "hr", roles=["hr"])
    return Office(company, admin, gm, director, alice, bob, fin1, fin2, hr, sales_dept)


def step(node_id: str, approvers: list[dict], nxt: str, **options) -> dict:
    return {"id": node_id, "type": "approve", "name": node_id, "approvers": approvers, "next": nxt, **options}


def flow(*nodes: dict, **policies) -> dict:
    first = nodes[0]["id"] if nodes else "end"
    return {
        "nodes": [{"id": "start", "type": "start", "next": first}, *nodes, {"id": "end", "type": "end"}],
        **policies,
    }


def role(code: str) -> dict:
    return {"kind": "role", "role": code}


def user(u: User) -> dict:
    return {"kind": "user", "user": str(u.pk)}


MANAGER = {"kind": "manager", "levels": 1}


@pytest.fixture
def make_template(office):
    def make(the_flow: dict, code: str = "expense", form=None):
        return approval_template_create(
            actor=office.hr,
            company=office.company,
            code=code,
            name="费用申请",
            form=form or FORM,
            flow=the_flow,
        )

    return make
