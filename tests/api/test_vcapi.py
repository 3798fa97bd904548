"""The VC-API verifier endpoints' contract: status codes, body shape, malformed bodies,
limits, and presentations (proof, domain, challenge, the credentials inside)."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from credentials import vcapi
from tests.credentials.issuers.dataintegrity import Issuer, ob3_credential, sign
from tests.credentials.issuers.http import issuer_server  # noqa: F401 — fixture
from tests.credentials.issuers.jose import did_key_issuer

VERIFY = "/credentials/verify"
VERIFY_VP = "/presentations/verify"
VECTORS = Path(__file__).parents[1] / "credentials" / "verification" / "vectors"
SECURITY = "https://w3id.org/security#"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> Client:
    # A browser-less client with CSRF enforced: the verifier must not need a token.
    return Client(enforce_csrf_checks=True)


def _post(api: Client, body: Any, path: str = VERIFY, **extra: Any) -> Any:
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return api.post(path, data=data, content_type="application/json", **extra)


def _shape(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) >= {"verified", "checks", "warnings", "errors"}
    for item in body["errors"] + body["warnings"]:
        assert {"type", "title", "detail", "code"} <= set(item)
    return body


def _codes(body: dict[str, Any]) -> set[str]:
    return {e["code"] for e in body["errors"]}


@pytest.fixture
def issuer() -> Issuer:
    return Issuer.did_key()


@pytest.fixture
def signed(issuer: Issuer) -> dict[str, Any]:
    return sign(ob3_credential(issuer), issuer)


# --- credentials ------------------------------------------------------------------------


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-2022"])
def test_valid_credential_is_200_verified_with_unknown_options_tolerated(
    api: Client, issuer: Issuer, suite: str
) -> None:
    credential = sign(ob3_credential(issuer), issuer, suite=suite)  # type: ignore[arg-type]
    response = _post(
        api, {"verifiableCredential": credential, "options": {"checks": ["proof"], "x": [1]}}
    )
    body = _shape(response)
    assert response.status_code == 200, body
    assert body["verified"] is True
    assert body["errors"] == []
    assert {"proof", "issuer", "validity"} <= set(body["checks"])
    # A bare did:key issuer vouches only for itself: intact, identity not confirmed.
    assert body["answers"]["intact"] == "yes"
    assert body["answers"]["issuer_identity"] == "not_confirmed"
    assert body["answers"]["recipient"] == "not_checked"


@pytest.mark.parametrize("kind", ["p256", "p384"])
def test_ecdsa_credentials_verify(api: Client, kind: str) -> None:
    issuer = Issuer.did_key(kind)  # type: ignore[arg-type]
    for suite in ("ecdsa-rdfc-2019",):
        credential = sign(ob3_credential(issuer), issuer, suite=suite)  # type: ignore[arg-type]
        response = _post(api, {"verifiableCredential": credential})
        assert response.status_code == 200, response.json()


def test_tampered_credential_is_400_with_a_proof_problem(api: Client, signed: dict) -> None:
    signed["name"] = "Something else"
    response = _post(api, {"verifiableCredential": signed})
    body = _shape(response)
    assert response.status_code == 400
    assert body["verified"] is False
    problem = next(e for e in body["errors"] if e["code"] == "signature_invalid")
    assert problem["type"] == SECURITY + "PROOF_VERIFICATION_ERROR"
    assert problem["check"] == "proof"
    assert problem["detail"]


def test_w3c_vector_signed_by_a_key_not_the_issuers_is_not_verified(api: Client) -> None:
    """Issuer binding stays: the signature is valid, but the key is not the issuer's."""
    vector = json.loads((VECTORS / "eddsa" / "eddsa-rdfc-2022.json").read_text())
    response = _post(api, {"verifiableCredential": vector, "options": {"checks": ["proof"]}})
    body = _shape(response)
    assert response.status_code == 400
    assert "proof" in body["checks"]
    assert "key_not_issuers" in _codes(body)


