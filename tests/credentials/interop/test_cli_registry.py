"""``verify_credential --registry FILE``: issuers confirmed from a registry file, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REGISTRIES = ROOT.parent / "shared" / "fixtures" / "registries"
ISSUER = "did:key:z6MkeWKGH6NmGFRV1giPW8trEoxXbiGNxs16xmxEgMjwMrTF"  # the interop fixtures'


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    # An unreachable database proves the command needs none, registry file or not.
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


def _registry_check(line: str) -> dict[str, object]:
    return next(c for c in json.loads(line)["checks"] if c["id"] == "registry")


def test_a_dcc_registry_file_confirms_a_listed_issuer(interop_dir: Path, tmp_path: Path) -> None:
    registry = tmp_path / "registry.json"
    registry.write_text(
        json.dumps(
            {
                "meta": {"created": "2026-01-01T00:00:00Z"},
                "registry": {
                    ISSUER: {
                        "name": "Example Institute of Technology (as listed)",
                        "location": "Tokyo, Japan",
                        "url": "https://example.edu",
                    }
                },
            }
        )
    )
    result = _run(
        [
            "--json",
            "--registry",
            str(registry),
            "--registry-name",
            "Test Registry",
            "ob3-v2-eddsa-valid.json",
        ],
        cwd=interop_dir,
    )
    assert result.returncode == 0, result.stderr
    check = _registry_check(result.stdout.strip())
    assert check["status"] == "passed"
    assert check["code"] == "registry_listed"
    assert "Test Registry" in str(check["detail"])


def test_an_issuer_the_file_does_not_list_is_not_listed(interop_dir: Path) -> None:
    community = REGISTRIES / "dcc-community-registry.json"
    result = _run(
        ["--json", "--registry", str(community), "ob3-v2-eddsa-valid.json"], cwd=interop_dir
    )
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert json.loads(line)["status"] == "verified"  # being unlisted is not a failure
    check = _registry_check(line)
    assert (check["status"], check["code"]) == ("not_applicable", "registry_not_listed")


def test_a_file_that_is_no_registry_is_a_usage_error(interop_dir: Path) -> None:
    result = _run(
        ["--json", "--registry", "ob3-v2-eddsa-valid.json", "ob3-v2-eddsa-valid.json"],
        cwd=interop_dir,
    )
    assert result.returncode != 0
    assert "registry" in result.stderr
    assert result.stdout == ""
