"""Demo books for 示例科技有限公司: capital paid in, the opening stock contributed by the
owners, a month's rent and salaries, a closed month, a draft voucher waiting for review;
invoices for the shipped deliveries (paid, partly paid, open), a credit note for the return,
supplier bills for the receipts (one paid), expense claims paid, approved and in draft; with OA
on, approval templates for payments and expense claims, a large supplier payment signed by one
of two finance people and a claim approved by the manager and finance."""

import datetime
from decimal import Decimal

from django.utils import timezone

from heyi.approvals.models import ApprovalInstance
from heyi.approvals.services.tasks import approval_task_approve
from heyi.approvals.services.templates import approval_template_create, template_for_document
from heyi.partners.models import Partner
from heyi.platform import modules
from heyi.platform.access import module_enabled
from heyi.platform.demo import DEMO_PASSWORD
from heyi.platform.models import Company, User
from heyi.platform.services.tenancy import employee_create, membership_add
from heyi.purchasing.models import Receipt
from heyi.sales.models import Delivery, SalesReturn

from .approval import EXPENSE_CLAIM, PAYMENT
from .models import Account, Payment, Period
from .selectors import account_balance
from .services.bank import bank_line_create, bank_match_auto
from .services.bills import bill_create_from_receipt
from .services.chart import chart_install
from .services.expenses import expense_claim_create, expense_claim_pay, expense_claim_submit
from .services.invoices import credit_note_create_from_return, invoice_create_from_delivery, invoice_post
from .services.payments import credit_note_allocate, payment_create, payment_submit, refund_create
from .services.periods import period_close, period_of
from .services.vouchers import LineIn, voucher_create, voucher_post

D = Decimal


def _month_start(today: datetime.date, back: int) -> datetime.date:
    month = today.month - back
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def load(company: Company, people: dict) -> None:
    accountant = people["users"].get("finance") or people["admin"]
    chart_install(actor=None, company=company)
    accounts = {a.code: a for a in Account.objects.filter(company=company)}
    today = timezone.localdate()
    opened = _month_start(today, 2)

    def post(date, narration, lines, word="记"):
        voucher = voucher_create(
            actor=accountant,
            company=company,
            date=date,
            narration=narration,
            word=word,
            lines=[LineIn(account=accounts[code], debit=D(dr), credit=D(cr)) for code, dr, cr in lines],
        )
        return voucher_post(actor=accountant, company=company, voucher=voucher)

    post(opened, "股东投入资本金", [("1002", "800000", "0"), ("3001", "0", "800000")], word="收")
    contributed = -account_balance(company, "1901")
    if contributed > 0:
        post(today, "股东投入期初存货", [("1901", contributed, "0"), ("3001", "0", contributed)], word="转")
    if "finance" not in people["users"]:
        return
    last_month = _month_start(today, 1)
    post(
        last_month + datetime.timedelta(days=4),
        "支付办公室房租",
        [("560299", "12000", "0"), ("1002", "0", "12000")],
        "付",
    )
    post(
        last_month + datetime.timedelta(days=9),
        "计提本月工资",
        [("560204", "45000", "0"), ("2211", "0", "45000")],
        "转",
    )
    post(
        last_month + datetime.timedelta(days=14),
        "发放工资",
        [("2211", "45000", "0"), ("1002", "0", "45000")],
        "付",
    )
    voucher_create(
        actor=accountant,
        company=company,
        date=today,
        narration="购买办公用品",
        lines=[
            LineIn(account=accounts["560201"], debit=D("860.00")),
            LineIn(account=accounts["1001"], credit=D("860.00")),
        ],
    )
    _documents(company, people, accountant, accounts, today)
    _bank_statement(company, accountant, accounts["1002"], opened, last_month, today)
    period = period_of(company, opened)
    if period.state == Period.State.OPEN:
        period_close(actor=accountant, company=company, period=period)
    if module_enabled(company, modules.OA) and {"employee", "sales_manager"} <= set(people["users"]):
        _approvals(company, people, accountant, accounts, today)


