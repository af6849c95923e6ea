"""Expense claims (报销单): an employee asks to be paid back what they spent for the company.

Anyone who may claim (`finance.claim_expense`) claims for themselves; finance
(`finance.manage_payment`) may claim for anyone and pays. A claim is numbered when it is made
(EXP-2026-000001; it is not a legally numbered document). Submitted, it goes through the
approval seam; approved, it posts Dr each line's expense account (with the employee and the
department) / Cr owed to employees (with the employee); paid, Dr owed to employees / Cr the
cash or bank account (付), and the employee is owed nothing more.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.approvals.services.instances import approval_pending
from heyi.platform import modules
from heyi.platform.access import has_perm, require_module, require_perm
from heyi.platform.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from heyi.platform.models import Company, Department, Employee, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import check_version, record_create, record_transition, record_update

from ..access import access_expense_claim
from ..approval import EXPENSE_CLAIM
from ..models import Account, ExpenseClaim, ExpenseClaimLine, Voucher
from ..permissions import CLAIM_EXPENSE, MANAGE_PAYMENT
from .common import ZERO, amount, finance_settings
from .payments import cash_account_checked
from .vouchers import LineIn, ledger_post

State = ExpenseClaim.State
EXPENSE_TYPES = (Account.Type.PROFIT_LOSS, Account.Type.COST)
MAX_LINES = 100


def _refuse(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(fields={field: [str(message)]})


def _may_claim(actor: User, company: Company) -> None:
    require_module(company, modules.ERP)
    if not has_perm(actor, company, MANAGE_PAYMENT):
        require_perm(actor, company, CLAIM_EXPENSE)


def _own_employee(actor: User, company: Company) -> Employee:
    found = Employee.objects.filter(company=company, user=actor, is_active=True).first()
    if found is None:
        raise _refuse(
            "employee", _("You have no employee record in this company; ask the administrator to add one.")
        )
    return found


def _employee_checked(actor: User, company: Company, employee: Employee | None) -> Employee:
    """The actor's own employee record by default; someone else's only for finance."""
    if employee is None:
        return _own_employee(actor, company)
    if employee.company_id != company.pk:
        raise _refuse("employee", _("Not found."))
    if not employee.is_active:
        raise _refuse("employee", _("This employee is no longer active."))
    if employee.user_id != actor.pk:
        require_perm(actor, company, MANAGE_PAYMENT)
    return employee


def _department_checked(company: Company, department: Department | None) -> Department | None:
    if department is not None and department.company_id != company.pk:
        raise _refuse("department", _("Not found."))
    return department


def _built_lines(company: Company, lines: Sequence[Mapping[str, Any]]) -> list[ExpenseClaimLine]:
    kept = [line for line in lines if line.get("account") is not None or line.get("amount") not in (None, "")]
    if not kept:
        raise _refuse("lines", _("Add at least one line with an amount."))
    if len(kept) > MAX_LINES:
        raise _refuse("lines", _("At most %(count)s lines.") % {"count": MAX_LINES})
    built = []
    for i, line in enumerate(kept):
        at = f"lines[{i}]"
        account = line.get("account")
        if account is None or account.company_id != company.pk:
            raise _refuse(f"{at}.account", _("Not found."))
        if (
            account.type not in EXPENSE_TYPES
            or account.side != Account.Side.DEBIT
            or not (account.is_leaf and account.active)
        ):
            raise _refuse(
                f"{at}.account", _("Choose an active expense or cost account without sub-accounts.")
            )
        built.append(
            ExpenseClaimLine(
                company=company,
                position=i + 1,
                account=account,
                description=(line.get("description") or "").strip()[:200],
                amount=amount(f"{at}.amount", line.get("amount"), positive=True),
            )
        )
    return built


def _save_lines(claim: ExpenseClaim, lines: list[ExpenseClaimLine]) -> None:
    for line in lines:
        line.claim = claim
    ExpenseClaimLine.objects.bulk_create(lines)
    claim.total_amount = sum((line.amount for line in lines), ZERO)
    claim.save(update_fields=["total_amount", "updated_at"])


def _described(description: str) -> str:
    text = (description or "").strip()
    if not text:
        raise _refuse("description", _("Say what the money was spent on."))
    return text


def expense_claim_create(
    *,
    actor: User,
    company: Company,
    description: str,
    lines: Sequence[Mapping[str, Any]],
    employee: Employee | None = None,
    claim_date: datetime.date | None = None,
    department: Department | None = None,
) -> ExpenseClaim:
    """A draft claim; `lines` are {account, description, amount}. The employee is the actor's
    own record unless finance claims for someone else; the department defaults to theirs."""
    _may_claim(actor, company)
    employee = _employee_checked(actor, company, employee)
    department = _department_checked(company, department) or employee.department
    text = _described(description)
    built = _built_lines(company, lines)
    claim_date = claim_date or timezone.localdate()
    with transaction.atomic():
        claim = ExpenseClaim(
            number=number_next(
                company=company, doc_type="finance.expense_claim", prefix="EXP", on=claim_date
            ),
            employee=employee,
            department=department,
            claim_date=claim_date,
            description=text,
            created_by=actor,
        )
        record_create(actor=actor, company=company, obj=claim)
        _save_lines(claim, built)
    return claim


def _locked(actor: User, company: Company, claim: ExpenseClaim) -> ExpenseClaim:
    """The claim locked, if the actor sees it; changing someone else's claim is finance's."""
    locked = access_expense_claim(user=actor, company=company, id=claim.pk, for_update=True)
    own = locked.created_by_id == actor.pk or locked.employee.user_id == actor.pk
    if not own and not has_perm(actor, company, MANAGE_PAYMENT):
        raise NotPermitted(permission=MANAGE_PAYMENT)
    return locked


def expense_claim_update(
    *,
    actor: User,
    company: Company,
    claim: ExpenseClaim,
    version: int | None,
    description: str | None = None,
    claim_date: datetime.date | None = None,
    employee: Employee | None = None,
    department: Department | None = None,
    lines: Sequence[Mapping[str, Any]] | None = None,
) -> ExpenseClaim:
    """Change a draft; given lines replace the old ones and the total follows."""
    _may_claim(actor, company)
    built = _built_lines(company, lines) if lines is not None else None
    with transaction.atomic():
        locked = _locked(actor, company, claim)
        check_version(locked, version)
        if locked.state != State.DRAFT:
            raise InvalidTransition(_("Only a draft claim can be changed."), current=locked.state)
        data: dict[str, Any] = {}
        if description is not None:
            data["description"] = _described(description)
        if claim_date is not None:
            data["claim_date"] = claim_date
        if employee is not None:
            data["employee"] = _employee_checked(actor, company, employee)
        if department is not None:
            data["department"] = _department_checked(company, department)
        changed = record_update(actor=actor, company=company, obj=locked, data=data, version=version)
        if built is not None:
            old = [[line.account.code, str(line.amount)] for line in locked.lines.select_related("account")]
            locked.lines.all().delete()
            _save_lines(locked, built)
            audit_record(
                actor=actor,
                company=company,
                action="update",
                obj=locked,
                changes={"lines": [old, [[line.account.code, str(line.amount)] for line in built]]},
            )
            if not changed:
                locked.version += 1
                locked.save(update_fields=["version", "updated_at"])
    return locked


def _transition(actor: User | None, company: Company, claim: ExpenseClaim, new: str) -> None:
    record_transition(
        actor=actor, company=company, obj=claim, field="state", new=new, allowed=ExpenseClaim.TRANSITIONS
    )


def expense_claim_submit(*, actor: User, company: Company, claim: ExpenseClaim) -> ExpenseClaim:
    """Send a draft through the approval seam: approved and posted at once when no approval flow
    applies, `submitted` while one decides."""
    _may_claim(actor, company)
    with transaction.atomic():
        locked = _locked(actor, company, claim)
        if locked.state != State.DRAFT:
            raise InvalidTransition(current=locked.state, target=State.SUBMITTED)
        if not locked.lines.exists():
            raise _refuse("lines", _("Add at least one line with an amount."))
        if not approval_pending(actor=actor, company=company, document_type=EXPENSE_CLAIM, document=locked):
            _approve(actor, company, locked)
        else:
            _transition(actor, company, locked, State.SUBMITTED)
    return locked


def _approve(actor: User | None, company: Company, claim: ExpenseClaim) -> None:
    settings = finance_settings(company)
    employee, department = claim.employee, claim.department
    lines = [
        LineIn(
            account=line.account,
            debit=line.amount,
            narration=line.description,
            employee=employee,
            department=department,
        )
        for line in claim.lines.select_related("account")
    ]
    lines.append(LineIn(account=settings.employee_payable, credit=claim.total_amount, employee=employee))
    claim.voucher = ledger_post(
        actor=actor,
        company=company,
        date=claim.claim_date,
        lines=lines,
        narration=f"{claim.number} {employee.name} {claim.description}",
        source=("finance.expense_claim", str(claim.pk), claim.number),
    )
    _transition(actor, company, claim, State.APPROVED)


def _by_engine(company: Company, claim: ExpenseClaim) -> ExpenseClaim:
    require_module(company, modules.ERP)
    try:
        locked = ExpenseClaim.objects.select_for_update().get(company=company, pk=claim.pk)
    except ExpenseClaim.DoesNotExist:
        raise NotFound()
    if locked.state != State.SUBMITTED:
        raise InvalidTransition(current=locked.state)
    return locked


def expense_claim_approve(*, actor: User | None, company: Company, claim: ExpenseClaim) -> ExpenseClaim:
    """The approval engine's callback on a final approval (it has checked the approver)."""
    with transaction.atomic():
        locked = _by_engine(company, claim)
        _approve(actor, company, locked)
    return locked


