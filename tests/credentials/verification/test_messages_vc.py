"""Every message code the VC pipeline can emit has an English sentence."""

from __future__ import annotations

import re
from pathlib import Path

from credentials.verification.messages import MESSAGES, render_message

ROOT = Path(__file__).resolve().parents[3]
MODULES = [
    "credentials/verification/engine.py",
    "credentials/verification/dataintegrity.py",
    "credentials/verification/keys.py",
    "credentials/verification/statuslist.py",
    "credentials/formats/detect.py",
    "credentials/formats/baked.py",
]
# Calls that take a message code as their first argument, and CheckResult(check, outcome, code).
CODE_PATTERNS = [
    re.compile(
        r"\b(?:KeyInvalid|KeyUnavailable|_Unverifiable|ExtractionError|BakedError|problem|_malformed)\(\s*\"([a-z0-9_]+)\""
    ),
    re.compile(r"\b(?:_same|_Single)\(\s*Outcome\.[A-Z_]+,\s*\"([a-z0-9_]+)\""),
    re.compile(r"CheckResult\(\s*[\w.]+,\s*[\w.]+,\s*\"([a-z0-9_]+)\""),
]


def _codes() -> set[str]:
    found: set[str] = set()
    for module in MODULES:
        text = (ROOT / module).read_text()
        for pattern in CODE_PATTERNS:
            found.update(pattern.findall(text))
    return found


def test_every_emitted_code_has_a_message() -> None:
    codes = _codes()
    assert len(codes) > 60
    assert sorted(codes - set(MESSAGES)) == []


def test_messages_render_with_their_placeholders_filled() -> None:
    names = (
        "url reason path limit key field start end suite method_id count key_type terms "
        "controller issuer purpose did method detail date index type format status"
    )
    params = dict.fromkeys(names.split(), "X")
    for code in _codes():
        rendered = render_message(code, params)
        assert "%(" not in rendered, code
        assert rendered != code
