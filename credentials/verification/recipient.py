"""Is the credential issued to this applicant? (reference §2.4 and §3.12)

The portal knows the applicant's verified e-mail addresses; the credential names its
recipient in plain text or as a salted hash (``sha256$<hex>``, legacy ``md5$<hex>``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from credentials.formats.record import Identity
from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome

# OB 2.0 says "email", OB 3.0's IdentifierTypeEnum says "emailAddress".
EMAIL_IDENTITY_TYPES = frozenset({"email", "emailaddress"})
_HASHES = {"sha256": hashlib.sha256, "md5": hashlib.md5}
# A bare hex digest without "<alg>$" (seen in some OB 3.0 issuers) is told apart by length.
_HASH_BY_HEX_LENGTH = {64: "sha256", 32: "md5"}


def _candidates(email: str) -> tuple[str, ...]:
    """The spellings issuers hash: as stored, trimmed, trimmed and lower-cased."""
    seen: dict[str, None] = {}
    for value in (email, email.strip(), email.strip().lower()):
        seen.setdefault(value, None)
    return tuple(seen)


def _split_hash(identity: str) -> tuple[str, str]:
    """``sha256$ABC…`` → ("sha256", "abc…"); a bare digest → algorithm guessed by length."""
    value = identity.strip()
    if "$" in value:
        algorithm, _, digest = value.partition("$")
        return algorithm.strip().lower(), digest.strip().lower()
    return _HASH_BY_HEX_LENGTH.get(len(value), ""), value.lower()


def _hashed_match(identity: Identity, emails: Sequence[str]) -> tuple[str, str]:
    """(matched e-mail or "", algorithm) for one hashed identity."""
    algorithm, digest = _split_hash(identity.identity)
    hash_function = _HASHES.get(algorithm)
    if hash_function is None:
        return "", algorithm or "?"
    for email in emails:
        for candidate in _candidates(email):
            computed = hash_function((candidate + identity.salt).encode("utf-8")).hexdigest()
            if computed == digest:
                return email, algorithm
    return "", algorithm


def check_recipient(
    identities: Sequence[Identity], emails: Sequence[str], *, subject_id: str = ""
) -> CheckResult:
    """Compare the credential's e-mail recipients with the applicant's e-mail addresses.

    Only e-mail identities are compared (an e-mail cannot match a URL recipient).
    ``subject_id`` counts too when it is a ``mailto:`` URI. No ``emails`` → not applicable.
    """
    if not emails:
        return CheckResult(CheckId.RECIPIENT, Outcome.NOT_APPLICABLE, "recipient_not_checked")
    email_identities = [i for i in identities if i.type.strip().lower() in EMAIL_IDENTITY_TYPES]
    if subject_id.lower().startswith("mailto:"):
        email_identities.append(Identity(type="email", identity=subject_id[len("mailto:") :]))
    if not email_identities:
        return CheckResult(CheckId.RECIPIENT, Outcome.NOT_APPLICABLE, "recipient_no_email_identity")
    unsupported = ""
    for identity in email_identities:
        is_hashed = identity.hashed or identity.identity.strip().lower().startswith(
            ("sha256$", "md5$")
        )
        if not is_hashed:
            wanted = identity.identity.strip().lower()
            for email in emails:
                if email.strip().lower() == wanted:
                    return CheckResult(
                        CheckId.RECIPIENT, Outcome.PASSED, "recipient_matched", {"email": email}
                    )
            continue
        matched, algorithm = _hashed_match(identity, emails)
        if matched:
            code = "recipient_matched_legacy_hash" if algorithm == "md5" else "recipient_matched"
            return CheckResult(CheckId.RECIPIENT, Outcome.PASSED, code, {"email": matched})
        if algorithm not in _HASHES:
            unsupported = algorithm
    if unsupported:
        return CheckResult(
            CheckId.RECIPIENT,
            Outcome.UNVERIFIABLE,
            "recipient_hash_unsupported",
            {"algorithm": unsupported},
        )
    return CheckResult(CheckId.RECIPIENT, Outcome.FAILED, "recipient_mismatch")
