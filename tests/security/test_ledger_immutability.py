"""T21: a posted voucher and its lines cannot be updated or deleted on any path (API, web,
admin, ORM `.update()` / `.delete()` / `.save()`, bulk updates, raw SQL: the triggers of
migration 0002 refuse it on SQLite and PostgreSQL); a mistake is corrected by a linked
reversing voucher; a posting dated in a closed period is refused. And when the database is
changed behind the application's back anyway, `check_books` finds the broken hash."""

import datetime
import importlib
import io
from decimal import Decimal

import pytest
from django.contrib import admin as django_admin
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import ApiClient, make_member
from heyi.finance.books import books_differences
from heyi.finance.models import Account, Voucher, VoucherLine
from heyi.finance.selectors import account_balance
from heyi.finance.services.common import finance_settings
from heyi.finance.services.periods import period_close, period_of
from heyi.finance.services.vouchers import LineIn, voucher_create, voucher_post

from .figures import report

D = Decimal
MARCH = datetime.date(2026, 3, 10)
TRIGGERS = importlib.import_module("heyi.finance.migrations.0002_posted_vouchers_immutable")


@pytest.fixture
def accountant(company):
    return make_member(company, "accountant", roles=["finance"])


@pytest.fixture
def posted(company, accountant) -> Voucher:
    finance_settings(company)
    account = {a.code: a for a in Account.objects.filter(company=company, code__in=("560201", "1002"))}
    draft = voucher_create(
        actor=accountant,
        company=company,
        date=MARCH,
        narration="购买办公用品",
        lines=[
            LineIn(account=account["560201"], debit=D("1500.00")),
            LineIn(account=account["1002"], credit=D("1500.00")),
        ],
    )
    return voucher_post(actor=accountant, company=company, voucher=draft)


def _state(voucher: Voucher) -> tuple:
    row = Voucher.objects.get(pk=voucher.pk)
    lines = [(ln.account_id, ln.debit, ln.credit, ln.narration) for ln in row.lines.order_by("position")]
    return (row.state, row.number, row.narration, row.date, row.total, row.hash, row.version, lines)


def test_t21_the_api_refuses_to_change_or_delete_a_posted_voucher(company, accountant, posted):
    api = ApiClient(accountant, company)
    before = _state(posted)
    url = f"/vouchers/{posted.pk}"
    attempts = [
        lambda: api.patch(url, {"version": posted.version, "narration": "改过的摘要"}),
        lambda: api.patch(url, {"version": posted.version, "date": "2026-03-11"}),
        lambda: api.patch(
            url,
            {
                "version": posted.version,
                "lines": [
                    {"account_id": str(posted.lines.first().account_id), "debit": "1.00"},
                    {"account_id": str(posted.lines.last().account_id), "credit": "1.00"},
                ],
            },
        ),
        lambda: api.patch(url, {"version": posted.version, "state": "draft", "total": "1.00", "hash": ""}),
        lambda: api.delete(url),
        lambda: api.post(f"{url}/post"),
    ]
    codes = []
    for attempt in attempts:
        response = attempt()
        assert response.status_code == 409, response.content
        codes.append(response.json()["error"]["code"])
    assert set(codes) == {"posted_immutable"}
    assert _state(posted) == before
    report(f"T21 posted vouchers (API): {len(attempts)} PATCH/DELETE/re-post attempts, all 409, 0 changed")


