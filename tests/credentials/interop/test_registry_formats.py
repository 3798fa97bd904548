"""Registry formats: the real DCC community registry snapshot and the EBSI TIR v5 shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from credentials.registries.formats import (
    RegistryFormat,
    RegistryFormatError,
    parse_registry,
)

REGISTRIES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "registries"
COMMUNITY = REGISTRIES / "dcc-community-registry.json"


def test_the_dcc_community_registry_snapshot_is_read_whole() -> None:
    page = parse_registry(COMMUNITY.read_bytes())
    published = json.loads(COMMUNITY.read_text())["registry"]
    assert page.format == RegistryFormat.DCC_LEGACY
    assert {i.issuer_id for i in page.issuers} == set(published)
    by_id = {i.issuer_id: i for i in page.issuers}
    school = by_id["did:web:credentials.myschool.ca"]
    assert school.name == "My School"
    assert school.location == "Ancaster, ON, Canada"
    assert school.url == "https://some.domain.ca"
    assert page.updated_at is not None
    assert page.updated_at.year == 2025


def test_dcc_entries_keep_legal_name_and_skip_broken_ones() -> None:
    data = {
        "meta": {"created": "2024-01-01T00:00:00Z"},
        "registry": {
            "did:web:uni.example": {"name": "Uni", "legalName": "University of Example Ltd"},
            "not-a-did": {"name": "broken"},
            "did:key:z6Mkx": "not an object",
        },
    }
    page = parse_registry(json.dumps(data).encode())
    assert [(i.issuer_id, i.legal_name) for i in page.issuers] == [
        ("did:web:uni.example", "University of Example Ltd")
    ]


def test_an_ebsi_issuers_page_lists_dids_and_links_to_the_next_page() -> None:
    data = {
        "self": "https://api.example.eu/trusted-issuers-registry/v5/issuers?page[after]=1&page[size]=2",
        "items": [
            {
                "did": "did:ebsi:zAAA",
                "href": "https://api.example.eu/trusted-issuers-registry/v5/issuers/did:ebsi:zAAA",
            },
            {
                "did": "did:ebsi:zBBB",
                "href": "https://api.example.eu/trusted-issuers-registry/v5/issuers/did:ebsi:zBBB",
            },
        ],
        "total": 3,
        "pageSize": 2,
        "links": {
            "first": "https://api.example.eu/trusted-issuers-registry/v5/issuers?page[after]=1&page[size]=2",
            "next": "https://api.example.eu/trusted-issuers-registry/v5/issuers?page[after]=2&page[size]=2",
            "last": "https://api.example.eu/trusted-issuers-registry/v5/issuers?page[after]=2&page[size]=2",
        },
    }
    page = parse_registry(json.dumps(data).encode())
    assert page.format == RegistryFormat.EBSI_TIR_V5
    assert [i.issuer_id for i in page.issuers] == ["did:ebsi:zAAA", "did:ebsi:zBBB"]
    assert page.next_url.endswith("page[after]=2&page[size]=2")
    data["self"] = data["links"]["next"]
    assert parse_registry(json.dumps(data).encode()).next_url == ""


def test_ebsi_issuers_whose_accreditations_are_all_revoked_are_not_listed() -> None:
    data = {
        "items": [
            {"did": "did:ebsi:zTI", "attributes": [{"issuerType": "TI", "tao": "did:ebsi:zTAO"}]},
            {"did": "did:ebsi:zGone", "attributes": [{"issuerType": "Revoked"}]},
            {
                "did": "did:ebsi:zTAO",
                "attributes": [{"issuerType": "Revoked"}, {"issuerType": "TAO"}],
            },
        ]
    }
    page = parse_registry(json.dumps(data).encode())
    assert [(i.issuer_id, i.issuer_type) for i in page.issuers] == [
        ("did:ebsi:zTI", "TI"),
        ("did:ebsi:zTAO", "TAO"),
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"not json", b"[1, 2]", b'{"issuers": []}', b'{"registry": []}', b"[" * 100_000],
)
def test_anything_else_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(RegistryFormatError) as caught:
        parse_registry(data)
    assert caught.value.reason


def test_the_expected_format_is_enforced() -> None:
    with pytest.raises(RegistryFormatError):
        parse_registry(COMMUNITY.read_bytes(), expected=RegistryFormat.EBSI_TIR_V5)
