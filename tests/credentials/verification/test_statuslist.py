"""Status lists: bit order, purposes, the list's own proof and issuer, caps and failures."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime
from typing import Any

import pytest

from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import FetchResponse
from credentials.verification.result import Found
from credentials.verification.statuslist import check_status
from credentials.vocabulary import Outcome
from tests.credentials.issuers.dataintegrity import (
    Issuer,
    encode_bits,
    ob3_credential,
    sign,
    status_entry,
    status_list,
)
from tests.fetchers import StaticFetcher

URL = "https://issuer.example.test/status/3"
ISSUER = Issuer.did_key()


def _check(
    listing: dict[str, Any] | bytes | FetchResponse | None,
    entry: dict[str, Any] | list[dict[str, Any]],
    now: datetime,
    *,
    issuer: Issuer = ISSUER,
) -> Found:
    documents: dict[str, Any] = {}
    if listing is not None:
        documents[URL] = (
            listing if isinstance(listing, bytes | FetchResponse) else json.dumps(listing)
        )
    credential = ob3_credential(issuer, status=entry)
    ctx = VerificationContext(fetcher=StaticFetcher(documents), now=now)
    return check_status(credential, issuer_id=issuer.id, ctx=ctx)


def test_bit_order_is_most_significant_bit_first(now: datetime) -> None:
    listing = status_list(URL, ISSUER, set_bits={0, 9})
    outcomes = {i: _check(listing, status_entry(URL, i), now).result.outcome for i in range(12)}
    revoked = {i for i, outcome in outcomes.items() if outcome == Outcome.FAILED}
    assert revoked == {0, 9}


def test_byte_layout_of_the_encoded_list() -> None:
    raw = gzip.decompress(base64.urlsafe_b64decode(encode_bits({0, 9})[1:] + "=="))
    assert raw[:2] == bytes([0b1000_0000, 0b0100_0000])


def test_list_by_another_issuer_is_not_trusted(now: datetime) -> None:
    listing = status_list(URL, Issuer.did_key(), set_bits={1})
    found = _check(listing, status_entry(URL, 1), now)
    assert (found.result.outcome, found.result.code) == (
        Outcome.UNVERIFIABLE,
        "status_list_wrong_issuer",
    )


def test_list_edited_after_signing_is_not_trusted(now: datetime) -> None:
    listing = status_list(URL, ISSUER, set_bits={1})
    listing["credentialSubject"]["encodedList"] = encode_bits(set())
    found = _check(listing, status_entry(URL, 1), now)
    assert (found.result.outcome, found.result.code) == (
        Outcome.UNVERIFIABLE,
        "status_list_proof_invalid",
    )


def test_unsigned_list_is_not_trusted(now: datetime) -> None:
    listing = status_list(URL, ISSUER, set_bits={1}, sign_it=False)
    assert _check(listing, status_entry(URL, 1), now).result.code == "status_list_unsigned"


def test_list_for_another_url_is_not_trusted(now: datetime) -> None:
    listing = status_list("https://issuer.example.test/status/other", ISSUER)
    assert _check(listing, status_entry(URL, 1), now).result.code == "status_list_invalid"


def test_purpose_must_match(now: datetime) -> None:
    listing = status_list(URL, ISSUER, purpose="suspension")
    found = _check(listing, status_entry(URL, 1, purpose="revocation"), now)
    assert found.result.code == "status_list_purpose_mismatch"


def test_every_entry_counts(now: datetime) -> None:
    listing = status_list(URL, ISSUER, set_bits={5})
    entries = [status_entry(URL, 1), status_entry(URL, 5)]
    assert _check(listing, entries, now).result.code == "status_revoked"


def test_unknown_status_type_is_unverifiable_never_ignored(now: datetime) -> None:
    entry = {"id": URL, "type": "RevocationList2020Status", "revocationListIndex": "1"}
    found = _check(None, entry, now)
    assert (found.result.outcome, found.result.code) == (
        Outcome.UNVERIFIABLE,
        "status_type_unsupported",
    )


def test_unreachable_list_is_unverifiable_and_retryable(now: datetime) -> None:
    found = _check(None, status_entry(URL, 1), now)
    assert (found.result.outcome, found.retryable) == (Outcome.UNVERIFIABLE, True)


def test_list_answering_404_is_unverifiable_not_retryable(now: datetime) -> None:
    found = _check(FetchResponse(URL, 404, b"nope"), status_entry(URL, 1), now)
    assert (found.result.outcome, found.retryable) == (Outcome.UNVERIFIABLE, False)


def test_gzip_bomb_is_refused_quickly(now: datetime) -> None:
    bomb = gzip.compress(bytes(64 * 1024 * 1024))  # 64 MiB of zeros, ~64 KiB compressed
    encoded = "u" + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    listing = status_list(URL, ISSUER, encoded=encoded)
    found = _check(listing, status_entry(URL, 1), now)
    assert (found.result.outcome, found.result.params["reason"]) == (
        Outcome.UNVERIFIABLE,
        "encoding",
    )


def test_list_shorter_than_the_minimum_is_refused(now: datetime) -> None:
    listing = status_list(URL, ISSUER, encoded=encode_bits(set(), entries=8 * 1024))
    assert _check(listing, status_entry(URL, 1), now).result.code == "status_list_too_short"


def test_index_beyond_the_list_is_refused(now: datetime) -> None:
    listing = status_list(URL, ISSUER)
    assert (
        _check(listing, status_entry(URL, 131_072), now).result.code == "status_index_out_of_range"
    )


@pytest.mark.parametrize("index", ["-1", "+3", "0x10", "3.0", "", "12345678901234"])
def test_odd_indexes_are_refused(now: datetime, index: str) -> None:
    entry = status_entry(URL, 1) | {"statusListIndex": index}
    assert _check(status_list(URL, ISSUER), entry, now).result.code == "status_entry_invalid"


def test_bitstring_list_needs_its_multibase_prefix(now: datetime) -> None:
    listing = status_list(URL, ISSUER, encoded=encode_bits({1}, multibase=False))
    assert _check(listing, status_entry(URL, 1), now).result.params["reason"] == "multibase"


def test_list_outside_its_own_validity_is_not_used(now: datetime) -> None:
    unsigned = status_list(URL, ISSUER, set_bits={1}, sign_it=False)
    unsigned["validUntil"] = "2026-01-01T00:00:00Z"
    found = _check(sign(unsigned, ISSUER), status_entry(URL, 1), now)
    assert found.result.code == "status_list_not_current"


def test_multi_bit_status_reads_the_whole_value(now: datetime) -> None:
    # Two bits per entry: the list needs twice the bits for the minimum number of entries.
    listing = status_list(URL, ISSUER, encoded=encode_bits({7}, entries=2 * 131_072))
    entry = status_entry(URL, 3) | {"statusSize": 2}  # entry 3 covers bits 6 and 7
    assert _check(listing, entry, now).result.outcome == Outcome.FAILED
    short = status_list(URL, ISSUER, set_bits={7})
    assert _check(short, entry, now).result.code == "status_list_too_short"
