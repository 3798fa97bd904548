"""The normalized record of an OB 2.0 assertion, and where each field came from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from credentials.formats.ob2 import (
    Ob2FormatError,
    ob2_version,
    parse_ob2,
    parse_ob2_datetime,
)
from credentials.formats.record import CredentialRecord
from credentials.vocabulary import Container, CredentialFormat
from tests.credentials.issuers.http import IssuerServer
from tests.credentials.issuers.ob2 import Ob2Issuer


@pytest.fixture
def issuer():
    # Documents only; nothing is served, so a server object that never starts will do.
    return Ob2Issuer(IssuerServer(host="issuer.example", port=443))


def resolve(document, path: str):
    value = document
    for part in path.replace("]", "").replace("[", ".").split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def test_fields_of_an_assertion_with_fetched_badge_and_issuer(issuer):
    assertion = issuer.assertion(expires="2027-03-31T00:00:00Z", hashed=False)

    record = parse_ob2(
        assertion, badge=issuer.badge, issuer=issuer.profile, container=Container.PNG
    )

    assert record.format == CredentialFormat.OB2
    assert record.spec_version == "2.0"
    assert record.container == Container.PNG
    assert record.id == assertion["id"]
    assert record.types == ("Assertion",)
    assert record.title == "Python Programming Fundamentals"
    assert record.description.startswith("Writes, tests")
    assert record.achievement_id == issuer.badge_id
    assert record.issuer_id == issuer.profile_id
    assert record.issuer_name == "Example University"
    assert record.issuer_email == "badges@example.ac.jp"
    assert record.recipients[0].identity == "hanako@example.jp"
    assert record.recipients[0].hashed is False
    assert record.issued_at == datetime(2025, 4, 1, 0, 0, tzinfo=UTC)
    assert record.valid_until == datetime(2027, 3, 31, tzinfo=UTC)
    assert record.criteria_narrative == "Passed a 3-hour practical exam."
    assert record.criteria_url.endswith("/criteria")
    assert record.alignments[0].target_code == "SD-1"
    assert record.alignments[0].path == "badge.alignment[0]"
    assert record.tags == ("python", "programming")
    assert record.evidence[0].narrative == "Final project."
    assert record.image_url.endswith("python.png")


def test_every_path_resolves_inside_the_document(issuer):
    record = parse_ob2(
        issuer.assertion(expires="2027-01-01T00:00:00Z"), badge=issuer.badge, issuer=issuer.profile
    )
    for field, path in record.paths.items():
        if field in ("criteria_narrative", "issuer_url") and not getattr(record, field):
            continue
        assert resolve(record.document, path) is not None, field
    assert record.document["badge"]["issuer"]["id"] == issuer.profile_id


def test_embedded_badge_and_issuer_are_read_in_place(issuer):
    record = parse_ob2(issuer.embedded(issuer.assertion()))
    assert record.title == "Python Programming Fundamentals"
    assert record.issuer_name == "Example University"


def test_record_survives_a_json_round_trip(issuer):
    record = parse_ob2(issuer.assertion(), badge=issuer.badge, issuer=issuer.profile)
    assert CredentialRecord.from_json(record.as_json(include_document=True)) == record


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-04-01T09:00:00+09:00", datetime(2025, 4, 1, 0, 0, tzinfo=UTC)),
        ("2025-04-01T00:00:00Z", datetime(2025, 4, 1, tzinfo=UTC)),
        ("2025-04-01", datetime(2025, 4, 1, tzinfo=UTC)),
        (1743465600, datetime(2025, 4, 1, tzinfo=UTC)),
        ("1743465600", datetime(2025, 4, 1, tzinfo=UTC)),
        (None, None),
    ],
)
def test_ob2_dates(value, expected):
    assert parse_ob2_datetime(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01", True, [], "9" * 30])
def test_unreadable_dates_raise(value):
    with pytest.raises(Ob2FormatError, match="not a date"):
        parse_ob2_datetime(value)


@pytest.mark.parametrize(
    ("document", "version"),
    [
        ({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"}, "2.0"),
        ({"@context": ["https://openbadgespec.org/v2/context.json"]}, "2.0"),
        ({"type": "Assertion", "recipient": {}}, "2.0"),
        ({"@context": "https://w3id.org/openbadges/v1"}, "1.1"),
        ({"@context": "https://www.w3.org/ns/credentials/v2", "type": "Assertion"}, ""),
        ({"name": "hello"}, ""),
    ],
)
def test_version_detection(document, version):
    assert ob2_version(document) == version
