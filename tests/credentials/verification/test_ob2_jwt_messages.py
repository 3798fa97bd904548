"""Every check code the OB 2.0, JWT and recipient code can emit has a sentence to show."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

import credentials.verification.jose as jose_module
import credentials.verification.ob2 as ob2_module
import credentials.verification.recipient as recipient_module
from credentials.verification._messages_ob2_jose import MESSAGES as OWN
from credentials.verification.messages import MESSAGES, render_message

_CODE = re.compile(
    r'"((?:ob2|jwt|recipient|registry|issuer|fetch|not_checked|unexpected)_[a-z0-9_]+)"'
)


def emitted_codes() -> set[str]:
    codes: set[str] = set()
    for module in (ob2_module, jose_module, recipient_module):
        codes.update(_CODE.findall(Path(module.__file__).read_text()))
    return codes


def test_the_modules_emit_codes():
    assert {"ob2_hosted_ok", "jwt_signature_valid", "recipient_mismatch"} <= emitted_codes()


@pytest.mark.parametrize("code", sorted(emitted_codes()))
def test_every_emitted_code_has_a_message(code):
    assert code in MESSAGES


@pytest.mark.parametrize("code", sorted(OWN))
def test_every_message_renders_with_its_placeholders(code):
    template = str(OWN[code])
    names = re.findall(r"%\((\w+)\)s", template)
    params = defaultdict(str, {name: f"<{name}>" for name in names})
    text = render_message(code, params)
    assert text != code
    for name in names:
        assert f"<{name}>" in text
    assert "%(" not in text
