"""A database made before the four answers existed migrates forward with every stored run
(and each credential's mirror of its latest run) given the answers its checks support."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from credentials.models import Credential, VerificationRun

BEFORE = [("credentials", "0007_trusted_issuer_registries")]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def old_database():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    try:
        yield old
    finally:
        call_command("migrate", verbosity=0)


def _check(check: str, outcome: str, code: str, **params: str) -> dict:
    return {"id": check, "outcome": outcome, "code": code, "params": params}


# What the engine stored for the interop fixtures, as an old run holds it.
TAMPERED = [
    _check("parse", "passed", "parsed", format="Open Badges 3.0"),
    _check("schema", "passed", "schema_ok"),
    _check("proof", "failed", "signature_invalid", suite="DataIntegrityProof/eddsa-rdfc-2022"),
    _check("issuer", "not_applicable", "issuer_key_not_checked"),
]
DID = "did:key:z6MkeWKGH6NmGFRV1giPW8trEoxXbiGNxs16xmxEgMjwMrTF"
EXPIRED = [
    _check("parse", "passed", "parsed", format="Open Badges 3.0"),
    _check("schema", "passed", "schema_ok"),
    _check("proof", "passed", "signature_valid", method_id=f"{DID}#z6Mke"),
    _check("issuer", "passed", "issuer_key_bound", method_id=f"{DID}#z6Mke"),
    _check("validity", "failed", "expired", date="2025-06-30 00:00 UTC"),
    _check("revocation", "not_applicable", "status_none"),
    _check("recipient", "failed", "recipient_mismatch"),
    _check("registry", "not_applicable", "registry_none"),
]
RECORD = {
    "format": "ob3",
    "recipients": [{"type": "emailAddress", "identity": "hanako.yamada@example.jp"}],
}


def test_old_runs_get_their_answers_and_credentials_the_latest(old_database):
    OldUser = old_database.get_model("users", "User")
    OldCredential = old_database.get_model("credentials", "Credential")
    OldRun = old_database.get_model("credentials", "VerificationRun")
    owner = OldUser.objects.create(email="taro@example.jp", password="hashed")
    credential = OldCredential.objects.create(owner=owner, sha256="a" * 64, status="expired")
    now = timezone.now()
    older = OldRun.objects.create(
        credential=credential,
        started_at=now,
        finished_at=now - timezone.timedelta(days=1),
        status="failed",
        format="ob3",
        engine_version="old",
        checks=TAMPERED,
        record=RECORD,
    )
    latest = OldRun.objects.create(
        credential=credential,
        started_at=now,
        finished_at=now,
        status="expired",
        format="ob3",
        engine_version="old",
        checks=EXPIRED,
        record=RECORD,
    )

    call_command("migrate", verbosity=0)

    assert VerificationRun.objects.get(pk=older.pk).answers["intact"] == "no"
    expected = {
        "intact": "yes",
        "issuer_identity": "not_confirmed",
        "issuer_identity_basis": "self_asserted",
        "issuer_identity_source": None,
        "recipient": "someone_else",
        "current": "expired",
        "current_date": "2025-06-30",
    }
    assert VerificationRun.objects.get(pk=latest.pk).answers == expected
    assert Credential.objects.get(pk=credential.pk).answers == expected
