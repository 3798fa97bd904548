"""Reasons in the reader's language: one sentence per check, identifiers and error text only
in the technical details (each once), dates in the language's one date format."""

import re

import pytest
from django.utils import translation

from credentials.verification.messages import MESSAGES
from credentials.verification.reasons import plain_reason
from credentials.verification.result import CheckResult
from credentials.vocabulary import CheckId, Outcome

DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
SAMPLES = {
    "url": "https://status.example.test/status/1",
    "reason": "DNS lookup failed: [Errno -2] Name or service not known",
    "detail": "EntitiesForbidden",
    "issuer": DID,
    "key": f"{DID}#z6MkhaXg",
    "method_id": f"{DID}#z6MkhaXg",
    "controller": "did:web:other.example",
    "did": DID,
    "owner": "https://other.example/issuer",
    "found": "https://other.example/a/1",
    "id": "urn:uuid:1",
    "date": "2025-06-30 00:00 UTC",
    "expires": "2025-06-30 00:00 UTC",
    "issued": "2025-04-01 00:00 UTC",
}
TECHNICAL = re.compile(r"did:[a-z0-9]+:|https?://|Errno|EntitiesForbidden|urn:uuid|\bUTC\b")


def _check(code: str) -> CheckResult:
    names = re.findall(r"%\((\w+)\)s", str(MESSAGES[code]))
    params = {name: SAMPLES.get(name, "7") for name in names}
    return CheckResult(CheckId.PROOF, Outcome.FAILED, code, params)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_no_sentence_carries_identifiers_or_error_text(language):
    with translation.override(language):
        for code in MESSAGES:
            if code.endswith("_reason"):
                continue  # the issuer's own words about a revocation: shown as written
            reason = plain_reason(_check(code))
            assert not TECHNICAL.search(reason.sentence), (code, reason.sentence)
            assert "\u2063" not in reason.sentence
            assert "()" not in reason.sentence, code
            assert "（）" not in reason.sentence, code


def test_the_identifiers_are_in_the_technical_details_each_once():
    check = CheckResult(
        CheckId.ISSUER,
        Outcome.PASSED,
        "jwt_key_bound",
        {"key": DID, "issuer": DID},
    )
    reason = plain_reason(check)
    assert [value for _, value in reason.technical] == [DID]


def test_an_error_string_is_technical_and_the_sentence_is_translated():
    check = CheckResult(
        CheckId.REVOCATION,
        Outcome.UNVERIFIABLE,
        "status_list_unreachable",
        {"url": SAMPLES["url"], "reason": SAMPLES["reason"]},
    )
    with translation.override("ja"):
        reason = plain_reason(check)
    assert reason.sentence.startswith("発行者のステータスリスト")
    assert tuple(value for _, value in reason.technical) >= (
        "DNS lookup failed: [Errno -2] Name or service not known",
    ) or any("Errno" in value for _, value in reason.technical)


def test_the_issuers_own_revocation_reason_stays_in_the_sentence():
    check = CheckResult(
        CheckId.REVOCATION, Outcome.FAILED, "ob2_revoked_flag_reason", {"reason": "Issued in error"}
    )
    assert "Issued in error" in plain_reason(check).sentence


@pytest.mark.parametrize(
    ("language", "expected"), [("ja", "2025年6月30日"), ("en", "June 30, 2025")]
)
def test_dates_use_the_languages_date_format(language, expected):
    check = CheckResult(
        CheckId.VALIDITY, Outcome.FAILED, "expired", {"date": "2025-06-30 00:00 UTC"}
    )
    with translation.override(language):
        assert expected in plain_reason(check).sentence
