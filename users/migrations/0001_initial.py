"""`User` moves here from the `portal` app without touching the database.

The table (`portal_user`) and its join tables were created by `portal.0001_initial` and keep
their names, so this migration only adds the model to the `users` app's migration state;
`portal.0002` removes it from the `portal` app's. Databases made before the move record this
migration as applied before migrating (see `users/management/commands/migrate.py`).
"""

import django.utils.timezone
from django.db import migrations, models

import users.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="User",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("password", models.CharField(max_length=128, verbose_name="password")),
                        ("last_login", models.DateTimeField(blank=True, null=True, verbose_name="last login")),
                        ("is_superuser", models.BooleanField(default=False, help_text="Designates that this user has all permissions without explicitly assigning them.", verbose_name="superuser status")),
                        ("first_name", models.CharField(blank=True, max_length=150, verbose_name="first name")),
                        ("last_name", models.CharField(blank=True, max_length=150, verbose_name="last name")),
                        ("is_staff", models.BooleanField(default=False, help_text="Designates whether the user can log into this admin site.", verbose_name="staff status")),
                        ("is_active", models.BooleanField(default=True, help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.", verbose_name="active")),
                        ("date_joined", models.DateTimeField(default=django.utils.timezone.now, verbose_name="date joined")),
                        ("email", models.EmailField(max_length=254, unique=True, verbose_name="e-mail address")),
                        ("display_name", models.CharField(blank=True, max_length=150, verbose_name="name")),
                        ("groups", models.ManyToManyField(blank=True, help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.", related_name="user_set", related_query_name="user", to="auth.group", verbose_name="groups")),
                        ("user_permissions", models.ManyToManyField(blank=True, help_text="Specific permissions for this user.", related_name="user_set", related_query_name="user", to="auth.permission", verbose_name="user permissions")),
                    ],
                    options={
                        "verbose_name": "user",
                        "verbose_name_plural": "users",
                        "db_table": "portal_user",
                    },
                    managers=[
                        ("objects", users.models.UserManager()),
                    ],
                ),
            ],
            database_operations=[],
        ),
    ]
