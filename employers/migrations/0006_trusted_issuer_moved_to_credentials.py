"""`TrustedIssuer` now belongs to the credentials app (credentials.0006); state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0006_trusted_issuer_moves_here"),
        ("employers", "0005_statistics_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TrustedIssuer")],
            database_operations=[],
        ),
    ]
