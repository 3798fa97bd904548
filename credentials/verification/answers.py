"""The four answers every verification gives besides its status (DESIGN.md "four questions").

1. *intact*: does the proof (or the issuer's hosted copy) match the content?
2. *issuer identity*: is the named issuer really that organisation? Confirmed when a
   registry the portal uses lists it, or when its key is bound to a domain it controls
   (``did:web``, an HTTPS key or profile document, an OB 2.0 assertion hosted on the
   issuer's own host); not confirmed when the key vouches only for itself (a bare
   ``did:key``/``did:jwk``, a JWT's own ``jwk`` header).
3. *recipient*: this applicant, someone else, nobody named, or not checked.
4. *current*: dates and revocation, with the date that decides.

The answers are a pure function of the checks and the record, so they read the same for a
fresh report and for a run stored years ago (the migration that added them filled them in
for every stored run). The status stays the one-word summary; these say what it is made of.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.formats.record import CredentialRecord
from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome


class Intact(models.TextChoices):
    YES = "yes", _("Unchanged")
    NO = "no", _("Altered or not validly signed")
    UNKNOWN = "unknown", _("Could not be checked")


class IssuerIdentity(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    UNKNOWN = "unknown", _("Could not be checked")


class IdentityBasis(models.TextChoices):
    REGISTRY = "registry", _("Listed in a trusted-issuer registry")
    DOMAIN = "domain", _("Key published on the issuer's own domain")
    SELF_ASSERTED = "self_asserted", _("Self-asserted")


class Recipient(models.TextChoices):
    APPLICANT = "applicant", _("This applicant")
    WALLET_HOLDER = "wallet_holder", _("This applicant (their wallet)")
    SOMEONE_ELSE = "someone_else", _("Someone else")
    NONE_NAMED = "none_named", _("Names no recipient")
    NOT_CHECKED = "not_checked", _("Not checked")


class Currency(models.TextChoices):
    CURRENT = "current", _("Current")
    EXPIRED = "expired", _("Expired")
    NOT_YET_VALID = "not_yet_valid", _("Not valid yet")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Could not be checked")


@dataclass(frozen=True, slots=True)
class Answers:
    intact: Intact = Intact.UNKNOWN
    issuer_identity: IssuerIdentity = IssuerIdentity.UNKNOWN
    issuer_identity_basis: IdentityBasis | None = None
    # The registry's name (basis registry) or the domain (basis domain); else None.
    issuer_identity_source: str | None = None
    recipient: Recipient = Recipient.NOT_CHECKED
    current: Currency = Currency.UNKNOWN
    current_date: str | None = None  # YYYY-MM-DD: expiry, start of validity, or valid-until

    @property
    def is_genuine(self) -> bool:
        """本物 / "genuine" may be said only of this: intact and issuer identity confirmed."""
        return self.intact == Intact.YES and self.issuer_identity == IssuerIdentity.CONFIRMED

    def as_json(self) -> dict[str, str | None]:
        return {
            "intact": str(self.intact),
            "issuer_identity": str(self.issuer_identity),
            "issuer_identity_basis": (
                str(self.issuer_identity_basis) if self.issuer_identity_basis else None
            ),
            "issuer_identity_source": self.issuer_identity_source,
            "recipient": str(self.recipient),
            "current": str(self.current),
            "current_date": self.current_date,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Answers:
        """The inverse of ``as_json``; anything missing or unknown reads as "not checked"."""
        data = data or {}

        def pick(choices: type[models.TextChoices], key: str, default: Any) -> Any:
            value = data.get(key)
            return choices(value) if value in choices.values else default

        source = data.get("issuer_identity_source")
        day = data.get("current_date")
        return cls(
            intact=pick(Intact, "intact", Intact.UNKNOWN),
            issuer_identity=pick(IssuerIdentity, "issuer_identity", IssuerIdentity.UNKNOWN),
            issuer_identity_basis=pick(IdentityBasis, "issuer_identity_basis", None),
            issuer_identity_source=source if isinstance(source, str) and source else None,
            recipient=pick(Recipient, "recipient", Recipient.NOT_CHECKED),
            current=pick(Currency, "current", Currency.UNKNOWN),
            current_date=day if isinstance(day, str) and len(day) == 10 else None,
        )


# --- deriving the answers from the checks -----------------------------------------------

# Codes by which an ISSUER check says the key vouches for nothing but itself.
_SELF_ASSERTED_CODES = frozenset({"jwt_key_self_asserted"})
# Codes by which a RECIPIENT check that passed says the holder proved the subject DID.
_WALLET_CODES = frozenset({"recipient_wallet_holder", "holder_bound"})
_EXPIRED_CODES = frozenset({"expired", "ob2_expired"})
_NOT_YET_VALID_CODES = frozenset({"not_yet_valid", "ob2_issued_in_future"})
# REVOCATION not applicable because the credential has nothing to look up (not skipped).
_NOTHING_TO_REVOKE = frozenset({"status_none", "ob2_no_revocation_list"})
# The name shown when a registry check passed without naming its registry.
DEFAULT_REGISTRY_NAME = "trusted-issuer list"


def answers_from_checks(
    checks: Sequence[CheckResult], record: CredentialRecord | None = None
) -> Answers:
    """The four answers the checks support, and no more."""
    by_id = {check.check: check for check in checks}
    intact = _intact(by_id)
    identity, basis, source = _issuer_identity(by_id, intact)
    current, day = _current(by_id, record, authenticated=intact == Intact.YES)
    return Answers(
        intact=intact,
        issuer_identity=identity,
        issuer_identity_basis=basis,
        issuer_identity_source=source,
        recipient=_recipient(by_id, record, authenticated=intact == Intact.YES),
        current=current,
        current_date=day,
    )


def _intact(by_id: Mapping[CheckId, CheckResult]) -> Intact:
    proof = by_id.get(CheckId.PROOF)
    if proof is None:
        schema = by_id.get(CheckId.SCHEMA)
        # No signature at all: nothing shows the content is the issuer's.
        if schema is not None and schema.code in ("schema_unsigned", "ob2_unsigned"):
            return Intact.NO
        parse = by_id.get(CheckId.PARSE)
        if parse is not None and parse.code == "ob2_unsigned":
            return Intact.NO
        return Intact.UNKNOWN
    if proof.outcome == Outcome.PASSED:
        return Intact.YES
    if proof.outcome == Outcome.FAILED:
        return Intact.NO
    return Intact.UNKNOWN


def _issuer_identity(
    by_id: Mapping[CheckId, CheckResult], intact: Intact
) -> tuple[IssuerIdentity, IdentityBasis | None, str | None]:
    if intact == Intact.UNKNOWN:
        return IssuerIdentity.UNKNOWN, None, None
    if intact == Intact.NO:
        # Content nobody signed (or that was changed) says nothing about who made it.
        return IssuerIdentity.NOT_CONFIRMED, None, None
    issuer = by_id.get(CheckId.ISSUER)
    if issuer is None or issuer.outcome == Outcome.UNVERIFIABLE:
        return IssuerIdentity.UNKNOWN, None, None
    if issuer.outcome == Outcome.FAILED:
        if issuer.code in _SELF_ASSERTED_CODES:
            return IssuerIdentity.NOT_CONFIRMED, IdentityBasis.SELF_ASSERTED, None
        return IssuerIdentity.NOT_CONFIRMED, None, None
    if issuer.outcome == Outcome.NOT_APPLICABLE:
        return IssuerIdentity.NOT_CONFIRMED, None, None
    registry = by_id.get(CheckId.REGISTRY)
    if registry is not None and registry.outcome == Outcome.PASSED:
        name = str(registry.params.get("registry") or DEFAULT_REGISTRY_NAME)
        return IssuerIdentity.CONFIRMED, IdentityBasis.REGISTRY, name[:300]
    basis, domain = key_binding(issuer, by_id.get(CheckId.PROOF))
    if basis == IdentityBasis.DOMAIN and domain:
        return IssuerIdentity.CONFIRMED, IdentityBasis.DOMAIN, domain
    if basis == IdentityBasis.SELF_ASSERTED:
        return IssuerIdentity.NOT_CONFIRMED, IdentityBasis.SELF_ASSERTED, None
    return IssuerIdentity.NOT_CONFIRMED, None, None


def key_binding(
    issuer: CheckResult, proof: CheckResult | None
) -> tuple[IdentityBasis | None, str | None]:
    """What a passed ISSUER check bound the key to: (domain, host) or (self-asserted, None).

    Read from the check's own parameters: the verification method (``did:key:…`` vouches
    for itself; ``did:web:host`` and ``https://host/…`` for that host) or, for OB 2.0, the
    address the hosted assertion or the signing key was fetched from.
    """
    params = issuer.params
    if issuer.code in ("issuer_key_bound", "jwt_key_bound"):
        method = str(params.get("method_id") or params.get("key") or "")
        if method in ("", "jwk"):
            method = str(params.get("issuer") or "")
        return _method_binding(method)
    if issuer.code == "ob2_issuer_ok" and proof is not None:
        where = str(proof.params.get("url") or proof.params.get("key") or "")
        domain = web_domain(where) or web_domain(str(params.get("issuer") or ""))
        return (IdentityBasis.DOMAIN, domain) if domain else (None, None)
    # A check this module does not know (a new proof suite, say): claim nothing.
    method = str(params.get("method_id") or "")
    return _method_binding(method) if method.startswith("did:") else (None, None)


def _method_binding(method: str) -> tuple[IdentityBasis | None, str | None]:
    if method.startswith(("did:key:", "did:jwk:")):
        return IdentityBasis.SELF_ASSERTED, None
    if method.startswith("did:web:"):
        domain = did_web_domain(method)
        return (IdentityBasis.DOMAIN, domain) if domain else (None, None)
    domain = web_domain(method)
    return (IdentityBasis.DOMAIN, domain) if domain else (None, None)


def did_web_domain(did: str) -> str | None:
    """``did:web:example.edu%3A8443:issuers:1#key-1`` → ``example.edu:8443``."""
    specific = did[len("did:web:") :].split("#", 1)[0].split("?", 1)[0]
    host = unquote(specific.split(":", 1)[0]).lower()
    return host[:253] or None


