"""A local demo issuer for `make run`, so the demo shows every answer honestly.

``python -m portal.demo_issuer`` serves, on ``localhost:DEMO_ISSUER_PORT`` (8765), what real
issuers publish: a ``did:web`` DID document with the issuer's key, a signed
BitstringStatusList in which one demo credential is revoked, and an Open Badges 2.0 issuer
profile, badge class and hosted assertion. ``make run`` starts it and allows it through
``VERIFIER_ALLOWED_PRIVATE_HOSTS`` (whose "test door" fetches its https:// URLs over plain
HTTP on loopback). ``demo_credentials()`` gives the credentials the demo applicant uploads:

| file | what the portal finds |
|---|---|
| ``demo-did-web.json`` | intact, issuer identity confirmed by its domain (``did:web``) |
| ``demo-did-web-revoked.json`` | revoked by its issuer's status list |
| ``demo-ob2-hosted.json`` | OB 2.0 hosted on the issuer's own host: identity confirmed by domain |
| ``demo-registry-listed.json`` | a ``did:key`` issuer the portal's trusted-issuer list names |
| ``jp-ob2-*.json`` | OB 2.0 hosted, filled as Japanese universities fill them: identity by domain |

The keys are derived from fixed strings: this is a demo issuer, not a secret.
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import base58
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from credentials.verification.jsonld import normalize_reference

HOST = "localhost"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
RECIPIENT = "hanako.yamada@example.jp"
REVOKED_INDEX = 5
REGISTRY_ISSUER_NAME = "東京オープンカレッジ (Tokyo Open College, demo)"


def port() -> int:
    return int(os.environ.get("DEMO_ISSUER_PORT", "8765"))


def authority() -> str:
    return f"{HOST}:{port()}"


def origin() -> str:
    return f"https://{authority()}"


def _key(label: str) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


def _multikey(key: ed25519.Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58.b58encode(b"\xed\x01" + raw).decode()


WEB_KEY = _key("credential-portal demo issuer: did:web")
REGISTRY_KEY = _key("credential-portal demo issuer: registry-listed did:key")


def web_did() -> str:
    return f"did:web:{quote(authority(), safe='')}"


def registry_did() -> str:
    return f"did:key:{_multikey(REGISTRY_KEY)}"


def _sign(document: dict[str, Any], key: ed25519.Ed25519PrivateKey, method: str) -> dict[str, Any]:
    """An eddsa-rdfc-2022 Data Integrity proof (VC Data Integrity EdDSA Cryptosuites §3)."""
    signed = copy.deepcopy(document)
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-04-01T00:00:00Z",
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    config = {**proof, "@context": signed["@context"]}

    def digest(value: Mapping[str, Any]) -> bytes:
        return hashlib.sha256(normalize_reference(value).encode()).digest()

    signature = key.sign(digest(config) + digest(signed))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode()
    signed["proof"] = proof
    return signed


def _ob3(
    *, issuer_id: str, issuer_name: str, serial: int, title: str, hours: int, level: str
) -> dict[str, Any]:
    return {
        "@context": [VC_V2, OB3_CONTEXT],
        "id": f"urn:uuid:00000000-0000-4000-8000-{serial:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name},
        "name": title,
        "validFrom": "2025-04-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": RECIPIENT,
                    "identityType": "emailAddress",
                    "hashed": False,
                }
            ],
            "achievement": {
                "id": f"urn:uuid:00000000-0000-4000-9000-{serial:012d}",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "name": title,
                "description": f"{title}: {hours} hours of lectures and graded projects.",
                "criteria": {"narrative": "Completed every project with a passing grade."},
                "fieldOfStudy": "Data Science",
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": f"EQF level {level}",
                        "targetUrl": "https://europa.eu/europass/en/description-eight-eqf-levels",
                        "targetFramework": "European Qualifications Framework",
                        "targetCode": level,
                        "targetType": "ext:Level",
                    }
                ],
            },
        },
    }


def web_issuer_name() -> str:
    return "さくらデジタルアカデミー (Sakura Digital Academy, demo)"


def status_list_url() -> str:
    return f"{origin()}/status/1"


def did_document() -> dict[str, Any]:
    method = f"{web_did()}#key-1"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": web_did(),
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": web_did(),
                "publicKeyMultibase": _multikey(WEB_KEY),
            }
        ],
        "assertionMethod": [method],
    }


def status_list() -> dict[str, Any]:
    bits = bytearray(131_072 // 8)
    bits[REVOKED_INDEX // 8] |= 0x80 >> (REVOKED_INDEX % 8)
    document = {
        "@context": [VC_V2],
        "id": status_list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": web_did(),
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "id": f"{status_list_url()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            # Multibase base64url ("u") of the gzip'd bitstring (Bitstring Status List §2.1).
            "encodedList": "u"
            + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode(),
        },
    }
    return _sign(document, WEB_KEY, f"{web_did()}#key-1")


def ob2_documents() -> dict[str, dict[str, Any]]:
    """Path → document: the issuer profile, badge class and one hosted assertion."""
    profile_id = f"{origin()}/ob2/issuer.json"
    badge_id = f"{origin()}/ob2/badges/sql.json"
    assertion_id = f"{origin()}/ob2/assertions/1.json"
    salt = "demo-salt"
    identity = "sha256$" + hashlib.sha256((RECIPIENT + salt).encode()).hexdigest()
    return {
        "/ob2/issuer.json": {
            "@context": OB2_CONTEXT,
            "type": "Profile",
            "id": profile_id,
            "name": "みなとデータ専門学校 (Minato Data College, demo)",
            "url": f"{origin()}/",
            "email": "badges@minato-data.example.jp",
        },
        "/ob2/badges/sql.json": {
            "@context": OB2_CONTEXT,
            "type": "BadgeClass",
            "id": badge_id,
            "name": "SQL for Data Analysis (demo)",
            "description": "Writes SQL queries that join, filter and summarise sales data.",
            "image": f"{origin()}/ob2/badges/sql.png",
            "criteria": {"narrative": "Passed a 2-hour practical exam."},
            "issuer": profile_id,
        },
        "/ob2/assertions/1.json": {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": assertion_id,
            "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": identity},
            "badge": badge_id,
            "issuedOn": "2025-05-20T09:00:00+09:00",
            "verification": {"type": "HostedBadge"},
        },
    }


# Japanese-style badges (issue 17): each file is an assertion with its badge class and issuer
# embedded, as Open Badge Network and Moodle badges read; here they are published as hosted
# documents on this host, so the demo checks them like any hosted badge.
JAPANESE_BADGES = Path(__file__).resolve().parent.parent / "demo" / "japanese"


def japanese_ob2_documents() -> dict[str, dict[str, Any]]:
    """Path → document: for each Japanese-style badge, its issuer, badge class and assertion."""
    documents: dict[str, dict[str, Any]] = {}
    for path in sorted(JAPANESE_BADGES.glob("jp-ob2-*.json")):
        template = json.loads(path.read_text("utf-8"))
        base = f"/ob2/jp/{path.stem}"
        badge = dict(template["badge"])
        issuer = dict(badge.pop("issuer"))
        profile_id = f"{origin()}{base}/issuer.json"
        badge_id = f"{origin()}{base}/badge.json"
        salt = f"demo-{path.stem}"
        identity = "sha256$" + hashlib.sha256((RECIPIENT + salt).encode()).hexdigest()
        documents[f"{base}/issuer.json"] = {
            **issuer,
            "@context": OB2_CONTEXT,
            "type": "Profile",
            "id": profile_id,
            "url": f"{origin()}/",
        }
        documents[f"{base}/badge.json"] = {
            **badge,
            "@context": OB2_CONTEXT,
            "id": badge_id,
            "image": f"{origin()}{base}/badge.png",
            "issuer": profile_id,
        }
        documents[f"{base}/assertion.json"] = {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": f"{origin()}{base}/assertion.json",
            "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": identity},
            "badge": badge_id,
            "issuedOn": template["issuedOn"],
            "verification": {"type": "HostedBadge"},
        }
    return documents


def demo_credentials() -> dict[str, bytes]:
    """File name → bytes of the demo credentials the demo applicant uploads."""
    web_method = f"{web_did()}#key-1"
    confirmed = _ob3(
        issuer_id=web_did(),
        issuer_name=web_issuer_name(),
        serial=1,
        title="Data Visualisation with Python (demo)",
        hours=40,
        level="5",
    )
    revoked = _ob3(
        issuer_id=web_did(),
        issuer_name=web_issuer_name(),
        serial=2,
        title="Spreadsheet Modelling (demo, revoked)",
        hours=12,
        level="4",
    )
    revoked["credentialStatus"] = {
        "id": f"{status_list_url()}#{REVOKED_INDEX}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(REVOKED_INDEX),
        "statusListCredential": status_list_url(),
    }
    listed_method = f"{registry_did()}#{registry_did()[len('did:key:') :]}"
    listed = _ob3(
        issuer_id=registry_did(),
        issuer_name=REGISTRY_ISSUER_NAME,
        serial=3,
        title="Statistics for Business (demo)",
        hours=30,
        level="5",
    )
    documents = {
        "demo-did-web.json": _sign(confirmed, WEB_KEY, web_method),
        "demo-did-web-revoked.json": _sign(revoked, WEB_KEY, web_method),
        "demo-ob2-hosted.json": ob2_documents()["/ob2/assertions/1.json"],
        "demo-registry-listed.json": _sign(listed, REGISTRY_KEY, listed_method),
    }
    japanese = japanese_ob2_documents()
    for path in sorted(JAPANESE_BADGES.glob("jp-ob2-*.json")):
        documents[path.name] = japanese[f"/ob2/jp/{path.stem}/assertion.json"]
    return {name: json.dumps(doc, ensure_ascii=False).encode() for name, doc in documents.items()}


def routes() -> dict[str, bytes]:
    served: dict[str, Any] = {
        "/.well-known/did.json": did_document(),
        "/status/1": status_list(),
        **ob2_documents(),
        **japanese_ob2_documents(),
    }
    return {path: json.dumps(doc, ensure_ascii=False).encode() for path, doc in served.items()}


def make_server(bind_port: int | None = None) -> ThreadingHTTPServer:
    """The server, bound on 127.0.0.1 (port 0: any free port). Documents are built on the
    first request, from ``DEMO_ISSUER_PORT`` as it is then."""
    documents: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if not documents:
                documents.update(routes())
            body = documents.get(self.path.split("?", 1)[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body if body is not None else b'{"error": "not found"}')

        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write(f"demo issuer: {format % args}\n")

    return ThreadingHTTPServer(("127.0.0.1", port() if bind_port is None else bind_port), Handler)


def serve() -> None:
    server = make_server()
    print(f"demo issuer serving {origin()} (did:web {web_did()})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()  # the JSON-LD loader reads the bundled contexts through Django settings
    serve()