def test_reasons_come_in_the_request_language(api: Client, signed: dict) -> None:
    signed["name"] = "Changed"
    body = {"verifiableCredential": signed}
    english = _shape(_post(api, body, HTTP_ACCEPT_LANGUAGE="en"))["errors"][0]["detail"]
    japanese = _shape(_post(api, body, HTTP_ACCEPT_LANGUAGE="ja"))["errors"][0]["detail"]
    assert english.startswith("The signature")
    assert "署名" in japanese


def test_undefined_term_is_a_data_loss_error(api: Client, signed: dict) -> None:
    signed["credentialSubject"]["undefinedTerm"] = "IfDroppedWillVerify"
    body = _shape(_post(api, {"verifiableCredential": signed}))
    assert SECURITY + "DATA_LOSS_DETECTION_ERROR" in {e["type"] for e in body["errors"]}


@pytest.mark.parametrize(
    "body",
    [
        [],
        "a string",
        17,
        None,
        {},
        {"options": {}},
        {"verifiableCredential": None},
        {"verifiableCredential": 3},
        {"verifiableCredential": ["not", "a", "credential"]},
        {"verifiableCredential": {"type": ["VerifiablePresentation"]}},
        {"verifiableCredential": {}, "options": "not an object"},
        {"verifiableCredential": {}, "options": {"challenge": 5}},
    ],
)
def test_malformed_bodies_are_400_json(api: Client, body: Any) -> None:
    response = _post(api, body)
    result = _shape(response)
    assert response.status_code == 400
    assert result["verified"] is False
    assert result["errors"]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c.__setitem__("proof", None),
        lambda c: c.pop("proof"),
        lambda c: c["proof"].pop("type"),
        lambda c: c["proof"].pop("proofValue"),
        lambda c: c["proof"].pop("verificationMethod"),
        lambda c: c["proof"].pop("proofPurpose"),
        lambda c: c["proof"].pop("created"),
        lambda c: c.pop("@context"),
        lambda c: c.pop("type"),
        lambda c: c.pop("issuer"),
        lambda c: c.pop("credentialSubject"),
        lambda c: c.__setitem__("@context", "string"),
        lambda c: c.__setitem__("@context", [None]),
        lambda c: c.__setitem__("type", "VerifiableCredential"),
        lambda c: c.__setitem__("type", [{}]),
        lambda c: c.__setitem__("issuer", []),
        lambda c: c.__setitem__("credentialSubject", "string"),
        lambda c: c.__setitem__("proof", "string"),
        lambda c: c["proof"].__setitem__("cryptosuite", "UnknownCryptosuite"),
        lambda c: c["proof"].__setitem__("proofPurpose", "invalidPurpose"),
        lambda c: c["proof"].__setitem__("created", "invalidDate"),
        lambda c: c["proof"].__setitem__("expires", "invalidDate"),
    ],
)
def test_must_reject_cases_of_the_w3c_suites_are_400(
    api: Client, signed: dict, mutate: Any
) -> None:
    mutate(signed)
    response = _post(api, {"verifiableCredential": signed, "options": {"checks": ["proof"]}})
    assert response.status_code == 400, response.json()
    assert _shape(response)["verified"] is False


def test_credential_as_a_json_string_is_refused(api: Client, signed: dict) -> None:
    """Data Integrity "Verify Proof": a secured document that is not a map is an error."""
    body = _shape(_post(api, {"verifiableCredential": json.dumps(signed)}))
    assert _codes(body) == {"credential_not_object"}


def test_vc_jwt_string_and_envelope_are_verified(api: Client) -> None:
    jwt_issuer = did_key_issuer("ES256")
    token = jwt_issuer.token("c")
    direct = _post(api, {"verifiableCredential": token})
    enveloped = _post(
        api,
        {
            "verifiableCredential": {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["EnvelopedVerifiableCredential"],
                "id": f"data:application/vc+jwt,{token}",
            }
        },
    )
    assert direct.status_code == enveloped.status_code
    assert _shape(direct) == _shape(enveloped)
    assert "proof" in direct.json()["checks"]


