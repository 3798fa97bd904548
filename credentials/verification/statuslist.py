"""Revocation and suspension from ``credentialStatus`` (reference §5).

Supported: ``BitstringStatusListEntry`` (W3C Recommendation), ``StatusList2021Entry`` and
``1EdTechRevocationList``. Every entry is evaluated; an unknown type, an unreachable list
or a list that does not check out is "could not be checked" — never "not revoked"
(reference trap #8). A status list credential must carry a valid proof by the credential's
own issuer; its own status is not checked, which bounds the recursion at one level.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from credentials.formats.dates import parse_datetime
from credentials.formats.inflate import inflate_capped
from credentials.verification.context import VerificationContext
from credentials.verification.dataintegrity import verify_proofs
from credentials.verification.fetcher import Fetcher, FetchError
from credentials.verification.result import CheckResult, Found
from credentials.vocabulary import CheckId, Outcome

# Bitstring Status List §"Validate Algorithm": at least 16 KiB of one-bit entries.
MIN_LIST_ENTRIES = 131_072
# 16 MiB inflated = 134 million entries; real lists are 16 KiB to a few MiB (§7.3).
MAX_INFLATED_BYTES = 16 * 1024 * 1024
MAX_ENCODED_CHARS = 2_000_000
MAX_LIST_DOCUMENT_BYTES = 3_000_000
MAX_ENTRIES = 8
_DECIMAL = re.compile(r"[0-9]{1,12}")
_PURPOSE_CODES = {"revocation": "status_revoked", "suspension": "status_suspended"}


class _Unverifiable(Exception):
    def __init__(self, code: str, *, retryable: bool = False, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.retryable = retryable


def check_status(document: Mapping[str, Any], *, issuer_id: str, ctx: VerificationContext) -> Found:
    """The REVOCATION check of a credential whose proof has already been verified."""
    raw = document.get("credentialStatus")
    if raw is None:
        return Found(CheckResult(CheckId.REVOCATION, Outcome.NOT_APPLICABLE, "status_none"))
    entries = raw if isinstance(raw, list) else [raw]
    if not entries or len(entries) > MAX_ENTRIES or not all(isinstance(e, dict) for e in entries):
        return Found(CheckResult(CheckId.REVOCATION, Outcome.UNVERIFIABLE, "status_entry_invalid"))
    lists: dict[str, tuple[bytes, dict[str, Any]]] = {}
    problems: list[_Unverifiable] = []
    passed: list[CheckResult] = []
    for entry in entries:
        try:
            found = _check_entry(entry, document, issuer_id=issuer_id, ctx=ctx, lists=lists)
        except _Unverifiable as problem:
            problems.append(problem)
            continue
        if found.outcome == Outcome.FAILED:
            # Revocation is final whatever the other entries say.
            return Found(found)
        passed.append(found)
    if problems:
        first = problems[0]
        return Found(
            CheckResult(CheckId.REVOCATION, Outcome.UNVERIFIABLE, first.code, first.params),
            retryable=any(p.retryable for p in problems),
        )
    return Found(passed[0])


def _check_entry(
    entry: Mapping[str, Any],
    document: Mapping[str, Any],
    *,
    issuer_id: str,
    ctx: VerificationContext,
    lists: dict[str, tuple[bytes, dict[str, Any]]],
) -> CheckResult:
    entry_type = entry.get("type")
    if entry_type in ("BitstringStatusListEntry", "StatusList2021Entry"):
        return _check_bitstring_entry(
            entry, str(entry_type), issuer_id=issuer_id, ctx=ctx, lists=lists
        )
    if entry_type == "1EdTechRevocationList":
        return _check_1edtech(entry, document, issuer_id=issuer_id, fetcher=ctx.fetcher)
    raise _Unverifiable("status_type_unsupported", type=str(entry_type)[:100])


# --- BitstringStatusList and StatusList2021 ---------------------------------------------


def _check_bitstring_entry(
    entry: Mapping[str, Any],
    entry_type: str,
    *,
    issuer_id: str,
    ctx: VerificationContext,
    lists: dict[str, tuple[bytes, dict[str, Any]]],
) -> CheckResult:
    is_bitstring = entry_type == "BitstringStatusListEntry"
    url = entry.get("statusListCredential")
    purpose = entry.get("statusPurpose")
    index_value = entry.get("statusListIndex")
    if not isinstance(url, str) or not isinstance(purpose, str):
        raise _Unverifiable("status_entry_invalid")
    index = _parse_index(index_value)
    size = _parse_index(entry.get("statusSize", 1)) if is_bitstring else 1
    if size < 1 or size > 8:
        raise _Unverifiable("status_entry_invalid")
    if url not in lists:
        lists[url] = _load_list(url, is_bitstring, issuer_id=issuer_id, ctx=ctx)
    bits, subject = lists[url]
    list_purposes = subject.get("statusPurpose")
    if purpose not in (list_purposes if isinstance(list_purposes, list) else [list_purposes]):
        raise _Unverifiable("status_list_purpose_mismatch", url=url[:300], purpose=purpose[:50])
    if len(bits) * 8 // size < MIN_LIST_ENTRIES:
        raise _Unverifiable("status_list_too_short", url=url[:300])
    position = index * size
    if position + size > len(bits) * 8:
        raise _Unverifiable("status_index_out_of_range", url=url[:300], index=str(index))
    value = 0
    for offset in range(position, position + size):
        # Index 0 is the most significant bit of the first byte (reference §5.3 step 6).
        value = (value << 1) | ((bits[offset // 8] >> (7 - offset % 8)) & 1)
    params = {"url": url[:300], "index": str(index), "purpose": purpose[:50]}
    if value and purpose in _PURPOSE_CODES:
        return CheckResult(CheckId.REVOCATION, Outcome.FAILED, _PURPOSE_CODES[purpose], params)
    return CheckResult(CheckId.REVOCATION, Outcome.PASSED, "status_not_revoked", params)


def _parse_index(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return int(value, 10)
    raise _Unverifiable("status_entry_invalid")


def _load_list(
    url: str, is_bitstring: bool, *, issuer_id: str, ctx: VerificationContext
) -> tuple[bytes, dict[str, Any]]:
    credential = _fetch_json(url, fetcher=ctx.fetcher)
    types = credential.get("type")
    types = types if isinstance(types, list) else [types]
    wanted_type = "BitstringStatusListCredential" if is_bitstring else "StatusList2021Credential"
    subject = credential.get("credentialSubject")
    wanted_subject = "BitstringStatusList" if is_bitstring else "StatusList2021"
    if wanted_type not in types or not isinstance(subject, dict):
        raise _Unverifiable("status_list_invalid", url=url[:300], reason=wanted_type)
    if subject.get("type") != wanted_subject:
        raise _Unverifiable("status_list_invalid", url=url[:300], reason=wanted_subject)
    if credential.get("id") != url:
        raise _Unverifiable("status_list_invalid", url=url[:300], reason="id")
    list_issuer = credential.get("issuer")
    list_issuer = list_issuer.get("id") if isinstance(list_issuer, dict) else list_issuer
    if list_issuer != issuer_id:
        raise _Unverifiable("status_list_wrong_issuer", url=url[:300])
    if "proof" not in credential:
        raise _Unverifiable("status_list_unsigned", url=url[:300])
    checks = verify_proofs(credential, issuer_id=issuer_id, ctx=ctx)
    issuer = checks.issuer
    if checks.proof.outcome != Outcome.PASSED or issuer is None or issuer.outcome != Outcome.PASSED:
        failed = checks.proof if checks.proof.outcome != Outcome.PASSED else issuer
        raise _Unverifiable(
            "status_list_proof_invalid",
            retryable=checks.retryable,
            url=url[:300],
            reason=failed.code if failed else "issuer_key_not_checked",
        )
    _check_list_dates(credential, url, now=ctx.now)
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str) or len(encoded) > MAX_ENCODED_CHARS:
        raise _Unverifiable("status_list_invalid", url=url[:300], reason="encodedList")
    if is_bitstring:
        # Multibase base64url: the "u" prefix is required (Digital Bazaar rejects its absence).
        if not encoded.startswith("u"):
            raise _Unverifiable("status_list_invalid", url=url[:300], reason="multibase")
        encoded = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        bits = inflate_capped(compressed, max_bytes=MAX_INFLATED_BYTES)
    except (ValueError, binascii.Error) as exc:
        raise _Unverifiable("status_list_invalid", url=url[:300], reason="encoding") from exc
    return bits, subject


def _check_list_dates(credential: Mapping[str, Any], url: str, *, now: datetime) -> None:
    starts = parse_datetime(credential.get("validFrom") or credential.get("issuanceDate"))
    ends = parse_datetime(credential.get("validUntil") or credential.get("expirationDate"))
    if (starts is not None and starts > now) or (ends is not None and ends < now):
        raise _Unverifiable("status_list_not_current", url=url[:300])


def _fetch_json(url: str, *, fetcher: Fetcher) -> dict[str, Any]:
    if urlsplit(url).scheme not in ("https", "http"):
        raise _Unverifiable("status_list_unreachable", url=url[:300], reason="not a web address")
    try:
        response = fetcher.get(
            url, accept="application/vc+ld+json, application/ld+json, application/json"
        )
    except FetchError as exc:
        raise _Unverifiable(
            "status_list_unreachable",
            retryable=exc.retryable,
            url=url[:300],
            reason=(exc.reason or exc.code)[:200],
        ) from exc
    if response.status >= 400:
        raise _Unverifiable(
            "status_list_unreachable", url=url[:300], reason=f"HTTP {response.status}"
        )
    if len(response.body) > MAX_LIST_DOCUMENT_BYTES:
        raise _Unverifiable("status_list_invalid", url=url[:300], reason="size")
    try:
        document = json.loads(response.body)
    except (ValueError, RecursionError) as exc:
        raise _Unverifiable("status_list_invalid", url=url[:300], reason="JSON") from exc
    if not isinstance(document, dict):
        raise _Unverifiable("status_list_invalid", url=url[:300], reason="JSON")
    return document


# --- 1EdTechRevocationList --------------------------------------------------------------


def _check_1edtech(
    entry: Mapping[str, Any],
    document: Mapping[str, Any],
    *,
    issuer_id: str,
    fetcher: Fetcher,
) -> CheckResult:
    url = entry.get("id")
    if not isinstance(url, str):
        raise _Unverifiable("status_entry_invalid")
    # The list is plain JSON, not a signed credential: it is only as trustworthy as the
    # issuer's own web host, so it must be served from the issuer's origin (§5.2).
    issuer_origin = _origin_of_issuer(issuer_id)
    if not issuer_origin or _origin(url) != issuer_origin:
        raise _Unverifiable("revocation_list_not_issuers", url=url[:300])
    revocation_list = _fetch_json(url, fetcher=fetcher)
    credential_id = document.get("id")
    entries: list[Any] = []
    for key in ("revokedCredential", "revokedCredentials"):
        value = revocation_list.get(key)
        entries.extend(value if isinstance(value, list) else [])
    for item in entries:
        item_id = item.get("id") if isinstance(item, dict) else item
        if credential_id and item_id == credential_id:
            if isinstance(item, dict) and item.get("revoked") is False:
                continue
            reason = item.get("revocationReason", "") if isinstance(item, dict) else ""
            return CheckResult(
                CheckId.REVOCATION,
                Outcome.FAILED,
                "status_revoked_listed",
                {"url": url[:300], "reason": str(reason)[:300]},
            )
    return CheckResult(CheckId.REVOCATION, Outcome.PASSED, "status_not_listed", {"url": url[:300]})


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
        default_port = 443 if parts.scheme == "https" else 80
        return f"{parts.scheme}://{parts.hostname}:{parts.port or default_port}".lower()
    except ValueError:
        return ""


def _origin_of_issuer(issuer_id: str) -> str:
    if issuer_id.startswith("https://"):
        return _origin(issuer_id)
    if issuer_id.startswith("did:web:"):
        host = issuer_id[len("did:web:") :].split(":", 1)[0].replace("%3A", ":").replace("%3a", ":")
        return _origin(f"https://{host}/")
    return ""
