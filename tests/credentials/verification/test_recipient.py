"""Recipient matching: plain and salted-hash identities against the applicant's e-mails."""

from __future__ import annotations

import hashlib

import pytest

from credentials.formats.record import Identity
from credentials.verification.recipient import check_recipient
from credentials.vocabulary import CheckId, Outcome


def hashed(value: str, salt: str = "", algorithm: str = "sha256", upper: bool = False) -> Identity:
    digest = hashlib.new(algorithm, (value + salt).encode()).hexdigest()
    if upper:
        digest = digest.upper()
    return Identity(type="email", identity=f"{algorithm}${digest}", hashed=True, salt=salt)


def test_no_applicant_email_means_not_applicable():
    result = check_recipient([Identity(type="email", identity="a@example.org")], [])
    assert result.check == CheckId.RECIPIENT
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.code == "recipient_not_checked"


def test_plain_email_matches_case_insensitively():
    result = check_recipient(
        [Identity(type="email", identity="Hanako.Yamada@Example.JP")], ["hanako.yamada@example.jp"]
    )
    assert result.outcome == Outcome.PASSED
    assert result.params == {"email": "hanako.yamada@example.jp"}


def test_plain_email_for_someone_else_is_a_mismatch():
    result = check_recipient(
        [Identity(type="email", identity="taro@example.jp")], ["hanako@example.jp"]
    )
    assert result.outcome == Outcome.FAILED
    assert result.code == "recipient_mismatch"


@pytest.mark.parametrize("salt", ["", "deadsea", "塩"])
def test_sha256_hash_with_salt_matches(salt):
    result = check_recipient([hashed("hanako@example.jp", salt)], ["hanako@example.jp"])
    assert result.outcome == Outcome.PASSED
    assert result.code == "recipient_matched"


def test_hash_hex_is_compared_case_insensitively():
    result = check_recipient([hashed("hanako@example.jp", "s", upper=True)], ["hanako@example.jp"])
    assert result.outcome == Outcome.PASSED


def test_issuer_normalisation_is_tolerated_trimmed_and_lower_cased():
    # The issuer hashed the lower-cased address; the portal stores it with capitals and spaces.
    identity = hashed("hanako@example.jp", "pepper")
    result = check_recipient([identity], [" Hanako@Example.JP "])
    assert result.outcome == Outcome.PASSED
    assert result.params == {"email": " Hanako@Example.JP "}


def test_hash_as_stored_without_lowering_also_matches():
    identity = hashed("Hanako@Example.JP", "pepper")
    assert check_recipient([identity], ["Hanako@Example.JP"]).outcome == Outcome.PASSED


def test_wrong_salt_does_not_match():
    identity = hashed("hanako@example.jp", "salt-a")
    wrong = Identity(type="email", identity=identity.identity, hashed=True, salt="salt-b")
    assert check_recipient([wrong], ["hanako@example.jp"]).code == "recipient_mismatch"


def test_md5_is_accepted_with_a_legacy_note():
    result = check_recipient([hashed("hanako@example.jp", "x", "md5")], ["hanako@example.jp"])
    assert result.outcome == Outcome.PASSED
    assert result.code == "recipient_matched_legacy_hash"


def test_ob3_email_address_type_and_bare_digest():
    digest = hashlib.sha256(b"hanako@example.jp" + b"abc").hexdigest()
    identity = Identity(type="emailAddress", identity=digest, hashed=True, salt="abc")
    assert check_recipient([identity], ["hanako@example.jp"]).outcome == Outcome.PASSED


def test_an_email_cannot_match_a_url_recipient():
    result = check_recipient(
        [Identity(type="url", identity="hanako@example.jp")], ["hanako@example.jp"]
    )
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.code == "recipient_no_email_identity"


def test_mailto_subject_id_is_an_email_identity():
    result = check_recipient([], ["hanako@example.jp"], subject_id="mailto:HANAKO@example.jp")
    assert result.outcome == Outcome.PASSED
    other = check_recipient([], ["hanako@example.jp"], subject_id="mailto:taro@example.jp")
    assert other.outcome == Outcome.FAILED


def test_did_subject_is_not_an_email():
    result = check_recipient([], ["hanako@example.jp"], subject_id="did:example:123")
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_any_of_several_applicant_emails_may_match():
    result = check_recipient([hashed("work@corp.jp", "s")], ["home@example.jp", "work@corp.jp"])
    assert result.outcome == Outcome.PASSED
    assert result.params == {"email": "work@corp.jp"}


def test_unknown_hash_algorithm_cannot_be_checked():
    identity = Identity(type="email", identity="sha512$abcdef", hashed=True)
    result = check_recipient([identity], ["hanako@example.jp"])
    assert result.outcome == Outcome.UNVERIFIABLE
    assert result.params == {"algorithm": "sha512"}
    assert "sha512" in result.detail
