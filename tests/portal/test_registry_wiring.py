"""The registry check reads the trusted-issuer list kept in the database."""

import pytest

from credentials.models import Trigger, TrustedIssuer, VerificationRun
from credentials.services import run_verification, submit_upload
from tests.credentials.applicants import applicant, interop

ISSUER = "did:key:z6MkeWKGH6NmGFRV1giPW8trEoxXbiGNxs16xmxEgMjwMrTF"  # the interop fixtures' issuer

pytestmark = pytest.mark.django_db


def registry_outcome(credential_id: int) -> str:
    run = VerificationRun.objects.filter(credential_id=credential_id).latest("finished_at")
    return next(check["outcome"] for check in run.checks if check["id"] == "registry")


@pytest.mark.parametrize(("listed", "expected"), [(True, "passed"), (False, "not_applicable")])
def test_registry_check_follows_the_trusted_issuer_list(listed, expected):
    if listed:
        TrustedIssuer.objects.create(issuer_id=ISSUER, name="Interop test issuer")
    owner = applicant()
    submission = submit_upload(
        applicant=owner, data=interop("ob3-v2-eddsa-valid.json"), filename="badge.json"
    )

    run_verification(credential_id=submission.credential.pk, trigger=Trigger.UPLOAD)

    submission.credential.refresh_from_db()
    assert submission.credential.status == "verified"
    assert registry_outcome(submission.credential.pk) == expected
