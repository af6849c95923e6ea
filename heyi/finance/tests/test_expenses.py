"""Expense claims (报销单): Zhang Wei claims his trip, finance pays him back; what the books say
at each step, and who may see or change whose claim."""

import datetime
from decimal import Decimal

import pytest

from conftest import make_member
from heyi.approvals.services.tasks import approval_task_approve, approval_task_reject
from heyi.approvals.services.templates import approval_template_create
from heyi.finance import approval
from heyi.finance.access import access_expense_claim, expense_claims_visible
from heyi.finance.errors import PeriodClosed
from heyi.finance.models import Account, ExpenseClaim, VoucherLine
from heyi.finance.selectors import account_balance
from heyi.finance.services.common import finance_settings
from heyi.finance.services.expenses import (
    expense_claim_cancel,
    expense_claim_create,
    expense_claim_pay,
    expense_claim_submit,
    expense_claim_update,
)
from heyi.finance.services.periods import period_close, period_of
from heyi.finance.tests.test_payments import one_step, request_of
from heyi.platform.errors import InvalidTransition, NotFound, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import Employee
from heyi.platform.services.tenancy import department_create

D = Decimal
TODAY = datetime.date.today()


@pytest.fixture
def books(company):
    return finance_settings(company)


def account(company, code: str) -> Account:
    return Account.objects.get(company=company, code=code)


@pytest.fixture
def market_dept(company, admin):
    return department_create(actor=admin, company=company, name="市场部")


@pytest.fixture
def zhang(company, market_dept):
    return make_member(company, "zhangwei", roles=["employee"], department=market_dept)


@pytest.fixture
def li(company, market_dept):
    return make_member(company, "lina", roles=["employee"], department=market_dept)


def trip(company) -> list[dict]:
    return [
        {"account": account(company, "560202"), "description": "高铁 杭州-上海 往返", "amount": "553.00"},
        {"account": account(company, "560203"), "description": "客户晚餐", "amount": D("820.50")},
    ]


def claim_trip(company, actor, **extra) -> ExpenseClaim:
    return expense_claim_create(
        actor=actor,
        company=company,
        description="上海客户拜访",
        claim_date=TODAY,
        lines=trip(company),
        **extra,
    )


def test_an_approved_claim_is_owed_to_the_employee_and_paying_it_settles_the_debt(
    company, books, zhang, finance, market_dept
):
    claim = claim_trip(company, zhang)
    me = Employee.objects.get(company=company, user=zhang)
    assert claim.number == f"EXP-{TODAY.year}-000001"
    assert (claim.state, claim.employee, claim.department) == ("draft", me, market_dept)
    assert claim.total_amount == D("1373.50")

    expense_claim_submit(actor=zhang, company=company, claim=claim)
    claim.refresh_from_db()
    assert claim.state == ExpenseClaim.State.APPROVED and claim.voucher.number == "记-0001"
    assert account_balance(company, "560202") == D("553.00")
    assert account_balance(company, "560203") == D("820.50")
    assert account_balance(company, "224101") == D("-1373.50")
    travel = VoucherLine.objects.get(voucher=claim.voucher, account__code="560202")
    assert (travel.employee, travel.department, travel.narration) == (me, market_dept, "高铁 杭州-上海 往返")
    owed = VoucherLine.objects.get(voucher=claim.voucher, account__code="224101")
    assert owed.employee == me and owed.credit == D("1373.50")

    bank = account(company, "1002")
    expense_claim_pay(actor=finance, company=company, claim=claim, account=bank, date=TODAY)
    claim.refresh_from_db()
    assert claim.state == ExpenseClaim.State.PAID and claim.payment_voucher.number == "付-0001"
    assert account_balance(company, "224101") == D("0.00")
    assert account_balance(company, "1002") == D("-1373.50")


def test_finance_claims_for_anyone_an_employee_only_for_themselves(company, books, zhang, li, finance):
    li_record = Employee.objects.get(company=company, user=li)
    with pytest.raises(NotPermitted):
        claim_trip(company, zhang, employee=li_record)
    claim = claim_trip(company, finance, employee=li_record)
    assert claim.employee == li_record and claim.department == li_record.department
    assert access_expense_claim(user=li, company=company, id=claim.pk) == claim


def test_another_employee_can_neither_see_nor_change_my_claim(company, books, zhang, li, finance):
    mine = claim_trip(company, zhang)
    assert list(expense_claims_visible(user=li, company=company)) == []
    with pytest.raises(NotFound):
        access_expense_claim(user=li, company=company, id=mine.pk)
    for attempt in (
        lambda: expense_claim_update(
            actor=li, company=company, claim=mine, version=mine.version, description="改了"
        ),
        lambda: expense_claim_submit(actor=li, company=company, claim=mine),
        lambda: expense_claim_cancel(actor=li, company=company, claim=mine),
    ):
        with pytest.raises(NotFound):
            attempt()
    mine.refresh_from_db()
    assert (mine.description, mine.state) == ("上海客户拜访", "draft")
    assert list(expense_claims_visible(user=finance, company=company)) == [mine]


