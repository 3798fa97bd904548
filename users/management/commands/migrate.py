"""Django's ``migrate``, which first brings the migration history of a database made before
``User`` moved from the ``portal`` app to ``users`` up to date.

Why this cannot be a migration: admin, allauth, mfa, credentials and employers migrations
depend on the user model's app (``swappable_dependency(AUTH_USER_MODEL)``). On such a
database they are recorded as applied while ``users.0001_initial`` is not, and ``migrate``
refuses that history (InconsistentMigrationHistory) before running any migration.
``users.0001_initial`` changes no table (the model kept ``portal_user``), so recording it as
applied is exactly what running it would do.
"""

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

USER_MOVED_FROM = ("portal", "0001_initial")
USER_MOVED_TO = ("users", "0001_initial")


def record_user_model_move(connection: BaseDatabaseWrapper) -> bool:
    """Record ``users.0001_initial`` on a database whose user table ``portal.0001_initial``
    made; True when it did. A new or already moved database is left alone."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    applied = recorder.applied_migrations()
    if USER_MOVED_FROM not in applied or USER_MOVED_TO in applied:
        return False
    recorder.record_applied(*USER_MOVED_TO)
    return True


class Command(DjangoMigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if record_user_model_move(connection) and options.get("verbosity", 1) >= 1:
            self.stdout.write("Recorded users.0001_initial: the user model moved from portal.")
        super().handle(*args, **options)
