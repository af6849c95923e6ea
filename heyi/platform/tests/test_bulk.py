"""A row appended with the compiled statement reads back as the ORM would have written it."""

from django.forms.models import model_to_dict

from heyi.platform.bulk import row_insert
from heyi.platform.models import AuditEntry, OutboxEvent


def _entry(company, admin, **extra):
    return AuditEntry(
        company=company,
        actor=admin,
        actor_name="admin",
        action="transition",
        object_type="sales.salesorder",
        object_id="42",
        object_repr="SO-2026-000042 杭州星辰",
        changes={"state": ["draft", "confirmed"], "备注": "“引号” and 'quotes'"},
        source="api",
        **extra,
    )


def test_an_appended_row_reads_back_as_one_the_orm_saved(company, admin):
    by_orm = _entry(company, admin, ip="192.0.2.7")
    by_orm.save(force_insert=True)
    appended = row_insert(_entry(company, admin, ip="192.0.2.7"))
    again = row_insert(_entry(company, admin, ip=None, request_id="req-2"))

    assert not appended._state.adding and appended.created_at is not None
    fields = [
        f.name
        for f in AuditEntry._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at", "at"}
    ]
    stored = {
        e.pk: model_to_dict(e, fields)
        for e in AuditEntry.objects.filter(pk__in=[by_orm.pk, appended.pk, again.pk])
    }
    assert stored[appended.pk] == stored[by_orm.pk]
    assert stored[again.pk]["ip"] is None and stored[again.pk]["request_id"] == "req-2"
    read = AuditEntry.objects.get(pk=appended.pk)
    assert read.at == appended.at and read.changes["备注"] == "“引号” and 'quotes'"


def test_an_outbox_event_is_appended_with_its_payload(company, admin):
    event = row_insert(
        OutboxEvent(
            company=company, type="sales.order_confirmed", actor=admin, subject_id="7", data={"total": "1.10"}
        )
    )
    read = OutboxEvent.objects.get(pk=event.pk)
    assert (read.type, read.data, read.state, read.actor) == (
        "sales.order_confirmed",
        {"total": "1.10"},
        event.state,
        admin,
    )