def test_invalid_json_is_400_json(api: Client) -> None:
    response = _post(api, b'{"verifiableCredential": ')
    assert response.status_code == 400
    assert _shape(response)["errors"][0]["code"] == "parse_error"


def test_50_mb_body_is_413_json(api: Client) -> None:
    body = b'{"verifiableCredential": "' + b"a" * 50_000_000 + b'"}'
    response = _post(api, body)
    assert response.status_code == 413
    assert _shape(response)["errors"][0]["code"] == "request_too_large"


def test_body_cap_is_the_setting(api: Client, settings: Any, signed: dict) -> None:
    settings.VERIFIER_API_MAX_BODY_BYTES = 100
    assert _post(api, {"verifiableCredential": signed}).status_code == 413


def test_no_redirect_no_login_and_other_methods_are_json(api: Client, signed: dict) -> None:
    slash = _post(api, {"verifiableCredential": signed}, path=VERIFY + "/")
    assert slash.status_code == 200
    get = api.get(VERIFY)
    assert get.status_code == 405
    assert _shape(get)["verified"] is False
    assert _post(api, {}, path=VERIFY_VP + "/").status_code == 400


def test_rate_limited_per_client_address(api: Client, settings: Any, signed: dict) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "verifier": "2/minute",
        },
    }
    body = {"verifiableCredential": signed}
    assert [_post(api, body).status_code for _ in range(2)] == [200, 200]
    limited = _post(api, body)
    assert limited.status_code == 429
    assert limited["Retry-After"]
    assert _shape(limited)["errors"][0]["code"] == "throttled"
    other = _post(api, body, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_time_budget_is_honoured(api: Client, monkeypatch: Any, issuer_server: Any) -> None:  # noqa: F811
    """A key host that does not answer in time: the client gets a 400 within the budget."""
    did_issuer = Issuer.did_web(issuer_server.authority)

    def slow() -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.5)
        return (
            200,
            {"Content-Type": "application/json"},
            json.dumps(did_issuer.controller_document()).encode(),
        )

    issuer_server.routes["/.well-known/did.json"] = slow
    monkeypatch.setattr(vcapi, "TIME_BUDGET_SECONDS", 0.2)
    response = _post(api, {"verifiableCredential": sign(ob3_credential(did_issuer), did_issuer)})
    assert response.status_code == 400
    assert _codes(_shape(response)) == {"verification_timeout"}


def test_openapi_schema_documents_both_endpoints(api: Client) -> None:
    schema = api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    for path in (VERIFY, VERIFY_VP):
        operation = paths[path]["post"]
        assert {"200", "400", "413", "429"} <= set(operation["responses"])
        assert operation["security"] == [{}] or "security" not in operation


# --- presentations ----------------------------------------------------------------------

DOMAIN = "portal.example"
CHALLENGE = "u1TDoYa8j8NmQ6tRmOuBZfA"


def _presentation(holder: Issuer, credentials: list[dict], **sign_options: Any) -> dict:
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder.id,
        "verifiableCredential": credentials,
    }
    options = {
        "domain": DOMAIN,
        "challenge": CHALLENGE,
        "proof_purpose": "authentication",
        **sign_options,
    }
    return sign(unsigned, holder, **options)


def test_presentation_with_challenge_and_domain_verifies(api: Client, signed: dict) -> None:
    holder = Issuer.did_key()
    vp = _presentation(holder, [signed])
    response = _post(
        api,
        {"verifiablePresentation": vp, "options": {"domain": DOMAIN, "challenge": CHALLENGE}},
        path=VERIFY_VP,
    )
    body = _shape(response)
    assert response.status_code == 200, body
    assert body["verified"] is True
    assert {"proof", "holder", "credentials"} <= set(body["checks"])
    assert [r["verified"] for r in body["credentialResults"]] == [True]


