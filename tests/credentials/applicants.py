"""Helpers shared by the applicant-side tests (not a test module)."""

import io
import json
from pathlib import Path

from allauth.account.models import EmailAddress
from PIL import Image

from credentials.formats.record import CredentialRecord
from credentials.verification.result import CheckResult, VerificationReport
from credentials.vocabulary import CheckId, CredentialFormat, Outcome, Status
from users.models import User

INTEROP = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "interop"
HANAKO = "hanako.yamada@example.jp"

XXE_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
<openbadges:credential>&xxe;</openbadges:credential></svg>"""


def applicant(email: str = HANAKO, *, verified: bool = True) -> User:
    user = User.objects.create_user(email, "a-long-test-password")
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def interop(name: str) -> bytes:
    return (INTEROP / name).read_bytes()


def plain_png() -> bytes:
    """A real PNG with no badge baked in."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def json_bytes(n: int) -> bytes:
    """A distinct small JSON document (distinct bytes → distinct credential)."""
    return json.dumps({"n": n}).encode()


def report(
    status: Status, *, retryable: bool = False, title: str = "Data Analysis"
) -> VerificationReport:
    """A report as the engine would give it, for tests about what happens around the engine."""
    return VerificationReport(
        status=status,
        format=CredentialFormat.OB3,
        checks=(CheckResult(CheckId.PARSE, Outcome.PASSED, "unexpected_error"),),
        credential=CredentialRecord(
            format=CredentialFormat.OB3, title=title, issuer_name="Example University"
        ),
        engine_version="test",
        retryable=retryable,
    )
