"""`TrustedIssuer` moves here from the employers app, rows and all.

The table made by `employers.0002` joins this app's migration state under its old name, is
renamed to `credentials_trustedissuer`, and `employers.0006` drops the model from the
employers app's state. No row is copied; no foreign key references the table. Its content
type is relabelled so admin permissions and history stay attached."""

import django.utils.timezone
from django.db import migrations, models


def _relabel(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=new, model="trustedissuer").exists():
        return
    ContentType.objects.using(db).filter(app_label=old, model="trustedissuer").update(
        app_label=new
    )


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="employers", new="credentials")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="credentials", new="employers")


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0005_statistics_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("employers", "0002_trusted_issuer"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TrustedIssuer",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("issuer_id", models.CharField(max_length=2000, unique=True, verbose_name="issuer identifier")),
                        ("name", models.CharField(max_length=500, verbose_name="name")),
                        ("country", models.CharField(blank=True, max_length=2, verbose_name="country")),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        ("added_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        "verbose_name": "trusted issuer",
                        "verbose_name_plural": "trusted issuers",
                        "ordering": ["name"],
                        "db_table": "employers_trustedissuer",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="trustedissuer", table=None),
        migrations.RunPython(forwards, backwards),
    ]