def web_domain(url: str) -> str | None:
    """The host (with a port when one is given) of an http(s) URL, else None."""
    if not url.startswith(("https://", "http://")):
        return None
    try:
        host = urlsplit(url).netloc.rsplit("@", 1)[-1].lower()
    except ValueError:
        return None
    return host[:253] or None


def _recipient(
    by_id: Mapping[CheckId, CheckResult], record: CredentialRecord | None, *, authenticated: bool
) -> Recipient:
    names_someone = record is not None and bool(record.recipients or record.subject_id)
    check = by_id.get(CheckId.RECIPIENT)
    if record is not None and not names_someone:
        return Recipient.NONE_NAMED
    if not authenticated or check is None:
        return Recipient.NOT_CHECKED
    if check.outcome == Outcome.PASSED:
        return Recipient.WALLET_HOLDER if check.code in _WALLET_CODES else Recipient.APPLICANT
    if check.outcome == Outcome.FAILED:
        return Recipient.SOMEONE_ELSE
    return Recipient.NOT_CHECKED


def _current(
    by_id: Mapping[CheckId, CheckResult], record: CredentialRecord | None, *, authenticated: bool
) -> tuple[Currency, str | None]:
    if not authenticated:
        # Dates and status entries of content nobody vouches for decide nothing (§8.2).
        return Currency.UNKNOWN, None
    revocation = by_id.get(CheckId.REVOCATION)
    validity = by_id.get(CheckId.VALIDITY)
    if revocation is not None and revocation.outcome == Outcome.FAILED:
        return Currency.REVOKED, None
    if validity is not None and validity.outcome == Outcome.FAILED:
        if validity.code in _NOT_YET_VALID_CODES:
            start = record.valid_from or record.issued_at if record else None
            return Currency.NOT_YET_VALID, _day(validity, "issued", start)
        return Currency.EXPIRED, _day(validity, "expires", record.valid_until if record else None)
    if validity is None or validity.outcome != Outcome.PASSED:
        return Currency.UNKNOWN, None
    if revocation is None:
        return Currency.UNKNOWN, None
    if revocation.outcome == Outcome.PASSED or (
        revocation.outcome == Outcome.NOT_APPLICABLE and revocation.code in _NOTHING_TO_REVOKE
    ):
        until = _day(validity, "expires", record.valid_until if record else None)
        return Currency.CURRENT, until if validity.code in (
            "valid_until",
            "ob2_valid_until",
        ) else None
    return Currency.UNKNOWN, None


def _day(check: CheckResult, ob2_key: str, fallback: Any) -> str | None:
    """The date a VALIDITY check names (``date`` for VC, ``issued``/``expires`` for OB 2.0)."""
    for key in ("date", ob2_key):
        value = check.params.get(key)
        if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
            return value[:10]
    if fallback is not None and hasattr(fallback, "date"):
        return str(fallback.date().isoformat())
    return None
