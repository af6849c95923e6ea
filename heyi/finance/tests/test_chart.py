"""The chart of accounts and the posting accounts: the small-enterprise template, sub-accounts,
renaming and deactivating, and finance settings that keep automatic postings working."""

import datetime
from decimal import Decimal

import pytest

from conftest import make_member
from heyi.finance.chart import SMALL_ENTERPRISE
from heyi.finance.models import Account, FinanceSettings
from heyi.finance.services.chart import account_create, account_update, chart_install
from heyi.finance.services.common import finance_settings
from heyi.finance.services.settings import finance_settings_update
from heyi.finance.services.vouchers import LineIn, voucher_create, voucher_post
from heyi.platform.errors import NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import AuditEntry

D = Decimal


@pytest.fixture
def accounts(company):
    finance_settings(company)
    return lambda code: Account.objects.get(company=company, code=code)


def _fields(refused) -> dict:
    return refused.value.fields


def test_the_small_enterprise_chart_is_installed_once_with_its_posting_accounts(company, finance):
    settings = chart_install(actor=finance, company=company)
    assert chart_install(actor=finance, company=company) == settings
    chart = Account.objects.filter(company=company)
    assert chart.count() == len(SMALL_ENTERPRISE) == 84 and not chart.filter(active=False).exists()
    vat = chart.get(code="22210102")
    assert (vat.name, vat.name_en, vat.parent.code, vat.parent.parent.code) == (
        "销项税额",
        "Output VAT",
        "222101",
        "2221",
    )
    assert not chart.get(code="2221").is_leaf and vat.is_leaf and chart.get(code="1122").partner_required
    assert chart.get(code="1002").is_cash and chart.get(code="5001").type == "profit_loss"
    assert (settings.receivable.code, settings.inventory.code, settings.retained_earnings.code) == (
        "1122",
        "1405",
        "310401",
    )
    assert AuditEntry.objects.filter(company=company, action="chart_install").count() == 1


def test_a_sub_account_extends_its_parents_code_and_turns_it_into_a_group(company, finance, accounts):
    icbc = account_create(
        actor=finance,
        company=company,
        parent=accounts("1002"),
        code="100201",
        name=" 工商银行 ",
        name_en="ICBC",
    )
    assert (icbc.type, icbc.side, icbc.is_cash, icbc.is_leaf, icbc.name) == (
        "asset",
        "debit",
        True,
        True,
        "工商银行",
    )
    assert not accounts("1002").is_leaf
    assert AuditEntry.objects.filter(company=company, action="create", object_id=str(icbc.pk)).exists()
    by_partner = account_create(
        actor=finance, company=company, parent=accounts("1123"), code="112301", name="设备"
    )
    assert by_partner.partner_required
    for code in ("1002", "200201", "10020A", "100201", "１００２０２", ""):
        with pytest.raises(ValidationFailed) as refused:
            account_create(actor=finance, company=company, parent=accounts("1002"), code=code, name="x")
        assert "code" in _fields(refused), code
    with pytest.raises(ValidationFailed) as nameless:
        account_create(actor=finance, company=company, parent=accounts("1002"), code="100202", name=" ")
    assert "name" in _fields(nameless)


def test_an_account_with_postings_or_a_posting_role_gets_no_sub_accounts(company, finance, accounts):
    voucher = voucher_create(
        actor=finance,
        company=company,
        date=datetime.date(2026, 3, 1),
        lines=[LineIn(account=accounts("5601"), debit=D(5)), LineIn(account=accounts("1001"), credit=D(5))],
    )
    voucher_post(actor=finance, company=company, voucher=voucher)
    for code in ("5601", "5001", "1405", "310401"):
        with pytest.raises(ValidationFailed) as refused:
            account_create(
                actor=finance, company=company, parent=accounts(code), code=code + "01", name="子目"
            )
        assert "parent" in _fields(refused), code
    assert accounts("5601").is_leaf and not Account.objects.filter(code="560101").exists()


def test_another_companys_parent_and_people_outside_finance_are_refused(
    company, other_company, finance, accounts
):
    finance_settings(other_company)
    theirs = Account.objects.get(company=other_company, code="1002")
    with pytest.raises(ValidationFailed):
        account_create(actor=finance, company=company, parent=theirs, code="100201", name="别家")
    clerk = make_member(company, "clerk", roles=["sales"])
    with pytest.raises(NotPermitted):
        account_create(actor=clerk, company=company, parent=accounts("1002"), code="100201", name="x")
    with pytest.raises(NotPermitted):
        account_update(actor=clerk, company=company, account=accounts("1002"), changes={"name": "x"})
    assert not Account.objects.filter(code="100201").exists()


