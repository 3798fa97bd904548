"""Credentials published by others (the DCC's verifier-core fixtures, 1EdTech's validator
fixtures, JFF Plugfest examples) get the verdict their publisher — or, where the
publisher's verifier takes a shortcut the specifications forbid, the specification —
gives them.

``published_corpus.json`` records, for each credential, the repository and commit it
comes from, its publisher's own verdict, the status the portal must give and, where the
two differ, why. The files themselves are not in this repository (snapshots of other
repositories are not committed here): they are read from ``shared/fixtures/corpus/`` (or
``PORTAL_CORPUS_DIR``), laid out as the manifest's ``file`` paths. Remote hosts are
played from recorded responses: exact URLs (``dcc``) or a URL prefix served from a folder
(``1edtech-ob20``, as 1EdTech's own tests map ``example.org`` to their assets).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from credentials.formats.detect import extract
from credentials.verification.context import VerificationContext
from credentials.verification.engine import verify_bytes
from credentials.verification.fetcher import FetchResponse, IssuerUnreachable

MANIFEST = json.loads((Path(__file__).with_name("published_corpus.json")).read_text("utf-8"))
SHARED_CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "corpus"
CORPUS = Path(os.environ.get("PORTAL_CORPUS_DIR") or SHARED_CORPUS)
ENTRIES = MANIFEST["credentials"]

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the published-credentials corpus is not present at {CORPUS}",
)


class RecordedHosts:
    """Plays remote hosts from recorded documents; anything else is unreachable."""

    def __init__(self, exact: dict[str, Path], prefixes: dict[str, Path]) -> None:
        self.exact = exact
        self.prefixes = prefixes
        self.recorded: dict[str, bytes] = {}
        self.requested: list[str] = []

    def get(self, url: str, *, accept: str = "application/json") -> FetchResponse:
        self.requested.append(url)
        if url in self.recorded:
            return FetchResponse(url=url, status=200, body=self.recorded[url])
        path = self.exact.get(url.split("#", 1)[0])
        if path is None:
            for prefix, folder in self.prefixes.items():
                if url.startswith(prefix):
                    candidate = folder / url[len(prefix) :].split("#", 1)[0]
                    if candidate.is_file():
                        path = candidate
                    else:
                        # The recorded host has no such document: what a web server says.
                        return FetchResponse(url=url, status=404, body=b"Not Found")
        if path is None:
            raise IssuerUnreachable(url, "not a recorded host")
        return FetchResponse(
            url=url,
            status=200,
            body=path.read_bytes(),
            headers={"content-type": "application/json"},
        )


def _hosts(entry: dict[str, Any]) -> RecordedHosts:
    group = MANIFEST["hosts"].get(entry.get("hosts", ""), {})
    exact = {u: CORPUS / f for u, f in group.items() if not f.endswith("/")}
    prefixes = {u: CORPUS / f for u, f in group.items() if f.endswith("/")}
    data = (CORPUS / entry["file"]).read_bytes()
    hosts = RecordedHosts(exact, prefixes)
    if entry.get("serve_self_at_id"):
        # A hosted OB 2.0 assertion is fetched again from its id; the publisher's file (or
        # the assertion baked into it) is what its host serves there.
        document = extract(data).document or {}
        hosts.recorded[document["id"]] = json.dumps(document).encode()
    return hosts


def test_the_manifest_records_where_every_credential_comes_from() -> None:
    assert len(ENTRIES) >= 90
    for entry in ENTRIES:
        source = MANIFEST["sources"][entry["source"]]
        assert len(source["commit"]) == 40
        assert entry["path"]
        assert entry["publisher_verdict"]
        assert entry["expected"] in {
            "verified",
            "failed",
            "revoked",
            "expired",
            "recipient_mismatch",
            "unverifiable",
            "malformed",
        }
        assert (CORPUS / entry["file"]).is_file(), entry["file"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_published_credential_gets_its_expected_verdict(entry: dict[str, Any]) -> None:
    ctx = VerificationContext(
        fetcher=_hosts(entry),
        now=datetime.fromisoformat(entry["now"]).replace(tzinfo=UTC),
        recipient_emails=(entry["recipient"],) if entry.get("recipient") else (),
    )
    report = verify_bytes((CORPUS / entry["file"]).read_bytes(), ctx=ctx)
    checks = [(str(c.check), str(c.outcome), c.code) for c in report.checks]
    assert str(report.status) == entry["expected"], (entry.get("why", ""), checks)