def test_t21_the_web_pages_refuse_to_edit_or_delete_a_posted_voucher(company, accountant, posted):
    client = Client()
    client.force_login(accountant)
    before = _state(posted)
    edit = reverse("finance:voucher_edit", args=[posted.pk])
    data = {
        "date": "2026-03-10",
        "word": "记",
        "narration": "改过的摘要",
        "version": str(posted.version),
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "2",
        "lines-0-account": str(posted.lines.first().account_id),
        "lines-0-debit": "1.00",
        "lines-1-account": str(posted.lines.last().account_id),
        "lines-1-credit": "1.00",
    }
    attempts = [
        ("GET edit", lambda: client.get(edit)),
        ("POST edit", lambda: client.post(edit, data)),
        ("POST delete", lambda: client.post(reverse("finance:voucher_delete", args=[posted.pk]))),
    ]
    for name, attempt in attempts:
        response = attempt()
        assert response.status_code == 409, name
    page = client.get(reverse("finance:voucher_detail", args=[posted.pk])).content.decode()
    assert edit not in page and reverse("finance:voucher_delete", args=[posted.pk]) not in page
    client.post(reverse("finance:voucher_post", args=[posted.pk]))
    assert _state(posted) == before
    report(f"T21 posted vouchers (web): {len(attempts) + 1} edit/delete/re-post attempts, 0 changed")


def test_t21_the_admin_site_offers_no_way_to_change_or_delete_vouchers(company, accountant, posted):
    request = RequestFactory().get("/")
    request.user = accountant
    registered = 0
    for model in (Voucher, VoucherLine):
        model_admin = django_admin.site._registry.get(model)
        if model_admin is None:
            continue
        registered += 1
        assert not model_admin.has_change_permission(request, posted)
        assert not model_admin.has_delete_permission(request, posted)
        assert not model_admin.get_actions(request).get("delete_selected")
    report(
        f"T21 posted vouchers (admin): {registered} of 2 models registered"
        + (", read-only" if registered else "; not reachable through the admin")
    )


def _db_id(voucher: Voucher):
    return Voucher._meta.pk.get_db_prep_value(voucher.pk, connection)


def test_t21_the_database_refuses_every_orm_and_sql_write_to_a_posted_voucher(company, posted):
    before = _state(posted)
    line = posted.lines.order_by("position").first()
    table, line_table = Voucher._meta.db_table, VoucherLine._meta.db_table

    def saved_voucher():
        voucher = Voucher.objects.get(pk=posted.pk)
        voucher.narration = "改过的摘要"
        voucher.save()

    def saved_line():
        row = VoucherLine.objects.get(pk=line.pk)
        row.debit = D("1.00")
        row.save()

    def sql(statement: str):
        with connection.cursor() as cursor:
            cursor.execute(statement, [_db_id(posted)])

    attempts = {
        "Voucher .update()": lambda: Voucher.objects.filter(pk=posted.pk).update(narration="改过的摘要"),
        "Voucher .update(state=draft)": lambda: Voucher.objects.filter(pk=posted.pk).update(state="draft"),
        "Voucher .delete()": lambda: Voucher.objects.filter(pk=posted.pk).delete(),
        "Voucher instance .save()": saved_voucher,
        "Voucher instance .delete()": lambda: Voucher.objects.get(pk=posted.pk).delete(),
        "Voucher bulk_update": lambda: Voucher.objects.bulk_update(
            [Voucher(pk=posted.pk, narration="x")], ["narration"]
        ),
        "VoucherLine .update(debit=)": lambda: VoucherLine.objects.filter(voucher=posted).update(
            debit=D("1.00")
        ),
        "VoucherLine .update(posted=False)": lambda: VoucherLine.objects.filter(pk=line.pk).update(
            posted=False
        ),
        "VoucherLine .delete()": lambda: VoucherLine.objects.filter(voucher=posted).delete(),
        "VoucherLine instance .save()": saved_line,
        "VoucherLine bulk_update": lambda: VoucherLine.objects.bulk_update(
            [VoucherLine(pk=line.pk, debit=D("1.00"))], ["debit"]
        ),
        "SQL UPDATE voucher": lambda: sql(f"UPDATE {table} SET total = 1 WHERE id = %s"),
        "SQL DELETE voucher": lambda: sql(f"DELETE FROM {table} WHERE id = %s"),
        "SQL UPDATE lines": lambda: sql(f"UPDATE {line_table} SET debit = debit + 1 WHERE voucher_id = %s"),
        "SQL DELETE lines": lambda: sql(f"DELETE FROM {line_table} WHERE voucher_id = %s"),
    }
    refused = []
    for name, attempt in attempts.items():
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
        refused.append(name)
    assert _state(posted) == before and books_differences(company) == []
    report(
        f"T21 posted vouchers (database, {connection.vendor}): {len(attempts)} ORM and SQL updates/deletes, "
        f"{len(refused)} refused by the triggers, 0 succeeded"
    )


