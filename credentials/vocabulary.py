"""The fixed vocabularies every layer shares: statuses, checks, outcomes, formats.

They are Django ``TextChoices`` (stable English slugs, translated labels) but touch no
database, so the verification engine can use them outside Django's ORM.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Failed verification")
    REVOKED = "revoked", _("Revoked by the issuer")
    EXPIRED = "expired", _("Expired")
    RECIPIENT_MISMATCH = "recipient_mismatch", _("Issued to someone else")
    UNVERIFIABLE = "unverifiable", _("Could not be checked")
    MALFORMED = "malformed", _("Not a readable credential")


STATUS_MEANINGS = {
    Status.PENDING: _("The portal has not checked this credential yet."),
    # "Genuine" is not said here: it needs the issuer's identity confirmed too, a separate
    # answer (credentials.verification.answers).
    Status.VERIFIED: _(
        "Unchanged, signed with a key of the issuer it names, issued to this applicant, "
        "current and not revoked."
    ),
    Status.FAILED: _(
        "A signature or key check failed: the credential was altered, or it is not shown to "
        "be signed by the issuer it names."
    ),
    Status.REVOKED: _("The issuer has withdrawn this credential."),
    Status.EXPIRED: _("The credential is past its expiry date, or not valid yet."),
    Status.RECIPIENT_MISMATCH: _(
        "The credential is intact, but it was issued to someone other than this applicant."
    ),
    Status.UNVERIFIABLE: _(
        "The credential could not be checked right now (for example the issuer's website "
        "did not answer). The portal will try again."
    ),
    Status.MALFORMED: _("This file is not a credential the portal can read."),
}

# Statuses after which no automatic retry is scheduled.
FINAL_STATUSES = frozenset(Status) - {Status.PENDING, Status.UNVERIFIABLE}


class CheckId(models.TextChoices):
    """The checks, in the order the engine runs and reports them."""

    PARSE = "parse", _("Readable")
    SCHEMA = "schema", _("Structure")
    PROOF = "proof", _("Signature")
    ISSUER = "issuer", _("Issuer")
    VALIDITY = "validity", _("Validity period")
    REVOCATION = "revocation", _("Revocation")
    RECIPIENT = "recipient", _("Recipient")
    REGISTRY = "registry", _("Trusted issuer list")


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    UNVERIFIABLE = "unverifiable", _("Could not be checked")


class CredentialFormat(models.TextChoices):
    """What kind of credential it is, whatever container it came in."""

    OB2 = "ob2", _("Open Badges 2.0")
    OB3 = "ob3", _("Open Badges 3.0")
    VC = "vc", _("W3C Verifiable Credential")
    VC_JWT = "vc_jwt", _("Verifiable Credential (JWT)")
    EDC = "edc", _("European Digital Credential")
    UNKNOWN = "unknown", _("Unknown")


class Container(models.TextChoices):
    """How the credential reached us."""

    JSON = "json", _("JSON file")
    PNG = "png", _("Baked PNG image")
    SVG = "svg", _("Baked SVG image")
    JWS = "jws", _("JWT / JWS")
    URL = "url", _("Link")
    UNKNOWN = "unknown", _("Unknown")
