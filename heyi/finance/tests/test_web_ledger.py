"""The ledger pages as an accountant uses them: a voucher typed in, posted and reversed through
the buttons; the chart, the periods and the finance settings."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_member
from heyi.finance.models import Account, FinanceSettings, Period, Voucher
from heyi.finance.selectors import account_balance
from heyi.finance.services.common import finance_settings

D = Decimal


@pytest.fixture
def books(company):
    return finance_settings(company)


@pytest.fixture
def desk(finance) -> Client:
    client = Client()
    client.force_login(finance)
    return client


def _account(company, code: str) -> Account:
    return Account.objects.get(company=company, code=code)


def _voucher_post(company, debit="1500.00", credit="1500.00", date="2026-03-10", **extra):
    return {
        "date": date,
        "word": "记",
        "narration": "购买办公用品",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-narration": "打印纸",
        "lines-0-account": str(_account(company, "560201").pk),
        "lines-0-debit": debit,
        "lines-0-project": "年会",
        "lines-1-account": str(_account(company, "1002").pk),
        "lines-1-credit": credit,
        "lines-2-account": "",
        **extra,
    }


def test_a_voucher_is_typed_in_posted_and_reversed_through_the_pages(company, books, desk):
    form = desk.get(reverse("finance:voucher_create"))
    assert form.status_code == 200 and "lines-0-account" in form.content.decode()
    r = desk.post(reverse("finance:voucher_create"), _voucher_post(company))
    voucher = Voucher.objects.get(company=company)
    assert r.status_code == 302 and r["Location"] == reverse("finance:voucher_detail", args=[voucher.pk])
    page = desk.get(r["Location"]).content.decode()
    for text in ("购买办公用品", "打印纸", "560201 办公费", "1002 银行存款", "1500.00", "年会", "finance"):
        assert text in page
    assert reverse("finance:voucher_post", args=[voucher.pk]) in page
    assert reverse("finance:voucher_edit", args=[voucher.pk]) in page

    r = desk.post(reverse("finance:voucher_post", args=[voucher.pk]))
    voucher.refresh_from_db()
    assert r.status_code == 302 and voucher.state == "posted" and voucher.number == "记-0001"
    page = desk.get(reverse("finance:voucher_detail", args=[voucher.pk])).content.decode()
    assert "记-0001" in page and reverse("finance:voucher_reverse", args=[voucher.pk]) in page
    assert reverse("finance:voucher_edit", args=[voucher.pk]) not in page
    assert reverse("finance:voucher_delete", args=[voucher.pk]) not in page

    r = desk.post(reverse("finance:voucher_reverse", args=[voucher.pk]), {"date": "2026-03-31"})
    reversal = Voucher.objects.get(company=company, reverses=voucher)
    assert r.status_code == 302 and r["Location"] == reverse("finance:voucher_detail", args=[reversal.pk])
    page = desk.get(r["Location"]).content.decode()
    assert reverse("finance:voucher_detail", args=[voucher.pk]) in page and "记-0002" in page
    original = desk.get(reverse("finance:voucher_detail", args=[voucher.pk])).content.decode()
    assert reverse("finance:voucher_detail", args=[reversal.pk]) in original
    assert reverse("finance:voucher_reverse", args=[voucher.pk]) not in original
    assert account_balance(company, "560201") == 0


def test_an_unbalanced_or_over_precise_voucher_stays_on_the_form(company, books, desk):
    r = desk.post(reverse("finance:voucher_create"), _voucher_post(company, credit="1499.99"))
    assert r.status_code == 400 and "1500.00" in r.content.decode() and "0.01" in r.content.decode()
    r = desk.post(reverse("finance:voucher_create"), _voucher_post(company, debit="0.005", credit="0.005"))
    assert r.status_code == 400
    r = desk.post(
        reverse("finance:voucher_create"),
        _voucher_post(company, **{"lines-0-account": str(_account(company, "1122").pk)}),
    )
    assert r.status_code == 400 and "post through them" in r.content.decode()
    assert Voucher.objects.filter(company=company).count() == 0


def test_a_draft_is_edited_and_deleted_and_the_form_grows_a_line(company, books, desk):
    desk.post(reverse("finance:voucher_create"), _voucher_post(company))
    voucher = Voucher.objects.get(company=company)
    form = desk.get(reverse("finance:voucher_edit", args=[voucher.pk])).content.decode()
    assert 'name="lines-0-debit" value="1500.00"' in form
    edited = _voucher_post(company, debit="80.00", credit="80.00", narration="快递费", version="1")
    edited |= {"lines-INITIAL_FORMS": "2"}
    r = desk.post(reverse("finance:voucher_edit", args=[voucher.pk]), edited)
    voucher.refresh_from_db()
    assert r.status_code == 302 and voucher.narration == "快递费" and voucher.total == D("80.00")

    row = desk.get(
        reverse("finance:voucher_line"), {"lines-TOTAL_FORMS": "3"}, headers={"HX-Request": "true"}
    )
    text = row.content.decode()
    assert 'name="lines-3-account"' in text and 'value="4"' in text and 'hx-swap-oob="true"' in text

    r = desk.post(reverse("finance:voucher_delete", args=[voucher.pk]))
    assert r.status_code == 302 and not Voucher.objects.filter(pk=voucher.pk).exists()


def test_the_voucher_list_filters_by_account_source_and_period(company, books, desk, received, printer):
    receipt = received([(printer, 2, "2000")])
    desk.post(reverse("finance:voucher_create"), _voucher_post(company))
    url = reverse("finance:voucher_list")
    everything = desk.get(url).content.decode()
    assert "购买办公用品" in everything and receipt.number in everything
    by_bank = desk.get(url, {"account": "1002"}).content.decode()
    assert "购买办公用品" in by_bank and receipt.number not in by_bank
    by_stock = desk.get(url, {"account": "1405"}).content.decode()
    assert "购买办公用品" not in by_stock and receipt.number in by_stock
    manual = desk.get(url, {"source": "manual"}).content.decode()
    assert "购买办公用品" in manual and receipt.number not in manual
    documents = desk.get(url, {"source": "purchasing.receipt"}).content.decode()
    assert "购买办公用品" not in documents and receipt.number in documents
    march = Period.objects.get(company=company, year=2026, month=3)
    assert "购买办公用品" in desk.get(url, {"period": str(march.pk)}).content.decode()
    assert "购买办公用品" not in desk.get(url, {"date_from": "2026-04-01"}).content.decode()


def test_a_voucher_written_by_a_document_links_to_it_and_cannot_be_reversed(
    company, books, desk, received, printer
):
    receipt = received([(printer, 2, "2000")])
    voucher = Voucher.objects.get(company=company, source_type="purchasing.receipt")
    page = desk.get(reverse("finance:voucher_detail", args=[voucher.pk])).content.decode()
    assert reverse("purchasing:receipt_detail", args=[receipt.pk]) in page and receipt.number in page
    assert reverse("finance:voucher_reverse", args=[voucher.pk]) not in page
    r = desk.post(reverse("finance:voucher_reverse", args=[voucher.pk]), {"date": "2026-11-30"})
    assert r.status_code == 400 and not Voucher.objects.filter(reverses=voucher).exists()


def test_the_chart_shows_balances_and_takes_sub_accounts(company, books, desk):
    desk.post(reverse("finance:voucher_create"), _voucher_post(company))
    desk.post(reverse("finance:voucher_post", args=[Voucher.objects.get().pk]))
    page = desk.get(reverse("finance:account_list")).content.decode()
    assert "银行存款" in page and "Bank deposits" in page and "1,500.00" in page
    bank = _account(company, "1002")
    form = desk.get(reverse("finance:account_create", args=[bank.pk]))
    assert form.status_code == 200 and 'value="1002"' in form.content.decode()
    r = desk.post(reverse("finance:account_create", args=[bank.pk]), {"code": "1002", "name": "工行"})
    assert r.status_code == 400
    expenses = _account(company, "5603")
    r = desk.post(
        reverse("finance:account_create", args=[expenses.pk]),
        {"code": "560301", "name": "利息费用", "name_en": "Interest expense"},
    )
    assert r.status_code == 302
    interest = _account(company, "560301")
    assert interest.type == "profit_loss" and not _account(company, "5603").is_leaf
    r = desk.post(
        reverse("finance:account_edit", args=[interest.pk]),
        {"name": "利息支出", "name_en": "Interest", "version": "1"},
    )
    interest.refresh_from_db()
    assert r.status_code == 302 and interest.name == "利息支出" and not interest.active
    r = desk.post(reverse("finance:account_edit", args=[bank.pk]), {"name": "银行存款", "version": "1"})
    assert r.status_code == 400 and _account(company, "1002").active
    assert "利息支出" in desk.get(reverse("finance:account_list"), {"active": "0"}).content.decode()


def test_periods_close_reopen_and_the_year_closes_after_confirmation(company, books, desk):
    desk.post(reverse("finance:voucher_create"), _voucher_post(company, date="2025-03-10"))
    draft = Voucher.objects.get()
    page = desk.get(reverse("finance:period_list")).content.decode()
    assert "2025-03" in page
    march = Period.objects.get(company=company, year=2025, month=3)
    desk.post(reverse("finance:period_close", args=[march.pk]))
    march.refresh_from_db()
    assert march.state == "open"  # a draft is dated in it
    desk.post(reverse("finance:voucher_post", args=[draft.pk]))
    desk.post(reverse("finance:period_close", args=[march.pk]))
    march.refresh_from_db()
    assert march.state == "closed"
    r = desk.post(reverse("finance:voucher_create"), _voucher_post(company, date="2025-03-11"))
    assert r.status_code == 400 and "closed" in r.content.decode()
    desk.post(reverse("finance:period_reopen", args=[march.pk]))
    march.refresh_from_db()
    assert march.state == "open"

    url = reverse("finance:fiscal_year_close", args=[2025])
    assert desk.get(url).status_code == 200
    assert desk.post(url, {}).status_code == 400
    r = desk.post(url, {"confirm": "on"})
    assert r.status_code == 302 and account_balance(company, "5602") == 0
    assert account_balance(company, "310401") == D("1500.00")
    assert not Period.objects.filter(company=company, year=2025, state="open").exists()
    assert desk.get(reverse("finance:fiscal_year_close", args=[1999])).status_code == 404


def test_finance_settings_page_changes_terms_and_refuses_a_wrong_account(company, books, desk):
    page = desk.get(reverse("finance:settings"))
    assert page.status_code == 200
    settings = FinanceSettings.objects.get(company=company)
    data = {role: str(getattr(settings, f"{role}_id")) for role in ("receivable", "payable")}
    data = page.context["form"].initial | data
    data = {k: str(v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    r = desk.post(reverse("finance:settings"), data | {"payment_terms_days": "60"})
    assert r.status_code == 302 and FinanceSettings.objects.get(company=company).payment_terms_days == 60
    wrong = data | {"version": "2", "revenue": str(_account(company, "1001").pk)}
    r = desk.post(reverse("finance:settings"), wrong)
    assert r.status_code == 400 and FinanceSettings.objects.get(company=company).revenue.code == "5001"


def test_the_books_are_closed_to_people_outside_finance(company, books):
    client = Client()
    client.force_login(make_member(company, "clerk", roles=["sales"]))
    for name in (
        "finance:voucher_list",
        "finance:voucher_create",
        "finance:account_list",
        "finance:settings",
    ):
        assert client.get(reverse(name)).status_code == 403, name


def test_the_finance_menu_lists_the_ledger_pages(desk, books):
    home = desk.get("/").content.decode()
    for name in ("finance:voucher_list", "finance:account_list", "finance:period_list", "finance:settings"):
        assert reverse(name) in home
