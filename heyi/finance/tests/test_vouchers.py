"""Vouchers prepared by hand: drafts, numbering at posting, balance to the cent, reversal, and
the accounts documents keep."""

import datetime
from decimal import Decimal

import pytest

from conftest import make_member
from heyi.finance.errors import AlreadyReversed, PostedImmutable, Unbalanced
from heyi.finance.models import Account, Voucher, VoucherLine
from heyi.finance.selectors import account_balance
from heyi.finance.services.common import finance_settings
from heyi.finance.services.vouchers import (
    LineIn,
    voucher_create,
    voucher_delete,
    voucher_post,
    voucher_reverse,
    voucher_update,
)
from heyi.platform.errors import InvalidTransition, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import AuditEntry

D = Decimal
MARCH = datetime.date(2026, 3, 10)


@pytest.fixture
def books(company):
    return finance_settings(company)


@pytest.fixture
def accounts(company, books):
    return lambda code: Account.objects.get(company=company, code=code)


@pytest.fixture
def prepare(company, finance, accounts):
    """A draft paying an expense from the bank: Dr `debit` / Cr `credit`."""

    def make(amount="1500.00", on=MARCH, debit="560201", credit="1002", word="记", **lines):
        return voucher_create(
            actor=finance,
            company=company,
            date=on,
            word=word,
            narration="购买办公用品",
            lines=[
                LineIn(account=accounts(debit), debit=D(amount), **lines),
                LineIn(account=accounts(credit), credit=D(amount)),
            ],
        )

    return make


def test_vouchers_are_numbered_when_posted_per_period_and_word(company, finance, prepare):
    first, receipt, second = prepare(), prepare(word="收"), prepare("80.00")
    april = prepare("20.00", on=datetime.date(2026, 4, 1))
    assert all(v.number == "" and v.state == "draft" for v in (first, receipt, second, april))
    for voucher in (second, receipt, first, april):
        voucher_post(actor=finance, company=company, voucher=voucher)
    numbers = {v.pk: v.number for v in Voucher.objects.filter(company=company)}
    assert numbers[second.pk] == "记-0001" and numbers[first.pk] == "记-0002"
    assert numbers[receipt.pk] == "收-0001" and numbers[april.pk] == "记-0001"
    assert account_balance(company, "560201") == D("3100.00")
    posted = Voucher.objects.get(pk=first.pk)
    assert posted.posted_by == finance and posted.hash and posted.lines.filter(posted=False).count() == 0


@pytest.mark.parametrize(
    "debit, credit, error, field",
    [
        ("1500.00", "1499.99", Unbalanced, None),
        ("0.005", "0.005", ValidationFailed, "lines[0].debit"),
        ("-10.00", "-10.00", ValidationFailed, "lines[0].debit"),
    ],
)
def test_an_unbalanced_or_badly_written_voucher_is_refused_and_nothing_is_written(
    company, finance, accounts, debit, credit, error, field
):
    with pytest.raises(error) as refused:
        voucher_create(
            actor=finance,
            company=company,
            date=MARCH,
            lines=[
                LineIn(account=accounts("560201"), debit=D(debit)),
                LineIn(account=accounts("1002"), credit=D(credit)),
            ],
        )
    if field:
        assert field in refused.value.fields
    else:
        assert refused.value.code == "unbalanced_voucher" and refused.value.extra["credit"] == "1499.99"
    assert Voucher.objects.filter(company=company).count() == 0 and VoucherLine.objects.count() == 0
    assert not AuditEntry.objects.filter(company=company, object_type="finance.voucher").exists()


def test_a_line_is_a_debit_or_a_credit_on_an_active_leaf_account(company, finance, accounts, prepare):
    with pytest.raises(ValidationFailed) as both:
        voucher_create(
            actor=finance,
            company=company,
            date=MARCH,
            lines=[
                LineIn(account=accounts("560201"), debit=D(10), credit=D(10)),
                LineIn(account=accounts("1002"), credit=D(0)),
            ],
        )
    assert "lines[0].credit" in both.value.fields
    with pytest.raises(ValidationFailed) as group:
        prepare(debit="5602")
    assert "lines[0].account" in group.value.fields
    with pytest.raises(ValidationFailed) as partner:
        prepare(debit="1123")
    assert "lines[0].partner" in partner.value.fields
    assert Voucher.objects.filter(company=company).count() == 0


def test_a_partner_of_another_company_is_not_found(company, other_company, finance, prepare, books):
    from heyi.partners.services.partners import partner_create
    from heyi.platform.models import User

    stranger = partner_create(
        actor=User.objects.get(username="outsider"),
        company=other_company,
        name="别家供应商",
        is_supplier=True,
    )
    with pytest.raises(ValidationFailed) as refused:
        prepare(debit="1123", partner=stranger)
    assert refused.value.fields == {"lines[0].partner": ["Not found."]}


