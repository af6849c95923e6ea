"""Demo books for 示例科技有限公司: capital paid in, the opening stock contributed by the
owners, a month's rent and salaries, a closed month, a draft voucher waiting for review."""

import datetime
from decimal import Decimal

from django.utils import timezone

from heyi.platform.models import Company

from .models import Account, Period
from .selectors import account_balance
from .services.chart import chart_install
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
    period = period_of(company, opened)
    if period.state == Period.State.OPEN:
        period_close(actor=accountant, company=company, period=period)
