"""Vouchers (凭证): prepared as drafts by hand or posted at once by the documents that move value.

Every voucher is balanced or refused. Posting takes the voucher's number in its period and
word (记-0001) and its place in the company's hash chain under row locks inside the posting
transaction, so a rolled-back posting leaves no gap. A posted voucher is only ever reversed.
"""

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.catalog.models import Product
from heyi.partners.models import Partner
from heyi.platform.errors import InvalidTransition, NotFound, ValidationFailed
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, Department, Employee, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.numbering import sequence_next
from heyi.platform.services.records import check_version

from ..errors import AlreadyReversed, PostedImmutable, Unbalanced
from ..events import VoucherPosted
from ..integrity import voucher_hash
from ..models import Account, LedgerChain, Period, Voucher, VoucherLine
from ..permissions import MANAGE_VOUCHER, POST_VOUCHER
from .common import ZERO, amount, check, finance_settings
from .periods import period_open_for

MANUAL = ""
NOTES_MAX = 2000


@dataclasses.dataclass
class LineIn:
    """A debit or credit to write; exactly one of the two is more than zero."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    narration: str = ""
    partner: Partner | None = None
    product: Product | None = None
    department: Department | None = None
    employee: Employee | None = None
    project: str = ""


def _lines(company: Company, lines: Sequence[LineIn], *, check_control: bool) -> list[LineIn]:
    """Validate lines and refuse an unbalanced set; lines of zero are dropped."""
    kept = [ln for ln in lines if ln.debit or ln.credit]
    if not kept:
        raise ValidationFailed(fields={"lines": [_("Add at least one line with an amount.")]})
    controls = set()
    if check_control:
        s = finance_settings(company)
        controls = {s.receivable_id, s.payable_id, s.goods_received_not_invoiced_id, s.inventory_id}
    for i, line in enumerate(lines):
        at = f"lines[{i}]"
        if not (line.debit or line.credit):
            continue
        debit = amount(f"{at}.debit", line.debit)
        credit = amount(f"{at}.credit", line.credit)
        if debit and credit:
            raise ValidationFailed(fields={f"{at}.credit": [_("A line is either a debit or a credit.")]})
        account = line.account
        if account.company_id != company.pk:
            raise ValidationFailed(fields={f"{at}.account": [_("Not found.")]})
        if not account.is_leaf or not account.active:
            raise ValidationFailed(
                fields={f"{at}.account": [_("Post to an active account without sub-accounts.")]}
            )
        if account.pk in controls:
            raise ValidationFailed(
                fields={
                    f"{at}.account": [
                        _("This account is kept by invoices, payments and stock; post through them.")
                    ]
                }
            )
        if account.partner_required and line.partner is None:
            raise ValidationFailed(
                fields={f"{at}.partner": [_("This account needs a customer or supplier.")]}
            )
        for name in ("partner", "product", "department", "employee"):
            value = getattr(line, name)
            if value is not None and value.company_id != company.pk:
                raise ValidationFailed(fields={f"{at}.{name}": [_("Not found.")]})
    debits = sum((ln.debit for ln in kept), ZERO)
    credits = sum((ln.credit for ln in kept), ZERO)
    if debits != credits:
        raise Unbalanced(
            _("Debits %(debit)s and credits %(credit)s differ by %(diff)s.")
            % {"debit": debits, "credit": credits, "diff": debits - credits},
            debit=str(debits),
            credit=str(credits),
        )
    return kept


def _rows(company: Company, voucher: Voucher, lines: Sequence[LineIn], posted: bool) -> list[VoucherLine]:
    return [
        VoucherLine(
            company=company,
            voucher=voucher,
            position=i,
            account=ln.account,
            narration=(ln.narration or voucher.narration)[:200],
            debit=ln.debit,
            credit=ln.credit,
            date=voucher.date,
            posted=posted,
            partner=ln.partner,
            product=ln.product,
            department=ln.department,
            employee=ln.employee,
            project=(ln.project or "").strip()[:60],
        )
        for i, ln in enumerate(lines, start=1)
    ]


def _seal(company: Company, voucher: Voucher, rows: Sequence[VoucherLine], actor: User | None) -> None:
    """Number the voucher, chain it and mark it posted (not yet saved)."""
    period = voucher.period
    voucher.sequence = sequence_next(
        company=company, doc_type=f"finance.voucher.{voucher.word}.{period.month:02d}", year=period.year
    )
    voucher.number = f"{voucher.word}-{voucher.sequence:04d}"
    chain = LedgerChain.objects.select_for_update().filter(company=company).first()
    if chain is None:
        try:
            with transaction.atomic():
                LedgerChain.objects.create(company=company)
        except IntegrityError:
            pass  # started by a concurrent first posting
        chain = LedgerChain.objects.select_for_update().get(company=company)
    voucher.chain_sequence = chain.last_sequence + 1
    voucher.previous_hash = chain.last_hash
    voucher.state = Voucher.State.POSTED
    voucher.posted_at = timezone.now()
    voucher.posted_by = actor if actor is not None and actor.pk else None
    voucher.hash = voucher_hash(voucher, rows, chain.last_hash)
    chain.last_sequence, chain.last_hash = voucher.chain_sequence, voucher.hash
    chain.save(update_fields=["last_sequence", "last_hash", "updated_at"])


def _announce(actor: User | None, company: Company, voucher: Voucher, rows: Sequence[VoucherLine]) -> None:
    audit_record(
        actor=actor,
        company=company,
        action="voucher_post",
        obj=voucher,
        changes={
            "lines": [[r.account.code, str(r.debit), str(r.credit)] for r in rows],
            "source": voucher.source_reference,
        },
    )
    publish(
        VoucherPosted(
            company_id=company.pk,
            actor_id=actor.pk if actor is not None and actor.pk else None,
            subject_type="finance.voucher",
            subject_id=str(voucher.pk),
            number=voucher.number,
            date=voucher.date.isoformat(),
            total=str(voucher.total),
            source_type=voucher.source_type,
        )
    )


def _open_period(company: Company, date: datetime.date, known: Period | None) -> Period:
    """`known` when the caller's `period_open_for` answered for this very month, else ask."""
    if known is not None and (known.company_id, known.year, known.month) == (
        company.pk,
        date.year,
        date.month,
    ):
        return known
    return period_open_for(company, date)


