"""Verification speed: N distinct OB 3.0 eddsa-rdfc-2022 credentials in one process.

    .venv/bin/python bench/verify.py [-n 200] [--profile]

Issues N different credentials (did:key issuer, so no network), then times
``verify_bytes`` on each and prints milliseconds per credential, with a breakdown:
canonicalisation (expansion, the undefined-term check and RDFC-1.0 of document and proof
configuration), the Ed25519 signature check, and everything else (parsing, the other
checks, the record). Issuance is not timed. Goal (issue 4): no slower than Digital
Bazaar's JavaScript ``vc`` library, about 2.5 ms/credential on the project's machines.

Measured on the 2-core development machine (CPU time per credential, 200 credentials):
pyld's ``normalize`` twice plus a separate marker-probe expansion, with pyld's own frozen
loader, 5.3 ms for canonicalisation and signature alone; one expansion shared by the
undefined-term check and RDFC-1.0, with the loader's cache tag, 3.4 ms for the whole
verification; plus the scoped-context cache and no defensive copies, 1.3 ms
(canonicalisation 1.1 ms, Ed25519 0.1 ms, the rest 0.35 ms).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a script, Python puts bench/ first on the path, where bench/statistics.py would
# shadow the standard library module of that name; the project root goes there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

import base58  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: E402
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat  # noqa: E402

from credentials.verification import jsonld  # noqa: E402
from credentials.verification.context import VerificationContext  # noqa: E402
from credentials.verification.engine import verify_bytes  # noqa: E402
from credentials.verification.suites import rdfc  # noqa: E402
from credentials.vocabulary import Status  # noqa: E402
from tests.fetchers import StaticFetcher  # noqa: E402

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def issue(count: int) -> list[bytes]:
    """``count`` different signed credentials (names, ids, texts and keys all differ)."""
    credentials = []
    for serial in range(count):
        private = ed25519.Ed25519PrivateKey.generate()
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        multikey = "z" + base58.b58encode(b"\xed\x01" + raw).decode()
        did = f"did:key:{multikey}"
        document: dict[str, Any] = {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": f"urn:uuid:00000000-0000-4000-8000-{serial:012d}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": f"Institute {serial}"},
            "name": f"Course {serial}",
            "validFrom": "2025-04-01T00:00:00Z",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityHash": f"learner{serial}@example.jp",
                        "identityType": "emailAddress",
                        "hashed": False,
                    }
                ],
                "achievement": {
                    "id": f"urn:uuid:10000000-0000-4000-8000-{serial:012d}",
                    "type": ["Achievement"],
                    "achievementType": "MicroCredential",
                    "name": f"Course {serial}",
                    "description": f"Twelve weeks of data analysis, cohort {serial}.",
                    "criteria": {"narrative": "Complete six graded projects."},
                    "creditsAvailable": 1 + serial % 5,
                    "fieldOfStudy": "Data Science",
                    "alignment": [
                        {
                            "type": ["Alignment"],
                            "targetName": "EQF level 6",
                            "targetUrl": "https://europa.eu/europass/en/description-eight-eqf-levels",
                            "targetCode": "6",
                            "targetType": "ext:Level",
                        }
                    ],
                },
            },
        }
        proof = {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2025-04-01T00:00:00Z",
            "verificationMethod": f"{did}#{multikey}",
            "proofPurpose": "assertionMethod",
        }
        config = {**proof, "@context": document["@context"]}
        data = hashlib.sha256(jsonld.normalize_reference(config).encode()).digest()
        data += hashlib.sha256(jsonld.normalize_reference(document).encode()).digest()
        proof["proofValue"] = "z" + base58.b58encode(private.sign(data)).decode()
        credentials.append(json.dumps({**document, "proof": proof}).encode())
    return credentials


class Stopwatch:
    """Wraps a function so calls to it add to a running total."""

    def __init__(self, owner: Any, name: str) -> None:
        self.owner, self.name = owner, name
        self.original = getattr(owner, name)
        self.total = 0.0

    def __enter__(self) -> Stopwatch:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.total += time.perf_counter() - started

        setattr(self.owner, self.name, timed)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(self.owner, self.name, self.original)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="number of distinct credentials")
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    args = parser.parse_args()

    credentials = issue(args.n)
    ctx = VerificationContext(fetcher=StaticFetcher(), now=NOW)  # did:key: nothing to fetch
    # One warm-up credential outside the count: loads and processes the bundled contexts.
    assert verify_bytes(issue(1)[0], ctx=ctx).status == Status.VERIFIED

    timings = []
    cpu_started = time.process_time()
    with (
        Stopwatch(jsonld, "canonicalize") as canonical,
        Stopwatch(rdfc, "_signature_valid") as signature,
    ):
        # The suites call jsonld.canonicalize through the module, so the wrapper is seen.
        for data in credentials:
            started = time.perf_counter()
            report = verify_bytes(data, ctx=ctx)
            timings.append(time.perf_counter() - started)
            assert report.status == Status.VERIFIED, report.checks

    cpu = time.process_time() - cpu_started
    total = sum(timings)
    per = 1000 * total / args.n
    print(f"verified {args.n} distinct eddsa-rdfc-2022 credentials")
    median = 1000 * sorted(timings)[len(timings) // 2]
    print(f"  total        {per:7.3f} ms/credential (median {median:.3f})")
    # CPU time is steadier than wall time when other work shares the two cores.
    print(f"  cpu time     {1000 * cpu / args.n:7.3f} ms/credential")
    print(f"  canonicalise {1000 * canonical.total / args.n:7.3f} ms/credential")
    print(f"  signature    {1000 * signature.total / args.n:7.3f} ms/credential")
    rest = total - canonical.total - signature.total
    print(f"  other        {1000 * rest / args.n:7.3f} ms/credential")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for data in credentials:
            verify_bytes(data, ctx=ctx)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