def _bank_statement(
    company: Company,
    accountant,
    bank: Account,
    opened: datetime.date,
    last_month: datetime.date,
    today: datetime.date,
) -> None:
    """The bank's statement of 1002 as the bank exported it, matched to the books: the bank's
    account fee is not in the books yet, and today's supplier payment and refund have not
    reached the bank, so the reconciliation statement has something to explain."""
    moves = [
        (opened, D("800000.00"), "股东投资款", "华东投资有限公司"),
        (last_month + datetime.timedelta(days=4), D("-12000.00"), "房租", "杭州创业园物业"),
        (last_month + datetime.timedelta(days=14), D("-45000.00"), "代发工资", ""),
        (last_month + datetime.timedelta(days=20), D("-68.00"), "账户管理费", "中国工商银行"),
    ]
    for receipt in Payment.objects.filter(
        company=company, kind=Payment.Kind.CUSTOMER_RECEIPT, state=Payment.State.POSTED, account=bank
    ).select_related("partner"):
        moves.append((receipt.payment_date, receipt.amount, "货款", receipt.partner.name))
    balance = D("0.00")
    for i, (on, amount, description, counterparty) in enumerate(sorted(moves, key=lambda m: m[0])):
        balance += amount
        bank_line_create(
            actor=accountant,
            company=company,
            account=bank,
            line_date=on,
            amount=amount,
            balance=balance,
            description=description,
            reference=f"ICBC{on:%Y%m%d}{i:03d}",
            counterparty=counterparty,
        )
    bank_match_auto(actor=accountant, company=company, account=bank)


def _documents(company: Company, people: dict, accountant, accounts: dict, today: datetime.date) -> None:
    bank = accounts["1002"]
    invoices = []
    for delivery in Delivery.objects.filter(company=company, state=Delivery.State.SHIPPED).order_by(
        "shipped_at"
    ):
        draft = invoice_create_from_delivery(actor=accountant, company=company, delivery=delivery)
        invoices.append(invoice_post(actor=accountant, company=company, invoice=draft))
    for sales_return in SalesReturn.objects.filter(company=company, state=SalesReturn.State.RECEIVED):
        note = credit_note_create_from_return(actor=accountant, company=company, sales_return=sales_return)
        note = invoice_post(actor=accountant, company=company, invoice=note)
        if note.credited_invoice is not None:
            credit_note_allocate(
                actor=accountant,
                company=company,
                credit_note=note,
                allocations=[(note.credited_invoice, note.total_amount)],
            )
    # The first customer pays in full and 500.00 over, which is refunded; the second pays half.
    for invoice, share, over in zip(invoices, (D("1"), D("0.5")), (D("500.00"), D("0")), strict=False):
        invoice.refresh_from_db()
        paid = (invoice.open_amount * share).quantize(D("0.01"))
        if paid:
            receipt = payment_create(
                actor=accountant,
                company=company,
                kind=Payment.Kind.CUSTOMER_RECEIPT,
                partner=invoice.partner,
                payment_date=today,
                amount=paid + over,
                account=bank,
                reference="网银回单",
                allocations=[(invoice, paid)],
            )
            payment_submit(actor=accountant, company=company, payment=receipt)
            if over:
                refund = refund_create(
                    actor=accountant,
                    company=company,
                    credit=receipt,
                    account=bank,
                    payment_date=today,
                    reference="退还多付货款",
                )
                payment_submit(actor=accountant, company=company, payment=refund)
    bills = []
    for receipt in Receipt.objects.filter(company=company, status=Receipt.Status.CONFIRMED).order_by(
        "created_at"
    ):
        draft = bill_create_from_receipt(
            actor=accountant, company=company, receipt=receipt, partner_reference=f"0447{receipt.number[-4:]}"
        )
        bills.append(invoice_post(actor=accountant, company=company, invoice=draft))
    if bills:
        bill = bills[0]
        payment = payment_create(
            actor=accountant,
            company=company,
            kind=Payment.Kind.SUPPLIER_PAYMENT,
            partner=bill.partner,
            payment_date=today,
            amount=bill.total_amount,
            account=bank,
            allocations=[(bill, bill.total_amount)],
        )
        payment_submit(actor=accountant, company=company, payment=payment)
    claimant = people["users"].get("employee")
    if claimant is None:
        return
    trips = [
        (
            "上海客户拜访差旅费",
            [("560202", "高铁票 杭州-上海 往返", "146.00"), ("560202", "酒店一晚", "480.00")],
        ),
        ("客户接待餐费", [("560203", "招待星辰科技采购团队", "1260.00")]),
        ("打印耗材零星采购", [("560201", "快递费与文具", "85.50")]),
    ]
    for i, (purpose, lines) in enumerate(trips):
        claim = expense_claim_create(
            actor=claimant,
            company=company,
            description=purpose,
            claim_date=today - datetime.timedelta(days=10 - 3 * i),
            lines=[
                {"account": accounts[code], "description": text, "amount": D(amount)}
                for code, text, amount in lines
            ],
        )
        if i < 2:
            claim = expense_claim_submit(actor=claimant, company=company, claim=claim)
        if i == 0:
            expense_claim_pay(actor=accountant, company=company, claim=claim, account=bank, date=today)


