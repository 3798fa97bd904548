"""`User` now belongs to the `users` app (users.0001); only the migration state changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("users", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="User")],
            database_operations=[],
        ),
    ]