def test_an_employee_cannot_pay_their_own_claim(company, books, zhang):
    claim = claim_trip(company, zhang)
    expense_claim_submit(actor=zhang, company=company, claim=claim)
    with pytest.raises(NotPermitted):
        expense_claim_pay(actor=zhang, company=company, claim=claim, account=account(company, "1002"))
    claim.refresh_from_db()
    assert claim.state == "approved" and account_balance(company, "224101") == D("-1373.50")


def test_a_draft_changes_its_lines_and_total_and_a_stale_edit_is_refused(company, books, zhang):
    claim = claim_trip(company, zhang)
    expense_claim_update(
        actor=zhang,
        company=company,
        claim=claim,
        version=claim.version,
        description="上海客户拜访（含住宿）",
        lines=[
            *trip(company),
            {"account": account(company, "560202"), "description": "酒店", "amount": "460"},
        ],
    )
    claim.refresh_from_db()
    assert claim.total_amount == D("1833.50") and claim.lines.count() == 3 and claim.version == 2
    with pytest.raises(StaleVersion):
        expense_claim_update(actor=zhang, company=company, claim=claim, version=1, description="旧版本")


def test_only_an_expense_or_cost_account_can_be_claimed(company, books, zhang):
    for code in ("1002", "5602", "1122", "5001"):
        with pytest.raises(ValidationFailed) as refused:
            expense_claim_create(
                actor=zhang,
                company=company,
                description="错误科目",
                lines=[{"account": account(company, code), "amount": "10"}],
            )
        assert "lines[0].account" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        expense_claim_create(
            actor=zhang,
            company=company,
            description="金额",
            lines=[{"account": account(company, "560201"), "amount": "-5"}],
        )
    assert "lines[0].amount" in refused.value.fields
    assert not ExpenseClaim.objects.filter(company=company).exists()


def test_someone_without_an_employee_record_is_told_so(company, books):
    nobody = make_member(company, "temp", roles=["employee"])
    with pytest.raises(ValidationFailed) as refused:
        claim_trip(company, nobody)
    assert "employee" in refused.value.fields


def test_a_user_without_the_claim_permission_is_refused(company, books):
    outsider_here = make_member(company, "viewer", roles=[])
    with pytest.raises(NotPermitted):
        claim_trip(company, outsider_here)


def test_paying_in_a_closed_period_is_refused_and_the_claim_stays_approved(company, books, zhang, finance):
    last_month = TODAY.replace(day=1) - datetime.timedelta(days=1)
    claim = expense_claim_create(
        actor=zhang, company=company, description="上月出差", claim_date=last_month, lines=trip(company)
    )
    expense_claim_submit(actor=zhang, company=company, claim=claim)
    period_close(actor=finance, company=company, period=period_of(company, last_month))
    with pytest.raises(PeriodClosed) as refused:
        expense_claim_pay(
            actor=finance, company=company, claim=claim, account=account(company, "1002"), date=last_month
        )
    assert refused.value.code == "period_closed"
    claim.refresh_from_db()
    assert claim.state == "approved" and claim.payment_voucher is None
    expense_claim_pay(
        actor=finance, company=company, claim=claim, account=account(company, "1002"), date=TODAY
    )
    assert account_balance(company, "224101") == D("0.00")


def test_a_cancelled_draft_cannot_be_submitted(company, books, zhang):
    claim = claim_trip(company, zhang)
    expense_claim_cancel(actor=zhang, company=company, claim=claim)
    with pytest.raises(InvalidTransition):
        expense_claim_submit(actor=zhang, company=company, claim=claim)
    assert account_balance(company, "5602") == D("0.00")


def test_with_an_approval_flow_the_claim_waits_and_posts_on_approval(company, admin, books, zhang):
    approval_template_create(
        actor=admin,
        company=company,
        code="claims",
        name="报销审批",
        document_type=approval.EXPENSE_CLAIM,
        flow=one_step(admin),
    )
    claim = claim_trip(company, zhang)
    expense_claim_submit(actor=zhang, company=company, claim=claim)
    claim.refresh_from_db()
    assert claim.state == "submitted" and claim.voucher is None
    approval_task_reject(actor=admin, company=company, instance=request_of(claim), comment="缺少酒店发票")
    claim.refresh_from_db()
    assert claim.state == "draft"
    expense_claim_submit(actor=zhang, company=company, claim=claim)
    approval_task_approve(actor=admin, company=company, instance=request_of(claim))
    claim.refresh_from_db()
    assert claim.state == "approved" and account_balance(company, "224101") == D("-1373.50")