def _colleague(company: Company, people: dict, username: str, name: str, position: str) -> User:
    """Another member of 财务部: payments over 50,000 yuan need two finance signatures besides
    the accountant who prepares them."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": name, "email": f"{username}@demo.heyi.local"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    membership_add(actor=None, company=company, user=user, role_codes=["finance"])
    employee_create(
        actor=people["admin"],
        company=company,
        name=name,
        user=user,
        department=people["departments"]["财务部"],
        position=position,
    )
    return user


def _step(node_id: str, name: str, nxt: str, mode: str, approvers: list[dict]) -> dict:
    return {"id": node_id, "type": "approve", "name": name, "mode": mode, "approvers": approvers, "next": nxt}


FINANCE = [{"kind": "role", "role": "finance"}]


def _approvals(company: Company, people: dict, accountant, accounts: dict, today: datetime.date) -> None:
    admin, users = people["admin"], people["users"]
    if template_for_document(company, PAYMENT) is None:
        approval_template_create(
            actor=admin,
            company=company,
            code="supplier_payment",
            name="付款审批",
            category="财务",
            document_type=PAYMENT,
            description="供应商付款：超过 5 万元由两位财务会签，否则一位财务审批即可；客户收款无需审批。",
            flow={
                "empty_approver": "admin",
                "nodes": [
                    {"id": "start", "type": "start", "next": "kind"},
                    {
                        "id": "kind",
                        "type": "condition",
                        "name": "类型与金额",
                        "branches": [
                            {
                                "name": "客户收款",
                                "when": [
                                    {"field": "kind", "op": "eq", "value": Payment.Kind.CUSTOMER_RECEIPT}
                                ],
                                "next": "end",
                            },
                            {
                                "name": "超过 5 万元",
                                "when": [{"field": "amount", "op": "gt", "value": "50000"}],
                                "next": "countersign",
                            },
                        ],
                        "default": "orsign",
                    },
                    _step("countersign", "财务会签", "end", "all", FINANCE),
                    _step("orsign", "财务审批", "end", "any", FINANCE),
                    {"id": "end", "type": "end"},
                ],
            },
        )
    if template_for_document(company, EXPENSE_CLAIM) is None:
        approval_template_create(
            actor=admin,
            company=company,
            code="expense_claim",
            name="报销审批",
            category="财务",
            document_type=EXPENSE_CLAIM,
            description="直属上级审批，再由财务审核。",
            flow={
                "empty_approver": "admin",
                "nodes": [
                    {"id": "start", "type": "start", "next": "manager"},
                    _step("manager", "直属上级", "finance", "all", [{"kind": "manager", "levels": 1}]),
                    _step("finance", "财务审核", "end", "any", FINANCE),
                    {"id": "end", "type": "end"},
                ],
            },
        )
    manager = _colleague(company, people, "finance_manager", "何经理", "财务经理")
    _colleague(company, people, "cashier", "林出纳", "出纳")

    def request_of(document_type: str, document) -> ApprovalInstance:
        return ApprovalInstance.objects.get(
            company=company, document_type=document_type, document_id=str(document.pk)
        )

    # An advance to a supplier for next quarter's parts: 何经理 has signed, 林出纳 has not yet.
    supplier = Partner.objects.filter(company=company, is_supplier=True).order_by("name").first()
    if supplier is not None:
        advance = payment_create(
            actor=accountant,
            company=company,
            kind=Payment.Kind.SUPPLIER_PAYMENT,
            partner=supplier,
            payment_date=today,
            amount=D("60000.00"),
            account=accounts["1002"],
            reference="预付下季度备料款",
        )
        payment_submit(actor=accountant, company=company, payment=advance)
        approval_task_approve(
            actor=manager, company=company, instance=request_of(PAYMENT, advance), comment="同意"
        )
    # 陈员工's taxi fares: approved by 张经理 and by 钱会计, posted, waiting to be paid.
    claimant = users["employee"]
    taxi = expense_claim_create(
        actor=claimant,
        company=company,
        description="客户拜访市内交通",
        claim_date=today,
        lines=[{"account": accounts["560202"], "description": "出租车费", "amount": D("236.00")}],
    )
    expense_claim_submit(actor=claimant, company=company, claim=taxi)
    request = request_of(EXPENSE_CLAIM, taxi)
    approval_task_approve(actor=users["sales_manager"], company=company, instance=request, comment="情况属实")
    approval_task_approve(actor=accountant, company=company, instance=request, comment="票据齐全")
