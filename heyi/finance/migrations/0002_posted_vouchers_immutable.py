"""Posted vouchers and their lines cannot be updated or deleted, whatever the path (ORM
`.update()`, admin, raw SQL): the database refuses it."""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION finance_posted_immutable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'posted voucher is immutable' USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER finance_voucher_posted_no_update BEFORE UPDATE ON finance_voucher FOR EACH ROW "
    "WHEN (OLD.state = 'posted') EXECUTE FUNCTION finance_posted_immutable()",
    "CREATE TRIGGER finance_voucher_posted_no_delete BEFORE DELETE ON finance_voucher FOR EACH ROW "
    "WHEN (OLD.state = 'posted') EXECUTE FUNCTION finance_posted_immutable()",
    "CREATE TRIGGER finance_voucherline_posted_no_update BEFORE UPDATE ON finance_voucherline FOR EACH ROW "
    "WHEN (OLD.posted) EXECUTE FUNCTION finance_posted_immutable()",
    "CREATE TRIGGER finance_voucherline_posted_no_delete BEFORE DELETE ON finance_voucherline FOR EACH ROW "
    "WHEN (OLD.posted) EXECUTE FUNCTION finance_posted_immutable()",
]
SQLITE = [
    "CREATE TRIGGER finance_voucher_posted_no_update BEFORE UPDATE ON finance_voucher FOR EACH ROW "
    "WHEN OLD.state = 'posted' BEGIN SELECT RAISE(ABORT, 'posted voucher is immutable'); END",
    "CREATE TRIGGER finance_voucher_posted_no_delete BEFORE DELETE ON finance_voucher FOR EACH ROW "
    "WHEN OLD.state = 'posted' BEGIN SELECT RAISE(ABORT, 'posted voucher is immutable'); END",
    "CREATE TRIGGER finance_voucherline_posted_no_update BEFORE UPDATE ON finance_voucherline FOR EACH ROW "
    "WHEN OLD.posted BEGIN SELECT RAISE(ABORT, 'posted voucher is immutable'); END",
    "CREATE TRIGGER finance_voucherline_posted_no_delete BEFORE DELETE ON finance_voucherline FOR EACH ROW "
    "WHEN OLD.posted BEGIN SELECT RAISE(ABORT, 'posted voucher is immutable'); END",
]
REMOVE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS finance_voucher_posted_no_update ON finance_voucher",
        "DROP TRIGGER IF EXISTS finance_voucher_posted_no_delete ON finance_voucher",
        "DROP TRIGGER IF EXISTS finance_voucherline_posted_no_update ON finance_voucherline",
        "DROP TRIGGER IF EXISTS finance_voucherline_posted_no_delete ON finance_voucherline",
        "DROP FUNCTION IF EXISTS finance_posted_immutable()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS finance_voucher_posted_no_update",
        "DROP TRIGGER IF EXISTS finance_voucher_posted_no_delete",
        "DROP TRIGGER IF EXISTS finance_voucherline_posted_no_update",
        "DROP TRIGGER IF EXISTS finance_voucherline_posted_no_delete",
    ],
}


def install(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    for statement in REMOVE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