def expense_claim_reject(*, actor: User | None, company: Company, claim: ExpenseClaim) -> ExpenseClaim:
    """The approval engine's callback on a rejection or a withdrawal: the claim goes back to draft."""
    with transaction.atomic():
        locked = _by_engine(company, claim)
        _transition(actor, company, locked, State.DRAFT)
    return locked


def expense_claim_pay(
    *,
    actor: User,
    company: Company,
    claim: ExpenseClaim,
    account: Account,
    date: datetime.date | None = None,
) -> ExpenseClaim:
    """Pay an approved claim from a cash or bank account: the employee is owed nothing more."""
    require_module(company, modules.ERP)
    require_perm(actor, company, MANAGE_PAYMENT)
    cash_account_checked(company, "account", account)
    date = date or timezone.localdate()
    with transaction.atomic():
        locked = _locked(actor, company, claim)
        if locked.state != State.APPROVED:
            raise InvalidTransition(
                _("Only an approved claim can be paid."), current=locked.state, target=State.PAID
            )
        if date < locked.claim_date:
            raise _refuse("date", _("A claim is paid on or after its date."))
        settings = finance_settings(company)
        employee = locked.employee
        locked.payment_voucher = ledger_post(
            actor=actor,
            company=company,
            date=date,
            lines=[
                LineIn(account=settings.employee_payable, debit=locked.total_amount, employee=employee),
                LineIn(account=account, credit=locked.total_amount, employee=employee),
            ],
            narration=_("Expense claim %(number)s paid to %(employee)s")
            % {"number": locked.number, "employee": employee.name},
            source=("finance.expense_claim", str(locked.pk), locked.number),
            word=Voucher.Word.PAYMENT,
        )
        _transition(actor, company, locked, State.PAID)
    return locked


def expense_claim_cancel(*, actor: User, company: Company, claim: ExpenseClaim) -> ExpenseClaim:
    """Withdraw a draft claim."""
    _may_claim(actor, company)
    with transaction.atomic():
        locked = _locked(actor, company, claim)
        _transition(actor, company, locked, State.CANCELLED)
    return locked