def test_t21_a_reversal_is_a_linked_mirror_and_a_closed_period_refuses_postings(company, accountant, posted):
    api = ApiClient(accountant, company)
    reversal = api.post(f"/vouchers/{posted.pk}/reverse", {"date": "2026-03-31"}).json()
    assert reversal["reverses_id"] == str(posted.pk) and reversal["state"] == "posted"
    assert [(ln["debit"], ln["credit"]) for ln in reversal["lines"]] == [
        ("0.00", "1500.00"),
        ("1500.00", "0.00"),
    ]
    assert account_balance(company, "560201") == 0 and account_balance(company, "1002") == 0
    assert api.post(f"/vouchers/{posted.pk}/reverse").json()["error"]["code"] == "already_reversed"

    period_close(actor=accountant, company=company, period=period_of(company, MARCH))
    body = {
        "date": "2026-03-15",
        "lines": [
            {"account_id": str(posted.lines.first().account_id), "debit": "9.00"},
            {"account_id": str(posted.lines.last().account_id), "credit": "9.00"},
        ],
    }
    refused = api.post("/vouchers", body)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "period_closed"
    assert Voucher.objects.filter(company=company).count() == 2


def _alter_tables(cursor, change: str) -> None:
    """ALTER TABLE waits for no deferred foreign-key check: run them first, defer again after."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in ("finance_voucher", "finance_voucherline"):
        cursor.execute(f"ALTER TABLE {table} {change} TRIGGER USER")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _bypass_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _alter_tables(cursor, "DISABLE")
        else:
            for statement in TRIGGERS.REMOVE["sqlite"]:
                cursor.execute(statement)


def _restore_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _alter_tables(cursor, "ENABLE")
        else:
            for statement in TRIGGERS.SQLITE:
                cursor.execute(statement)


def _check_books() -> str:
    out = io.StringIO()
    try:
        call_command("check_books", stdout=out)
    except CommandError as exc:
        return out.getvalue() + str(exc)
    return out.getvalue()


def test_t21_check_books_finds_an_amount_changed_behind_the_applications_back(company, posted):
    """Only here, inside the test's transaction, are the triggers bypassed; the change keeps the
    voucher balanced and equal to its total, so only the hash can tell."""
    assert _check_books().strip().endswith("books OK")
    debit, credit = posted.lines.order_by("position")
    _bypass_triggers()
    try:
        VoucherLine.objects.filter(pk=debit.pk).update(debit=D("15000.00"))
        VoucherLine.objects.filter(pk=credit.pk).update(credit=D("15000.00"))
        Voucher.objects.filter(pk=posted.pk).update(total=D("15000.00"))
        found = _check_books()
        assert f"voucher {posted.number} does not match its hash" in found
        assert "differences in the books" in found
        VoucherLine.objects.filter(pk=debit.pk).update(debit=D("1500.00"))
        VoucherLine.objects.filter(pk=credit.pk).update(credit=D("1500.00"))
        Voucher.objects.filter(pk=posted.pk).update(total=D("1500.00"))
    finally:
        _restore_triggers()
    assert _check_books().strip().endswith("books OK")
    with pytest.raises(DatabaseError), transaction.atomic():
        VoucherLine.objects.filter(pk=debit.pk).update(debit=D("15000.00"))
    report(
        f"T21 check_books ({connection.vendor}): an amount changed with the triggers bypassed -> "
        "broken hash reported; triggers restored and refusing again"
    )
