import threading

import pytest

from credentials import services
from credentials.models import Credential, Trigger
from credentials.verification.answers import Answers
from credentials.vocabulary import Status
from portal import demo_issuer
from portal.demo import load_demo_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def running_demo_issuer(monkeypatch, settings):
    """The demo issuer `make run` starts, on a free port the fetcher is allowed to reach."""
    server = demo_issuer.make_server(0)
    port = server.server_address[1]
    monkeypatch.setenv("DEMO_ISSUER_PORT", str(port))
    settings.VERIFIER_ALLOWED_PRIVATE_HOSTS = [f"localhost:{port}", f"127.0.0.1:{port}"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield
    server.shutdown()
    server.server_close()


def test_demo_applicant_gets_badges_showing_every_answer(
    monkeypatch, settings, tmp_path, running_demo_issuer
):
    settings.MEDIA_ROOT = tmp_path
    queued = []
    monkeypatch.setattr(services, "queue_verification", lambda pk, trigger: queued.append(pk))

    load_demo_data()
    load_demo_data()  # `make run` loads it on every start

    credentials = Credential.objects.filter(owner__email="hanako.yamada@example.jp")
    assert credentials.count() == 12
    assert sorted(queued) == sorted(credentials.values_list("pk", flat=True))
    # The interop copy's status list (status.example.test) does not exist offline; everything
    # else is checked against the running demo issuer.
    checkable = credentials.exclude(original_name="ob3-v2-eddsa-revoked.json")
    for credential in checkable:
        if credential.status != Status.PENDING:
            # The demo's HR decision is recorded on a credential checked during loading.
            continue
        outcome = services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
        assert outcome.ran, credential.original_name
    by_name = {c.original_name: c for c in checkable.all()}
    assert set(checkable.values_list("status", flat=True)) == {
        Status.VERIFIED,
        Status.REVOKED,
        Status.EXPIRED,
        Status.FAILED,
        Status.MALFORMED,
    }

    def answers(name: str) -> Answers:
        return Answers.from_json(by_name[name].answers)

    assert by_name["demo-did-web-revoked.json"].status == Status.REVOKED
    assert answers("demo-did-web.json").issuer_identity_basis == "domain"
    assert answers("demo-ob2-hosted.json").issuer_identity_basis == "domain"
    listed = answers("demo-registry-listed.json")
    assert (listed.issuer_identity, listed.issuer_identity_basis) == ("confirmed", "registry")
    self_made = answers("ob3-v2-eddsa-valid.json")
    assert (self_made.issuer_identity, self_made.issuer_identity_basis) == (
        "not_confirmed",
        "self_asserted",
    )
    assert answers("ob3-v2-eddsa-tampered.json").intact == "no"


# (file, kind and legal basis in Japanese, then in English)
JAPANESE_DEMO_BADGES = (
    (
        "jp-ob2-rishu-shomei.json",
        ("履修証明プログラム", "学校教育法第105条、学校教育法施行規則第164条"),
        ("履修証明プログラム", "School Education Act, Article 105"),
    ),
    (
        "jp-ob2-mdash-literacy.json",
        (
            "数理・データサイエンス・AI教育プログラム",
            "数理・データサイエンス・AI教育プログラム認定制度実施要綱",
        ),
        ("MDASH", "implementation guidelines of the MDASH approval scheme"),
    ),
)


def test_japanese_demo_badges_explain_their_programme_and_legal_basis(
    monkeypatch, settings, tmp_path, running_demo_issuer
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "queue_verification", lambda pk, trigger: None)
    load_demo_data()
    for filename, (kind_ja, basis_ja), (kind_en, basis_en) in JAPANESE_DEMO_BADGES:
        credential = Credential.objects.get(original_name=filename)
        services.run_verification(credential_id=credential.pk, trigger=Trigger.UPLOAD)
        credential.refresh_from_db()
        # Hosted on the demo issuer like any OB 2.0 hosted badge.
        assert credential.status == Status.VERIFIED, filename
        languages = credential.explanations["languages"]
        ja = {d["key"]: d for d in languages["ja"]["details"]}["programme"]["text"]
        en = {d["key"]: d for d in languages["en"]["details"]}["programme"]["text"]
        assert kind_ja in languages["ja"]["headline"], filename
        assert kind_ja in ja, filename
        assert f"法的根拠:{basis_ja}" in ja, filename
        assert kind_en in languages["en"]["headline"], filename
        assert kind_en in en, filename
        assert basis_en in en, filename