@pytest.mark.parametrize(
    ("options", "error_type"),
    [
        ({"domain": DOMAIN, "challenge": "another"}, "INVALID_CHALLENGE_ERROR"),
        ({"domain": "other.example", "challenge": CHALLENGE}, "INVALID_DOMAIN_ERROR"),
    ],
)
def test_presentation_challenge_or_domain_mismatch_is_rejected(
    api: Client, signed: dict, options: dict, error_type: str
) -> None:
    vp = _presentation(Issuer.did_key(), [signed])
    response = _post(api, {"verifiablePresentation": vp, "options": options}, path=VERIFY_VP)
    assert response.status_code == 400
    assert SECURITY + error_type in {e["type"] for e in _shape(response)["errors"]}


def test_presentation_replayed_without_challenge_is_rejected(api: Client, signed: dict) -> None:
    vp = _presentation(Issuer.did_key(), [signed], challenge=None)
    response = _post(
        api, {"verifiablePresentation": vp, "options": {"challenge": CHALLENGE}}, path=VERIFY_VP
    )
    assert response.status_code == 400


def test_presentation_with_a_bad_credential_is_rejected(api: Client, signed: dict) -> None:
    tampered = copy.deepcopy(signed)
    tampered["name"] = "Changed"
    vp = _presentation(Issuer.did_key(), [signed, tampered])
    response = _post(
        api,
        {"verifiablePresentation": vp, "options": {"domain": DOMAIN, "challenge": CHALLENGE}},
        path=VERIFY_VP,
    )
    body = _shape(response)
    assert response.status_code == 400
    assert [r["verified"] for r in body["credentialResults"]] == [True, False]
    assert "presentation_credential_not_verified" in _codes(body)


def test_presentation_signed_by_someone_other_than_its_holder_is_rejected(
    api: Client, signed: dict
) -> None:
    holder, stranger = Issuer.did_key(), Issuer.did_key()
    unsigned = _presentation(holder, [signed])
    unsigned.pop("proof")
    vp = sign(
        unsigned, stranger, proof_purpose="authentication", domain=DOMAIN, challenge=CHALLENGE
    )
    response = _post(
        api, {"verifiablePresentation": vp, "options": {"challenge": CHALLENGE}}, path=VERIFY_VP
    )
    assert response.status_code == 400
    assert "key_not_issuers" in _codes(_shape(response))


def test_presentation_proof_made_for_assertion_is_rejected(api: Client, signed: dict) -> None:
    holder = Issuer.did_key()
    vp = _presentation(holder, [signed], proof_purpose="assertionMethod")
    response = _post(api, {"verifiablePresentation": vp}, path=VERIFY_VP)
    assert response.status_code == 400
    assert _shape(response)["verified"] is False


@pytest.mark.parametrize(
    "mutate",
    [
        lambda vp: vp.pop("proof"),
        lambda vp: vp.__setitem__("type", ["VerifiableCredential"]),
        lambda vp: vp.__setitem__("@context", ["https://example.com/ctx"]),
        lambda vp: vp.__setitem__("verifiableCredential", ["a string"]),
        lambda vp: vp.__setitem__("holder", 5),
    ],
)
def test_malformed_presentations_are_400(api: Client, signed: dict, mutate: Any) -> None:
    vp = _presentation(Issuer.did_key(), [signed])
    mutate(vp)
    response = _post(api, {"verifiablePresentation": vp}, path=VERIFY_VP)
    assert response.status_code == 400
    assert _shape(response)["verified"] is False


def test_presentation_without_holder_or_credentials_verifies(api: Client) -> None:
    holder = Issuer.did_key()
    vp = _presentation(holder, [])
    vp.pop("proof")
    vp.pop("holder")
    vp.pop("verifiableCredential")
    vp = sign(vp, holder, proof_purpose="authentication", domain=DOMAIN, challenge=CHALLENGE)
    response = _post(
        api,
        {"verifiablePresentation": vp, "options": {"domain": DOMAIN, "challenge": CHALLENGE}},
        path=VERIFY_VP,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["credentialResults"] == []
