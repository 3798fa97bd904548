"""Trusted-issuer registries kept by the portal: import, refresh, removal, lookup, command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from credentials.models import TrustedIssuer, TrustedIssuerRegistry
from credentials.registries.exceptions import RegistryImportError, RegistryUnreachable
from credentials.registries.formats import RegistryFormat
from credentials.registries.lookup import OWN_LIST_NAME, DatabaseRegistry
from credentials.registries.services import (
    import_registry,
    refresh_all_registries,
    refresh_registry,
)
from credentials.verification.safe_fetcher import SafeFetcher
from tests.credentials.issuers.http import IssuerServer

pytest_plugins = ["tests.credentials.issuers.http"]
pytestmark = pytest.mark.django_db

REGISTRIES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "registries"
COMMUNITY = REGISTRIES / "dcc-community-registry.json"
KNOWN = REGISTRIES / "dcc-known-registries.json"
SCHOOL = "did:web:credentials.myschool.ca"


def _registry(name: str = "DCC Community Registry", **fields: Any) -> TrustedIssuerRegistry:
    fields.setdefault("format", RegistryFormat.DCC_LEGACY)
    return TrustedIssuerRegistry.objects.create(name=name, **fields)


def test_importing_the_dcc_community_registry_keeps_each_issuers_own_record() -> None:
    registry = _registry()
    count = import_registry(registry=registry, pages=[COMMUNITY.read_bytes()])
    published = json.loads(COMMUNITY.read_text())["registry"]
    assert count == len(published) == registry.entries.count()
    school = registry.entries.get(issuer_id=SCHOOL)
    assert (school.name, school.location, school.url) == (
        "My School",
        "Ancaster, ON, Canada",
        "https://some.domain.ca",
    )
    assert school.fetched_at == registry.fetched_at
    assert registry.published_at is not None
    assert registry.entry_count == count
    assert registry.last_error == ""


def test_a_new_import_replaces_the_registrys_entries_and_nothing_else() -> None:
    registry = _registry()
    import_registry(registry=registry, pages=[COMMUNITY.read_bytes()])
    TrustedIssuer.objects.create(issuer_id=SCHOOL, name="Kept by hand")
    smaller = {"registry": {"did:web:only.example": {"name": "Only", "location": "X"}}}
    assert import_registry(registry=registry, pages=[json.dumps(smaller).encode()]) == 1
    assert list(registry.entries.values_list("issuer_id", flat=True)) == ["did:web:only.example"]
    assert TrustedIssuer.objects.get(issuer_id=SCHOOL, registry=None).name == "Kept by hand"


def test_an_unreadable_registry_keeps_its_old_entries_and_says_why() -> None:
    registry = _registry()
    import_registry(registry=registry, pages=[COMMUNITY.read_bytes()])
    before = registry.entries.count()
    with pytest.raises(RegistryImportError) as caught:
        import_registry(registry=registry, pages=[b"<html>moved</html>"])
    assert "DCC Community Registry" in str(caught.value)
    registry.refresh_from_db()
    assert registry.entries.count() == before
    assert registry.last_error


def test_removing_a_registry_removes_its_entries_only() -> None:
    registry = _registry()
    import_registry(registry=registry, pages=[COMMUNITY.read_bytes()])
    TrustedIssuer.objects.create(issuer_id="did:web:mine.example", name="Mine")
    registry.delete()
    assert list(TrustedIssuer.objects.values_list("issuer_id", flat=True)) == [
        "did:web:mine.example"
    ]


def test_lookup_prefers_entries_kept_by_hand_and_ignores_registries_not_in_use() -> None:
    registry = _registry()
    import_registry(registry=registry, pages=[COMMUNITY.read_bytes()])
    lookup = DatabaseRegistry()
    entry = lookup.lookup(SCHOOL)
    assert entry is not None
    assert (entry.registry, entry.name, entry.location) == (
        "DCC Community Registry",
        "My School",
        "Ancaster, ON, Canada",
    )
    assert lookup.lookup("did:web:unknown.example") is None
    TrustedIssuer.objects.create(issuer_id=SCHOOL, name="My School (checked by us)")
    own = lookup.lookup(SCHOOL)
    assert own is not None
    assert (own.registry, own.name) == (OWN_LIST_NAME, "My School (checked by us)")
    TrustedIssuer.objects.filter(registry=None).delete()
    registry.enabled = False
    registry.save()
    assert lookup.lookup(SCHOOL) is None


def _ebsi_page(server: IssuerServer, page: int, dids: list[str], last: int) -> dict[str, Any]:
    base = "/trusted-issuers-registry/v5/issuers"
    return {
        "self": server.url(f"{base}?page[after]={page}&page[size]=2"),
        "items": [{"did": d, "href": server.url(f"{base}/{d}")} for d in dids],
        "total": 3,
        "pageSize": 2,
        "links": {
            "first": server.url(f"{base}?page[after]=1&page[size]=2"),
            "next": server.url(f"{base}?page[after]={min(page + 1, last)}&page[size]=2"),
            "last": server.url(f"{base}?page[after]={last}&page[size]=2"),
        },
    }


def test_an_ebsi_listing_is_fetched_page_by_page_through_the_safe_fetcher(
    issuer_server: IssuerServer,
) -> None:
    base = "/trusted-issuers-registry/v5/issuers"
    first = _ebsi_page(issuer_server, 1, ["did:ebsi:zA", "did:ebsi:zB"], last=2)
    second = _ebsi_page(issuer_server, 2, ["did:ebsi:zC"], last=2)
    issuer_server.add_json(f"{base}?page[after]=1&page[size]=2", first)
    issuer_server.add_json(f"{base}?page[after]=2&page[size]=2", second)
    registry = _registry(
        "EBSI pilot",
        format=RegistryFormat.EBSI_TIR_V5,
        url=issuer_server.url(f"{base}?page[after]=1&page[size]=2"),
    )
    assert refresh_registry(registry=registry, fetcher=SafeFetcher.from_settings()) == 3
    assert sorted(registry.entries.values_list("issuer_id", flat=True)) == [
        "did:ebsi:zA",
        "did:ebsi:zB",
        "did:ebsi:zC",
    ]
    # Two pages, each fetched once: the last page's "next" (itself) is not followed again.
    assert len([h for h in issuer_server.hits if h.startswith(base)]) == 2


def test_an_unreachable_registry_url_keeps_the_entries(issuer_server: IssuerServer) -> None:
    registry = _registry(url=issuer_server.url("/registry.json"))
    import_registry(registry=registry, pages=[COMMUNITY.read_bytes()])
    issuer_server.add("/registry.json", "down", status=503)
    with pytest.raises(RegistryUnreachable):
        refresh_registry(registry=registry, fetcher=SafeFetcher.from_settings())
    registry.refresh_from_db()
    assert registry.entries.count() == registry.entry_count > 0
    assert "503" in registry.last_error


def test_a_private_address_is_refused_by_the_fetcher() -> None:
    registry = _registry(url="https://127.0.0.1/registry.json")
    with pytest.raises(RegistryUnreachable):
        refresh_registry(registry=registry, fetcher=SafeFetcher.from_settings())
    assert registry.entries.count() == 0


def test_refreshing_all_goes_on_after_one_fails(issuer_server: IssuerServer) -> None:
    issuer_server.add("/good.json", COMMUNITY.read_bytes())
    _registry("Good", url=issuer_server.url("/good.json"))
    _registry("Gone", url=issuer_server.url("/gone.json"))
    _registry("From a file")  # no URL: not refreshed
    outcome = refresh_all_registries(fetcher=SafeFetcher.from_settings())
    assert set(outcome) == {"Good", "Gone"}
    assert outcome["Good"] == str(TrustedIssuerRegistry.objects.get(name="Good").entry_count)
    assert "Gone" in outcome["Gone"]


def test_the_command_imports_a_file_and_recognises_its_format() -> None:
    out = StringIO()
    call_command(
        "import_issuer_registry", "DCC Community Registry", "--file", str(COMMUNITY), stdout=out
    )
    registry = TrustedIssuerRegistry.objects.get(name="DCC Community Registry")
    assert registry.format == RegistryFormat.DCC_LEGACY
    assert str(registry.entry_count) in out.getvalue()


def test_the_command_refuses_a_file_that_is_no_registry(tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": "world"}')
    with pytest.raises(CommandError):
        call_command("import_issuer_registry", "Junk", "--file", str(junk))
    assert not TrustedIssuer.objects.exists()


def test_the_command_adds_dccs_legacy_registries_and_skips_federations() -> None:
    out = StringIO()
    call_command("import_issuer_registry", "--known", str(KNOWN), stdout=out)
    known = json.loads(KNOWN.read_text())
    legacy = {k["name"]: k["url"] for k in known if k["type"] == "dcc-legacy"}
    kept = dict(TrustedIssuerRegistry.objects.values_list("name", "url"))
    assert kept == legacy
    assert "OpenID Federation" in out.getvalue()


def test_the_command_refreshes_by_url_and_all(issuer_server: IssuerServer) -> None:
    issuer_server.add("/registry.json", COMMUNITY.read_bytes())
    url = issuer_server.url("/registry.json")
    call_command("import_issuer_registry", "Community", "--url", url, stdout=StringIO())
    registry = TrustedIssuerRegistry.objects.get(name="Community")
    assert registry.url == url
    assert registry.entries.filter(issuer_id=SCHOOL).exists()
    smaller = {"registry": {"did:web:only.example": {"name": "Only"}}}
    issuer_server.add("/registry.json", json.dumps(smaller))
    call_command("import_issuer_registry", "--all", stdout=StringIO())
    assert issuer_server.hits.count("/registry.json") == 2
    assert list(registry.entries.values_list("issuer_id", flat=True)) == ["did:web:only.example"]


def test_the_beat_schedule_refreshes_registries(settings: Any) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-trusted-issuer-registries"]
    assert entry["task"] == "credentials.tasks.refresh_issuer_registries_task"
    assert entry["schedule"] >= 3600


@pytest.fixture
def site_admin(client: Any) -> Any:
    from allauth.mfa.models import Authenticator

    from users.models import User

    # The admin refuses staff without a second factor, so the site admin has one.
    admin = User.objects.create_superuser("root@example.jp", "pw")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={})
    client.force_login(admin)
    return client


def test_admin_lists_registries_and_their_entries(site_admin: Any) -> None:
    from django.urls import reverse

    registry = _registry()
    import_registry(registry=registry, pages=[COMMUNITY.read_bytes()])
    for name in ("trustedissuerregistry", "trustedissuer"):
        response = site_admin.get(reverse(f"admin:credentials_{name}_changelist"), {"q": "School"})
        assert response.status_code == 200
    change = site_admin.get(
        reverse("admin:credentials_trustedissuerregistry_change", args=[registry.pk])
    )
    assert change.status_code == 200
    assert "My School" in change.content.decode()


def test_admin_adds_a_registry_from_an_uploaded_file(site_admin: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("registry.json", COMMUNITY.read_bytes(), "application/json")
    response = site_admin.post(
        reverse("admin:credentials_trustedissuerregistry_add"),
        {
            "name": "DCC Community Registry",
            "format": "dcc_legacy",
            "url": "",
            "governance_url": "https://digitalcredentials.github.io/community-registry",
            "enabled": "on",
            "registry_file": upload,
            "entries-TOTAL_FORMS": "0",
            "entries-INITIAL_FORMS": "0",
            "entries-MIN_NUM_FORMS": "0",
            "entries-MAX_NUM_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    registry = TrustedIssuerRegistry.objects.get(name="DCC Community Registry")
    assert registry.entries.filter(issuer_id=SCHOOL).exists()


def test_admin_refuses_a_file_that_is_no_registry_and_keeps_nothing(site_admin: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("junk.json", b'{"hello": 1}', "application/json")
    response = site_admin.post(
        reverse("admin:credentials_trustedissuerregistry_add"),
        {
            "name": "Junk",
            "format": "dcc_legacy",
            "enabled": "on",
            "registry_file": upload,
            "entries-TOTAL_FORMS": "0",
            "entries-INITIAL_FORMS": "0",
            "entries-MIN_NUM_FORMS": "0",
            "entries-MAX_NUM_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["registry_file"]
    assert not TrustedIssuerRegistry.objects.exists()


def test_an_imported_entry_is_read_only_but_one_kept_by_hand_is_not(site_admin: Any) -> None:
    from django.urls import reverse

    registry = _registry()
    import_registry(registry=registry, pages=[COMMUNITY.read_bytes()])
    imported = registry.entries.get(issuer_id=SCHOOL)
    page = site_admin.get(reverse("admin:credentials_trustedissuer_change", args=[imported.pk]))
    assert 'name="name"' not in page.content.decode()
    mine = TrustedIssuer.objects.create(issuer_id="did:web:mine.example", name="Mine")
    page = site_admin.get(reverse("admin:credentials_trustedissuer_change", args=[mine.pk]))
    assert 'name="name"' in page.content.decode()


INTEROP_ISSUER = "did:key:z6MkeWKGH6NmGFRV1giPW8trEoxXbiGNxs16xmxEgMjwMrTF"


def _registry_check(report: Any) -> Any:
    from credentials.vocabulary import CheckId

    return next(c for c in report.checks if c.check == CheckId.REGISTRY)


def test_the_registry_check_reads_the_same_on_every_format(
    issuer_server: IssuerServer, interop_dir: Path
) -> None:
    """One listing, three formats (OB 3.0 Data Integrity, OB 2.0 hosted, OB 2.0 signed):
    the registry check passes with the same registry name and the registry's own record."""
    from datetime import UTC, datetime

    from credentials.verification.context import VerificationContext
    from credentials.verification.engine import verify_bytes, verify_url
    from credentials.vocabulary import Outcome
    from tests.credentials.issuers.ob2 import Ob2Issuer

    ob2 = Ob2Issuer(issuer_server)
    registry = _registry("Test Registry")
    listing = {
        INTEROP_ISSUER: {"name": "Institute (as listed)", "location": "Tokyo, Japan"},
        ob2.profile_id: {"name": "University (as listed)", "location": "Osaka, Japan"},
    }
    import_registry(registry=registry, pages=[json.dumps({"registry": listing}).encode()])
    ctx = VerificationContext(
        fetcher=SafeFetcher.from_settings(),
        issuer_registry=DatabaseRegistry(),
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    hosted = ob2.host(ob2.assertion())
    reports = [
        verify_bytes((interop_dir / "ob3-v2-eddsa-valid.json").read_bytes(), ctx=ctx),
        verify_url(hosted, ctx=ctx),
        verify_bytes(ob2.sign(ob2.assertion()).encode(), ctx=ctx),
    ]
    checks = [_registry_check(report) for report in reports]
    assert [(c.outcome, c.code, c.params["registry"]) for c in checks] == [
        (Outcome.PASSED, "registry_listed", "Test Registry")
    ] * 3
    assert [c.params["listed_location"] for c in checks] == [
        "Tokyo, Japan",
        "Osaka, Japan",
        "Osaka, Japan",
    ]
