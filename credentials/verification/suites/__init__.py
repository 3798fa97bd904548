"""Embedded proof suites, keyed by proof ``type`` and ``cryptosuite``: the dispatch point.

A new suite is a module with an object that has ``verify(proof, document) -> SuiteResult``
(``suites.base.ProofSuite``) and one line in ``SUITES``; the proof-set policy and the
verification run do not change. A proof whose (type, cryptosuite) is not here is
"unsupported" (unverifiable, re-run after a deployment that adds it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credentials.verification.suites import rdfc
from credentials.verification.suites.base import ProofSuite

# (proof type, cryptosuite or None when the type names the whole suite) → suite.
SUITES: Mapping[tuple[str, str | None], ProofSuite] = {
    ("DataIntegrityProof", "eddsa-rdfc-2022"): rdfc.EDDSA,
    ("DataIntegrityProof", "eddsa-2022"): rdfc.EDDSA,  # its draft name, same algorithm
    ("DataIntegrityProof", "ecdsa-rdfc-2019"): rdfc.ECDSA,
    ("Ed25519Signature2020", None): rdfc.EDDSA,
}


def suite_for(proof: Mapping[str, Any]) -> ProofSuite | None:
    """The suite that verifies ``proof``, or None when the portal has none."""
    proof_type, cryptosuite = proof.get("type"), proof.get("cryptosuite")
    if not isinstance(proof_type, str) or not isinstance(cryptosuite, str | None):
        return None
    return SUITES.get((proof_type, cryptosuite))