def ledger_post(
    *,
    actor: User | None,
    company: Company,
    date: datetime.date,
    lines: Sequence[LineIn],
    narration: str,
    source: tuple[str, str, str],
    word: str = Voucher.Word.GENERAL,
    check_control: bool = False,
    period: Period | None = None,
) -> Voucher:
    """Write and post a voucher in one step: what documents call when they move value.

    `source` is (type, id, reference) of the document; the caller owns the transaction and
    has checked its own permission. `period` is the open period of `date` when the caller has
    just checked it in this transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a voucher is posted inside its document's transaction")
    kept = _lines(company, lines, check_control=check_control)
    voucher = Voucher(
        company=company,
        word=word,
        date=date,
        period=_open_period(company, date, period),
        narration=narration[:200],
        total=sum((ln.debit for ln in kept), ZERO),
        source_type=source[0],
        source_id=source[1],
        source_reference=source[2][:64],
        created_by=actor if actor is not None and actor.pk else None,
    )
    rows = _rows(company, voucher, kept, posted=True)
    _seal(company, voucher, rows, actor)
    voucher.save(force_insert=True)
    VoucherLine.objects.bulk_create(rows)
    _announce(actor, company, voucher, rows)
    return voucher


def voucher_create(
    *,
    actor: User,
    company: Company,
    date: datetime.date,
    lines: Sequence[LineIn],
    narration: str = "",
    word: str = Voucher.Word.GENERAL,
    notes: str = "",
) -> Voucher:
    """A draft voucher prepared by hand: balanced, on accounts not kept by documents."""
    check(actor, company, MANAGE_VOUCHER)
    _word(word)
    _date(date)
    with transaction.atomic():
        kept = _lines(company, lines, check_control=True)
        voucher = Voucher(
            company=company,
            word=word,
            date=date,
            period=period_open_for(company, date),
            narration=(narration or "").strip()[:200],
            notes=_notes(notes),
            total=sum((ln.debit for ln in kept), ZERO),
            created_by=actor,
        )
        voucher.save(force_insert=True)
        rows = _rows(company, voucher, kept, posted=False)
        VoucherLine.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            company=company,
            action="create",
            obj=voucher,
            changes={
                "date": [None, date],
                "lines": [[r.account.code, str(r.debit), str(r.credit)] for r in rows],
            },
        )
        return voucher


def _word(word: str) -> None:
    if word not in Voucher.Word.values:
        raise ValidationFailed(fields={"word": [_("Choose a voucher word.")]})


def _date(date: datetime.date) -> datetime.date:
    if not isinstance(date, datetime.date) or not 1900 <= date.year <= 2999:
        raise ValidationFailed(fields={"date": [_("Enter a date between 1900 and 2999.")]})
    return date


def _notes(notes: str) -> str:
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise ValidationFailed(fields={"notes": [_("At most %(max)s characters.") % {"max": NOTES_MAX}]})
    return notes


def _draft(company: Company, voucher: Voucher) -> Voucher:
    try:
        locked = Voucher.objects.select_for_update().get(pk=voucher.pk, company=company)
    except Voucher.DoesNotExist:
        raise NotFound()
    if locked.state != Voucher.State.DRAFT:
        raise PostedImmutable()
    return locked


def voucher_update(
    *,
    actor: User,
    company: Company,
    voucher: Voucher,
    version: int | None,
    date: datetime.date | None = None,
    narration: str | None = None,
    word: str | None = None,
    notes: str | None = None,
    lines: Sequence[LineIn] | None = None,
) -> Voucher:
    """Change a draft; `lines` replaces them all. A posted voucher is refused (posted_immutable)."""
    check(actor, company, MANAGE_VOUCHER)
    with transaction.atomic():
        locked = _draft(company, voucher)
        check_version(locked, version)
        changes: dict[str, Any] = {}
        if date is not None and _date(date) != locked.date:
            changes["date"] = [locked.date, date]
            locked.date, locked.period = date, period_open_for(company, date)
        if word is not None and word != locked.word:
            _word(word)
            changes["word"] = [locked.word, word]
            locked.word = word
        for name, value in (
            ("narration", None if narration is None else narration.strip()[:200]),
            ("notes", None if notes is None else _notes(notes)),
        ):
            if value is not None and value != getattr(locked, name):
                changes[name] = [getattr(locked, name), value]
                setattr(locked, name, value)
        if lines is not None:
            kept = _lines(company, lines, check_control=True)
            old = [
                [r.account.code, str(r.debit), str(r.credit)] for r in locked.lines.select_related("account")
            ]
            locked.lines.all().delete()
            rows = _rows(company, locked, kept, posted=False)
            VoucherLine.objects.bulk_create(rows)
            locked.total = sum((ln.debit for ln in kept), ZERO)
            changes["lines"] = [old, [[r.account.code, str(r.debit), str(r.credit)] for r in rows]]
        elif "date" in changes:
            locked.lines.update(date=locked.date)
        if changes:
            locked.version += 1
            locked.save()
            audit_record(actor=actor, company=company, action="update", obj=locked, changes=changes)
        return locked


def voucher_delete(*, actor: User, company: Company, voucher: Voucher) -> None:
    """Delete a draft; a posted voucher is never deleted."""
    check(actor, company, MANAGE_VOUCHER)
    with transaction.atomic():
        locked = _draft(company, voucher)
        audit_record(actor=actor, company=company, action="delete", obj=locked)
        locked.lines.all().delete()
        locked.delete()


def voucher_post(*, actor: User, company: Company, voucher: Voucher, version: int | None = None) -> Voucher:
    """Post a draft (审核过账): checked again, numbered, chained, and from now on immutable."""
    check(actor, company, POST_VOUCHER)
    with transaction.atomic():
        locked = _draft(company, voucher)
        check_version(locked, version)
        rows = list(locked.lines.select_related("account", "partner", "product", "department", "employee"))
        _lines(
            company,
            [
                LineIn(
                    account=r.account,
                    debit=r.debit,
                    credit=r.credit,
                    partner=r.partner,
                    product=r.product,
                    department=r.department,
                    employee=r.employee,
                )
                for r in rows
            ],
            check_control=True,
        )
        locked.period = period_open_for(company, locked.date)
        _seal(company, locked, rows, actor)
        locked.version += 1
        locked.save()
        VoucherLine.objects.filter(voucher=locked).update(posted=True)
        _announce(actor, company, locked, rows)
        return locked


def voucher_reverse(
    *, actor: User, company: Company, voucher: Voucher, date: datetime.date | None = None
) -> Voucher:
    """Post the mirror of a posted voucher (debits and credits swapped), linked to it.

    Vouchers written by documents are reversed through their documents (a credit note, a
    stock reversal), so the documents and the ledger never disagree.
    """
    check(actor, company, POST_VOUCHER)
    with transaction.atomic():
        try:
            locked = Voucher.objects.select_for_update().get(pk=voucher.pk, company=company)
        except Voucher.DoesNotExist:
            raise NotFound()
        if locked.state != Voucher.State.POSTED:
            raise InvalidTransition(
                _("Only a posted voucher can be reversed."), current=locked.state, target="reversed"
            )
        if locked.source_type != MANUAL:
            raise InvalidTransition(
                _("This voucher was written by %(source)s; reverse or credit that document instead.")
                % {"source": locked.source_reference},
                current=locked.state,
                target="reversed",
            )
        if locked.reverses_id is not None:
            raise AlreadyReversed(
                _("This voucher reverses another; it is not reversed again. Prepare a new voucher instead.")
            )
        if Voucher.objects.filter(company=company, reverses=locked).exists():
            raise AlreadyReversed()
        when = _date(date) if date is not None else timezone.localdate()
        lines = [
            LineIn(
                account=r.account,
                debit=r.credit,
                credit=r.debit,
                narration=r.narration,
                partner=r.partner,
                product=r.product,
                department=r.department,
                employee=r.employee,
                project=r.project,
            )
            for r in locked.lines.select_related("account", "partner", "product", "department", "employee")
        ]
        kept = _lines(company, lines, check_control=False)
        reversal = Voucher(
            company=company,
            word=locked.word,
            date=when,
            period=period_open_for(company, when),
            narration=(_("Reversal of %(number)s") % {"number": locked.number})[:200],
            total=locked.total,
            reverses=locked,
            created_by=actor,
        )
        rows = _rows(company, reversal, kept, posted=True)
        _seal(company, reversal, rows, actor)
        reversal.save(force_insert=True)
        VoucherLine.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            company=company,
            action="voucher_reverse",
            obj=locked,
            changes={"reversal": reversal.number},
        )
        _announce(actor, company, reversal, rows)
        return reversal
