"""A voucher's reversal is unique within its company (not across companies).

SQLite alters the column by rebuilding the voucher table, which drops its triggers; they are
installed again here, so posted vouchers stay immutable on every database. Any later
migration that rebuilds finance_voucher or finance_voucherline on SQLite must do the same.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

IMMUTABLE = importlib.import_module("heyi.finance.migrations.0002_posted_vouchers_immutable")


def reinstall_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in IMMUTABLE.REMOVE["sqlite"] + IMMUTABLE.SQLITE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0003_payments_submitted"),
        ("platform", "0003_importbatch"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="voucher",
            name="reverses",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reversals",
                to="finance.voucher",
                verbose_name="reverses",
            ),
        ),
        migrations.AddConstraint(
            model_name="voucher",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reverses__isnull", False)),
                fields=("company", "reverses"),
                name="uniq_voucher_reversal",
            ),
        ),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
    ]
