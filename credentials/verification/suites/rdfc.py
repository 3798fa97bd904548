"""Data Integrity suites over RDFC-1.0: eddsa-rdfc-2022 (and eddsa-2022),
Ed25519Signature2020, ecdsa-rdfc-2019 with P-256 and P-384 (reference §3.3–§3.7).

One skeleton for all four: canonicalise the proof configuration (the proof without
``proofValue``, under the document's ``@context``) and the document without ``proof``,
hash both, and verify the signature over ``proof-config hash ‖ document hash`` — in that
order (reference trap #3).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from credentials.verification import jsonld
from credentials.verification.keys import ResolvedKey
from credentials.verification.suites.base import (
    SecuredDocument,
    SuiteResult,
    canonical_problem,
    date_problem,
    dropped_terms,
    method_id_of,
    resolve_key,
    signature_valid,
    suite_name,
)
from credentials.vocabulary import Outcome


@dataclass(frozen=True, slots=True)
class RdfcSuite:
    """A suite of the RDFC skeleton; ``hashes`` maps the key types that may sign it to the
    hash the suite uses with each."""

    hashes: Mapping[str, str]

    def verify(self, proof: Mapping[str, Any], document: SecuredDocument) -> SuiteResult:
        suite = suite_name(proof)
        # The document's canonical form first: an undefined term fails every proof,
        # whoever signed.
        try:
            canonical = document.rdfc
        except jsonld.JsonLdProblem as exc:
            return canonical_problem(exc)
        if dropped := dropped_terms(canonical):
            return dropped
        method_id = method_id_of(proof)
        if not method_id:
            return SuiteResult(Outcome.FAILED, "proof_malformed", {"suite": suite})
        proof_value = proof.get("proofValue")
        if not isinstance(proof_value, str) or not proof_value.startswith("z"):
            return SuiteResult(Outcome.FAILED, "proof_value_invalid", {"suite": suite})
        if problem := date_problem(proof, now=document.ctx.now):
            return SuiteResult(Outcome.FAILED, problem, {"suite": suite})
        try:
            signature = base58.b58decode(proof_value[1:])
        except ValueError:
            return SuiteResult(Outcome.FAILED, "proof_value_invalid", {"suite": suite})

        key = resolve_key(method_id, document)
        if isinstance(key, SuiteResult):
            return key
        algorithm = self.hashes.get(key.key_type)
        if algorithm is None:
            return SuiteResult(
                Outcome.FAILED,
                "proof_key_type_mismatch",
                {"suite": suite, "key_type": key.key_type},
                method_id=method_id,
            )
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        config["@context"] = document.unsecured.get("@context")
        try:
            canonical_config = jsonld.canonicalize(config, contexts=document.ctx.contexts)
        except jsonld.JsonLdProblem as exc:
            return canonical_problem(exc)
        if dropped := dropped_terms(canonical_config):
            return dropped
        hash_data = _digest(algorithm, canonical_config.nquads) + _digest(
            algorithm, canonical.nquads
        )
        if not _signature_valid(key, signature, hash_data, algorithm):
            return SuiteResult(
                Outcome.FAILED, "signature_invalid", {"suite": suite}, method_id=method_id
            )
        return signature_valid(key, document, suite=suite, method_id=method_id)


EDDSA = RdfcSuite(hashes={"Ed25519": "sha256"})
ECDSA = RdfcSuite(hashes={"P-256": "sha256", "P-384": "sha384"})


def _digest(algorithm: str, text: str) -> bytes:
    return hashlib.new(algorithm, text.encode("utf-8")).digest()


def _signature_valid(key: ResolvedKey, signature: bytes, data: bytes, algorithm: str) -> bool:
    public_key = key.public_key
    try:
        if isinstance(public_key, ed25519.Ed25519PublicKey):
            if len(signature) != 64:
                return False
            public_key.verify(signature, data)
            return True
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            # IEEE P1363 r ‖ s of exactly twice the curve size; a DER signature is refused.
            size = (public_key.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            chosen = hashes.SHA256() if algorithm == "sha256" else hashes.SHA384()
            public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(chosen))
            return True
    except (InvalidSignature, ValueError):
        return False
    return False
