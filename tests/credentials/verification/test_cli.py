"""The ``verify_credential`` command: the contract other tools rely on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = [
    "ob3-v2-eddsa-valid.json",
    "ob3-v2-eddsa-valid-baked.png",
    "ob3-v2-eddsa-valid-baked.svg",
    "ob3-v1-ed25519sig2020-valid.json",
    "ob3-v2-eddsa-tampered.json",
    "ob3-v2-eddsa-expired.json",
    "not-a-credential.json",
]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    # An unreachable database proves the command needs none.
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "verify_credential", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_json_output_is_one_object_per_input_in_order_with_expected_verdicts(
    interop_dir: Path,
) -> None:
    result = _run(["--json", *FIXTURES, "missing-file.json"], cwd=interop_dir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    objects = [json.loads(line) for line in lines]
    assert [o["input"] for o in objects] == [*FIXTURES, "missing-file.json"]
    expected = json.loads((interop_dir / "expected.json").read_text())
    assert [o["status"] for o in objects] == [*(expected[name] for name in FIXTURES), "malformed"]
    for obj in objects:
        assert set(obj) >= {"input", "status", "format", "checks", "credential"}
        for check in obj["checks"]:
            assert check["status"] in ("passed", "failed", "not_applicable")
            assert check["detail"]
            assert "%(" not in check["detail"]
    assert objects[-1]["checks"][0]["code"] == "input_not_found"
    assert "missing-file.json" in objects[-1]["checks"][0]["detail"]
    assert objects[0]["credential"]["title"] == "Applied Data Analysis with Python"


def test_unverifiable_check_prints_as_failed_with_outcome(interop_dir: Path) -> None:
    # The status list host is not reachable from tests: the revocation check cannot run.
    result = _run(["--json", "ob3-v2-eddsa-revoked.json"], cwd=interop_dir)
    obj = json.loads(result.stdout)
    revocation = next(c for c in obj["checks"] if c["id"] == "revocation")
    assert (obj["status"], revocation["status"], revocation["outcome"]) == (
        "unverifiable",
        "failed",
        "unverifiable",
    )


def test_recipient_option_turns_the_recipient_check_on(
    interop_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(interop_dir / "ob3-v2-eddsa-valid.json")
    call_command("verify_credential", path, "--json", "--recipient", "someone.else@example.jp")
    mismatch = json.loads(capsys.readouterr().out)
    call_command("verify_credential", path, "--json")
    absent = json.loads(capsys.readouterr().out)
    recipient = {
        o["status"]: next(c for c in o["checks"] if c["id"] == "recipient")["status"]
        for o in (mismatch, absent)
    }
    assert recipient == {"recipient_mismatch": "failed", "verified": "not_applicable"}


def test_table_output_names_each_check(
    interop_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("verify_credential", str(interop_dir / "ob3-v2-eddsa-tampered.json"))
    out = capsys.readouterr().out
    assert "failed" in out
    for check in (
        "parse",
        "schema",
        "proof",
        "issuer",
        "validity",
        "revocation",
        "recipient",
        "registry",
    ):
        assert check in out


def test_usage_errors_exit_with_2(interop_dir: Path) -> None:
    assert _run([], cwd=interop_dir).returncode == 2
    assert _run(["--bogus", "x.json"], cwd=interop_dir).returncode == 2
    with pytest.raises(CommandError):
        call_command("verify_credential")