def test_an_account_is_renamed_and_deactivated_only_when_nothing_more_comes_to_it(company, finance, accounts):
    renamed = account_update(
        actor=finance,
        company=company,
        account=accounts("5603"),
        changes={"name": "财务费用（利息）", "code": "9999", "type": "asset"},
        version=1,
    )
    assert (renamed.code, renamed.type, renamed.name, renamed.version) == (
        "5603",
        "profit_loss",
        "财务费用（利息）",
        2,
    )
    with pytest.raises(StaleVersion):
        account_update(actor=finance, company=company, account=renamed, changes={"name": "x"}, version=1)

    voucher = voucher_create(
        actor=finance,
        company=company,
        date=datetime.date(2026, 3, 1),
        lines=[LineIn(account=accounts("5603"), debit=D(5)), LineIn(account=accounts("1001"), credit=D(5))],
    )
    for code in ("5603", "560299", "5602"):
        with pytest.raises(ValidationFailed) as refused:
            account_update(actor=finance, company=company, account=accounts(code), changes={"active": False})
        assert "active" in _fields(refused), code
    voucher_post(actor=finance, company=company, voucher=voucher)
    with pytest.raises(ValidationFailed):
        account_update(actor=finance, company=company, account=accounts("5603"), changes={"active": False})

    off = account_update(
        actor=finance, company=company, account=accounts("560203"), changes={"active": False}
    )
    assert off.active is False
    child = account_create(
        actor=finance, company=company, parent=accounts("5401"), code="540103", name="其他"
    )
    account_update(actor=finance, company=company, account=child, changes={"active": False})
    with pytest.raises(ValidationFailed):
        account_create(actor=finance, company=company, parent=accounts("540103"), code="54010301", name="x")


def test_settings_take_active_leaf_accounts_of_the_right_type_audited(company, finance, accounts):
    settings = finance_settings_update(
        actor=finance,
        company=company,
        changes={
            "expense": accounts("560201"),
            "stock_adjustment": accounts("5711"),
            "price_tolerance_percent": D("5"),
            "payment_terms_days": 60,
        },
        version=1,
    )
    assert (settings.expense.code, settings.stock_adjustment.code, settings.payment_terms_days) == (
        "560201",
        "5711",
        60,
    )
    entry = AuditEntry.objects.get(company=company, action="update", object_type="finance.financesettings")
    assert entry.actor == finance and entry.changes["payment_terms_days"] == [30, 60]

    refusals = [
        ("revenue", accounts("1002")),  # an asset is no revenue
        ("revenue", accounts("5401")),  # a group
        ("receivable", accounts("1221")),  # not kept by partner
        ("current_year_profit", accounts("5001")),
        ("price_tolerance_percent", D("100.5")),
        ("quantity_tolerance_percent", D("0.125")),
        ("payment_terms_days", 400),
    ]
    for role, value in refusals:
        with pytest.raises(ValidationFailed) as refused:
            finance_settings_update(actor=finance, company=company, changes={role: value})
        assert role in _fields(refused), role
    account_update(actor=finance, company=company, account=accounts("5301"), changes={"active": False})
    with pytest.raises(ValidationFailed):
        finance_settings_update(actor=finance, company=company, changes={"revenue": accounts("5301")})
    assert FinanceSettings.objects.get(company=company).revenue.code == "5001"


def test_control_accounts_change_only_before_anything_is_posted_to_them(
    company, other_company, finance, accounts, received, printer
):
    spare = account_create(
        actor=finance, company=company, parent=accounts("1411"), code="141101", name="备用"
    )
    with pytest.raises(ValidationFailed) as shared:
        finance_settings_update(actor=finance, company=company, changes={"inventory": accounts("1901")})
    assert "inventory" in _fields(shared)
    assert (
        finance_settings_update(actor=finance, company=company, changes={"inventory": spare}).inventory
        == spare
    )
    finance_settings_update(actor=finance, company=company, changes={"inventory": accounts("1405")})
    received([(printer, 1, "2000")])
    with pytest.raises(ValidationFailed) as refused:
        finance_settings_update(actor=finance, company=company, changes={"inventory": spare})
    assert "postings" in _fields(refused)["inventory"][0]
    finance_settings(other_company)
    with pytest.raises(ValidationFailed):
        finance_settings_update(
            actor=finance,
            company=company,
            changes={"revenue": Account.objects.get(company=other_company, code="5001")},
        )
    clerk = make_member(company, "clerk", roles=["sales"])
    with pytest.raises(NotPermitted):
        finance_settings_update(actor=clerk, company=company, changes={"payment_terms_days": 10})


def test_postings_read_the_settings_and_accounts_as_they_are_after_each_change(company, finance, accounts):
    """The posting accounts are kept between postings; a renamed account or a changed role is
    seen by the next posting, and what one caller changes on its copy stays with it."""
    before = finance_settings(company)
    assert before.expense.code == "560299"
    before.expense = accounts("1001")
    assert finance_settings(company).expense.code == "560299"

    account_update(
        actor=finance, company=company, account=accounts("560299"), changes={"name": "其他费用（新）"}
    )
    assert finance_settings(company).expense.name == "其他费用（新）"
    finance_settings_update(actor=finance, company=company, changes={"expense": accounts("560201")})
    assert finance_settings(company).expense.code == "560201"
