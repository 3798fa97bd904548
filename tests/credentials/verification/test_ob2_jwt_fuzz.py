"""Property tests: no input makes the OB 2.0 or JWT parsers raise or hit an internal error.

Both entry points catch unexpected exceptions and report ``unexpected_error``; these tests
fail if any generated input reaches that safety net, i.e. if parsing itself would crash.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credentials.formats.ob2 import parse_ob2
from credentials.verification.context import VerificationContext
from credentials.verification.fetcher import FetchResponse
from credentials.verification.ob2 import verify_ob2
from credentials.verification.result import VerificationReport
from credentials.verification.vcjwt import JwtProof, verify_jwt_proof
from credentials.vocabulary import CheckId, Container, Status
from tests.credentials.issuers.http import IssuerServer
from tests.credentials.issuers.jose import b64url, did_key_issuer
from tests.credentials.issuers.ob2 import Ob2Issuer
from tests.fetchers import StaticFetcher

NOW = datetime(2026, 6, 1, tzinfo=UTC)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
OB2_KEYS = [
    "type",
    "id",
    "recipient",
    "badge",
    "verification",
    "issuedOn",
    "expires",
    "revoked",
    "uid",
    "verify",
    "evidence",
    "image",
    "issuer",
    "publicKey",
    "creator",
]
_OB2 = Ob2Issuer(IssuerServer(host="issuer.example", port=443))
_ISSUER = _OB2.server.url("/ob2")
structured = {
    "verification": st.sampled_from(
        [
            {"type": "HostedBadge"},
            {"type": "SignedBadge", "creator": f"{_ISSUER}/keys/1.json"},
            {"type": "signed"},
            {"type": 3},
        ]
    )
    | json_values,
    "badge": st.sampled_from(
        [f"{_ISSUER}/badges/python.json", {"issuer": f"{_ISSUER}/issuer.json"}]
    )
    | json_values,
    "id": st.sampled_from([f"{_ISSUER}/assertions/1.json", "urn:uuid:1", "http://10.0.0.1/a"])
    | json_values,
    "recipient": st.fixed_dictionaries(
        {"type": st.sampled_from(["email", "url"]), "identity": st.text(max_size=20)},
        optional={"hashed": json_values, "salt": json_values},
    )
    | json_values,
}
ob2_like = st.fixed_dictionaries(
    {
        "@context": st.sampled_from(
            ["https://w3id.org/openbadges/v2", "https://w3id.org/openbadges/v1", 7]
        ),
    },
    optional={key: structured.get(key, json_values) for key in OB2_KEYS},
)


def static_context() -> VerificationContext:
    issuer = _OB2
    documents: dict[str, bytes | str | FetchResponse] = {
        issuer.profile_id: json.dumps(issuer.profile),
        issuer.badge_id: json.dumps(issuer.badge),
        issuer.key_id: json.dumps(issuer.key_document),
        issuer.revocation_list_id: json.dumps(issuer.revocation_list),
    }
    return VerificationContext(
        fetcher=StaticFetcher(documents), now=NOW, recipient_emails=("hanako@example.jp",)
    )


def assert_clean_report(report: VerificationReport) -> None:
    assert isinstance(report, VerificationReport)
    assert report.status in set(Status)
    assert report.status != Status.VERIFIED or any(c.check == CheckId.PROOF for c in report.checks)
    assert all(c.code != "unexpected_error" for c in report.checks), report.checks
    for check in report.checks:
        assert isinstance(check.detail, str)


def assert_clean_proof(proof: JwtProof) -> None:
    results = [c for c in (proof.checks.proof, proof.checks.issuer) if c is not None]
    assert {c.check for c in results} == {CheckId.PROOF, CheckId.ISSUER}
    assert all(c.code != "unexpected_error" for c in results), results


@FUZZ
@given(st.text(max_size=300))
def test_any_text_gives_an_ob2_report(text):
    assert_clean_report(verify_ob2(text, container=Container.JSON, ctx=static_context()))


@FUZZ
@given(ob2_like)
def test_any_assertion_shaped_dict_gives_an_ob2_report(document):
    assert_clean_report(verify_ob2(document, container=Container.JSON, ctx=static_context()))


@FUZZ
@given(json_values, json_values)
def test_any_jws_with_json_header_and_payload_gives_reports(header, payload):
    token = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}.c2ln"
    assert_clean_report(verify_ob2(token, container=Container.JWS, ctx=static_context()))
    assert_clean_proof(verify_jwt_proof(token, ctx=static_context()))


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["alg", "kid", "jwk", "crit", "b64", "typ"]), json_values, max_size=4
    ),
    ob2_like,
)
def test_signed_ob2_with_odd_headers_gives_reports(header, assertion):
    token = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(assertion).encode())}."
    assert_clean_report(verify_ob2(token, container=Container.JWS, ctx=static_context()))


@FUZZ
@given(st.text(alphabet="ABCDEFabcdef0123456789-_.", max_size=200))
def test_any_jws_like_text_gives_a_jwt_proof(text):
    assert_clean_proof(verify_jwt_proof(text, ctx=static_context()))


@FUZZ
@given(st.integers(min_value=0, max_value=400), st.binary(min_size=1, max_size=3))
def test_byte_flips_in_a_valid_token_never_crash(position, noise):
    token = did_key_issuer("EdDSA").token("b")
    index = position % len(token)
    mutated = token[:index] + noise.decode("latin-1") + token[index + 1 :]
    proof = verify_jwt_proof(mutated, ctx=static_context())
    assert_clean_proof(proof)


@FUZZ
@given(ob2_like, st.one_of(st.none(), json_values), st.one_of(st.none(), json_values))
def test_parse_ob2_only_raises_its_own_error(assertion, badge, issuer):
    from credentials.formats.ob2 import Ob2FormatError

    with contextlib.suppress(Ob2FormatError):
        record = parse_ob2(
            assertion,
            badge=badge if isinstance(badge, dict) else None,
            issuer=issuer if isinstance(issuer, dict) else None,
        )
        assert record.spec_version == "2.0"
