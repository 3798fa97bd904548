"""Every message code the engine can emit has a sentence, and every sentence renders."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from credentials.formats.kinds import KINDS
from credentials.verification.messages import MESSAGES, render_message, status

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "credentials" / "verification"
# Modules that read check codes rather than emit them (the answers and their wording).
READERS = {"answers.py", "headline.py", "reasons.py"}
MODULES = [
    *(p for p in ENGINE.rglob("*.py") if "messages" not in p.parts and p.name not in READERS),
    ROOT / "credentials" / "formats" / "detect.py",
    ROOT / "credentials" / "formats" / "baked.py",
]
# Calls that take a message code as their first argument, CheckResult(check, outcome, code),
# results built from (check, outcome, code) or (outcome, code), and quoted family codes.
CODE_PATTERNS = [
    re.compile(
        r"\b(?:KeyInvalid|KeyUnavailable|_Unverifiable|ExtractionError|BakedError|problem|malformed)"
        r"\(\s*\"([a-z0-9_]+)\""
    ),
    re.compile(r"\b(?:_same|SuiteResult)\(\s*Outcome\.[A-Z_]+,\s*\"([a-z0-9_]+)\""),
    re.compile(r"\b(?:CheckResult|add)\(\s*[\w.]+,\s*[\w.]+,\s*\"([a-z0-9_]+)\""),
    re.compile(r"\bskip\([^)]*\"([a-z0-9_]+)\"\)"),
    re.compile(
        r'"((?:ob2|jwt|recipient|registry|issuer|not_checked|unexpected|seal|jades)_[a-z0-9_]+)"'
    ),
    re.compile(r"\b_single\([^)]*\"([a-z0-9_]+)\"\)"),
    re.compile(r'return "(proof_[a-z0-9_]+)"'),
]
# Codes put together at run time, each from a fixed list of parts.
COMPOSED = {
    # f"jwt_key_{why}" in vcjwt._not_bound
    "jwt_key_not_listed",
    "jwt_key_other_identifier",
    "jwt_key_self_asserted",
    # f"ob2_schema_{problem}" from formats.ob2.schema_problem
    "ob2_schema_missing",
    "ob2_schema_invalid",
    "ob2_schema_expires_before_issued",
    # statuslist._PURPOSE_CODES
    "status_revoked",
    "status_suspended",
}


def emitted_codes() -> set[str]:
    found: set[str] = set()
    for module in MODULES:
        text = module.read_text()
        for pattern in CODE_PATTERNS:
            found.update(pattern.findall(text))
    # ``revoked(code, reason)`` adds "_reason" when the issuer gave one.
    found.update(
        f"{c}_reason" for c in list(found) if c.startswith("ob2_revoked_") and "reason" not in c
    )
    # f"not_learning_{kind}" in engine: what a document that is no credential is.
    found.update(f"not_learning_{kind}" for kind in KINDS)
    return found | COMPOSED


def test_the_modules_emit_codes() -> None:
    codes = emitted_codes()
    assert len(codes) > 120
    assert {"ob2_hosted_ok", "jwt_signature_valid", "signature_valid", "status_revoked"} <= codes


@pytest.mark.parametrize("code", sorted(emitted_codes()))
def test_every_emitted_code_has_a_message(code: str) -> None:
    assert code in MESSAGES


# Sentences written ahead of the code that emits them (the interop work in progress: OB 2.0
# documents found at another address than their id, sealed EDCs read by the run).
NOT_EMITTED_YET = {
    "ob2_schema_ok_id_differs",
    "jades_unreadable",
    "jades_payload_not_credential",
    "seal_holder_is_issuer",
    "seal_holder_not_issuer",
    "seal_holder_not_checked",
}


def test_no_message_is_left_without_a_code_that_emits_it() -> None:
    assert sorted(set(MESSAGES) - emitted_codes() - NOT_EMITTED_YET) == []


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_renders_with_its_placeholders(code: str) -> None:
    template = str(MESSAGES[code])
    names = re.findall(r"%\((\w+)\)s", template)
    params = defaultdict(str, {name: f"<{name}>" for name in names})
    text = render_message(code, params)
    assert text != code
    for name in names:
        assert f"<{name}>" in text
    assert "%(" not in text


def test_the_catalogue_is_ordered_by_check() -> None:
    """Reading (parse, schema) comes first, the status checks last, each code once."""
    codes = list(MESSAGES)
    assert len(codes) == len(set(codes))
    assert codes.index("parsed") < codes.index("schema_ok") < codes.index("signature_valid")
    assert (
        codes.index("issuer_key_bound") < codes.index("valid_until") < codes.index("status_revoked")
    )
    assert list(status.MESSAGES)[-1].startswith("registry_")
