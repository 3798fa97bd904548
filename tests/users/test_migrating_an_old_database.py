"""A database made before issue 12's moves (User out of `portal`, TrustedIssuer out of
`employers`) migrates forward with every row and link intact.

The test rolls its database back to the migrations that existed then, forgets the
`users.0001` record exactly as such a database lacks it, writes rows through the models of
that time, and runs the real `migrate` command. `scripts/check_upgrade.py` does the same
from a checkout of an old commit, with its demo data."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from credentials.models import TrustedIssuer
from employers.models import Membership
from users.models import User

# The last migration of each moved-from or moved-to app before the moves.
BEFORE_THE_MOVES = [
    ("portal", "0001_initial"),
    ("users", "0001_initial"),  # changes no table; its record is removed below
    ("credentials", "0005_statistics_indexes"),
    ("employers", "0005_statistics_indexes"),
]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def old_database():
    """The test database as the old code left it; fully migrated again afterwards."""
    executor = MigrationExecutor(connection)
    moved = {app for app, _ in BEFORE_THE_MOVES}
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in moved]
    executor.migrate(BEFORE_THE_MOVES)
    MigrationRecorder(connection).record_unapplied("users", "0001_initial")
    old = MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVES + others).apps
    try:
        yield old
    finally:
        call_command("migrate", verbosity=0)
        ContentType.objects.clear_cache()


def test_an_old_database_keeps_its_users_issuers_and_links(old_database):
    OldUser = old_database.get_model("portal", "User")
    OldContentType = old_database.get_model("contenttypes", "ContentType")
    OldPermission = old_database.get_model("auth", "Permission")
    user_type = OldContentType.objects.get(app_label="portal", model="user")
    issuer_type = OldContentType.objects.get(app_label="employers", model="trustedissuer")
    can_view_users = OldPermission.objects.get(content_type=user_type, codename="view_user")
    hanako = OldUser.objects.create(
        email="hanako.yamada@example.jp", display_name="山田 花子", password="hashed"
    )
    hanako.user_permissions.add(can_view_users)
    employer = old_database.get_model("employers", "Employer").objects.create(name="Sakura")
    old_database.get_model("employers", "Membership").objects.create(
        employer=employer, user_id=hanako.pk, role="owner"
    )
    old_database.get_model("employers", "TrustedIssuer").objects.create(
        issuer_id="did:web:academy.example.jp", name="Academy", country="JP"
    )
    old_database.get_model("admin", "LogEntry").objects.create(
        user_id=hanako.pk,
        content_type_id=user_type.pk,
        object_id=str(hanako.pk),
        object_repr="山田 花子",
        action_flag=2,
    )

    call_command("migrate", verbosity=0)
    ContentType.objects.clear_cache()

    user = User.objects.get(pk=hanako.pk)
    assert (user.email, user.display_name, user.password) == (
        "hanako.yamada@example.jp",
        "山田 花子",
        "hashed",
    )
    assert Membership.objects.get(user=user).employer.name == "Sakura"
    assert TrustedIssuer.objects.get().issuer_id == "did:web:academy.example.jp"
    # The same content type rows, relabelled: permissions and admin history stay attached.
    assert ContentType.objects.get_for_model(User).pk == user_type.pk
    assert ContentType.objects.get_for_model(TrustedIssuer).pk == issuer_type.pk
    assert not ContentType.objects.filter(app_label="portal", model="user").exists()
    assert user.has_perm("users.view_user")
    assert Permission.objects.filter(content_type_id=issuer_type.pk, codename="add_trustedissuer")
    assert LogEntry.objects.get().get_edited_object() == user
    assert ("users", "0001_initial") in MigrationRecorder(connection).applied_migrations()


def test_migrate_leaves_a_new_database_history_alone(db):
    recorder = MigrationRecorder(connection)
    before = recorder.applied_migrations().keys()
    call_command("migrate", verbosity=0)
    assert recorder.applied_migrations().keys() == before