def test_control_accounts_are_kept_by_documents_only(company, finance, prepare):
    for code in ("1122", "220201", "220202", "1405"):
        with pytest.raises(ValidationFailed) as refused:
            prepare(debit=code)
        assert "post through them" in refused.value.fields["lines[0].account"][0], code
    assert Voucher.objects.filter(company=company).count() == 0


def test_a_draft_is_changed_and_deleted_but_a_posted_voucher_never(company, finance, accounts, prepare):
    draft = prepare()
    with pytest.raises(StaleVersion):
        voucher_update(actor=finance, company=company, voucher=draft, version=9, narration="x")
    changed = voucher_update(
        actor=finance,
        company=company,
        voucher=draft,
        version=1,
        narration="快递费",
        lines=[
            LineIn(account=accounts("5601"), debit=D("45.00")),
            LineIn(account=accounts("1001"), credit=D("45.00")),
        ],
    )
    assert changed.version == 2 and changed.total == D("45.00")
    assert [ln.account.code for ln in changed.lines.all()] == ["5601", "1001"]
    update = AuditEntry.objects.get(company=company, action="update", object_id=str(draft.pk))
    assert update.changes["lines"][1] == [["5601", "45.00", "0.00"], ["1001", "0.00", "45.00"]]

    voucher_post(actor=finance, company=company, voucher=changed)
    with pytest.raises(PostedImmutable):
        voucher_update(actor=finance, company=company, voucher=changed, version=3, narration="改")
    with pytest.raises(PostedImmutable):
        voucher_delete(actor=finance, company=company, voucher=changed)
    with pytest.raises(PostedImmutable):
        voucher_post(actor=finance, company=company, voucher=changed)

    other = prepare()
    voucher_delete(actor=finance, company=company, voucher=other)
    assert not Voucher.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(company=company, action="delete", object_id=str(other.pk)).exists()


def test_a_reversal_mirrors_the_voucher_and_brings_the_accounts_back_to_zero(company, finance, prepare):
    voucher = voucher_post(actor=finance, company=company, voucher=prepare(project="年会"))
    reversal = voucher_reverse(
        actor=finance, company=company, voucher=voucher, date=datetime.date(2026, 4, 2)
    )
    assert reversal.reverses == voucher and reversal.state == "posted" and reversal.number == "记-0001"
    assert reversal.period.month == 4 and reversal.total == voucher.total
    mirrored = [(ln.account.code, ln.debit, ln.credit, ln.project) for ln in reversal.lines.all()]
    assert mirrored == [("560201", 0, D("1500.00"), "年会"), ("1002", D("1500.00"), 0, "")]
    assert account_balance(company, "560201") == 0 and account_balance(company, "1002") == 0
    assert AuditEntry.objects.filter(
        company=company, action="voucher_reverse", object_id=str(voucher.pk)
    ).exists()

    with pytest.raises(AlreadyReversed) as twice:
        voucher_reverse(actor=finance, company=company, voucher=voucher)
    assert twice.value.code == "already_reversed"
    with pytest.raises(AlreadyReversed):
        voucher_reverse(actor=finance, company=company, voucher=reversal)
    with pytest.raises(InvalidTransition):
        voucher_reverse(actor=finance, company=company, voucher=prepare())
    assert Voucher.objects.filter(company=company, state="posted").count() == 2


def test_a_voucher_written_by_a_document_is_not_reversed_by_hand(company, finance, received, printer):
    receipt = received([(printer, 2, "2000")])
    voucher = Voucher.objects.get(
        company=company, source_type="purchasing.receipt", source_id=str(receipt.pk)
    )
    with pytest.raises(InvalidTransition) as refused:
        voucher_reverse(actor=finance, company=company, voucher=voucher)
    assert receipt.number in str(refused.value.message)
    assert not Voucher.objects.filter(company=company, reverses=voucher).exists()
    assert account_balance(company, "1405") == D("4000.00")


def test_only_finance_prepares_and_posts_vouchers(company, finance, accounts, prepare):
    clerk = make_member(company, "clerk", roles=["sales"])
    with pytest.raises(NotPermitted):
        voucher_create(
            actor=clerk,
            company=company,
            date=MARCH,
            lines=[
                LineIn(account=accounts("5601"), debit=D(1)),
                LineIn(account=accounts("1001"), credit=D(1)),
            ],
        )
    draft = prepare()
    for action in (voucher_post, voucher_delete):
        with pytest.raises(NotPermitted):
            action(actor=clerk, company=company, voucher=draft)
    assert Voucher.objects.get(pk=draft.pk).state == "draft"


def test_another_companys_voucher_cannot_be_posted_by_this_one(company, other_company, finance, prepare):
    from heyi.platform.errors import NotFound
    from heyi.platform.models import User

    draft = prepare()
    outsider = User.objects.get(username="outsider")
    with pytest.raises(NotFound):
        voucher_post(actor=outsider, company=other_company, voucher=draft)
    assert Voucher.objects.get(pk=draft.pk).state == "draft"
