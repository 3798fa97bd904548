"""Intake and the engine read an upload with one classifier (review L1): what intake keeps,
the engine does not then call malformed for its kind or size; what the engine can read,
intake does not refuse."""

import pytest
from django.utils import translation

from credentials import services
from credentials.exceptions import UnsupportedFileType, UploadTooLarge
from credentials.formats.detect import ExtractionError, extract
from credentials.models import Credential
from credentials.sniff import SVG, URI_LIST
from tests.credentials.applicants import applicant, interop

pytestmark = pytest.mark.django_db

BAKED_SVG = interop("ob3-v2-eddsa-valid-baked.svg")
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
# The same badge with a comment (as editors write) before the <svg> root.
COMMENTED_SVG = b"<!-- Exported by an editor -->\n" + BAKED_SVG.removeprefix(
    _XML_DECLARATION
).lstrip(b"\n")
# And with a plain DOCTYPE first.
DOCTYPE_SVG = b"<!DOCTYPE svg>\n" + BAKED_SVG.removeprefix(_XML_DECLARATION).lstrip(b"\n")


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "queue_verification", lambda *args: None)
    with translation.override("en"):  # assertions read the English texts
        yield


def test_the_fixture_svg_starts_with_an_xml_declaration():
    # The derived inputs above are only meaningful if this holds.
    assert BAKED_SVG.startswith(_XML_DECLARATION)
    assert not COMMENTED_SVG.startswith(b"<?xml")


@pytest.mark.parametrize("data", [COMMENTED_SVG, DOCTYPE_SVG], ids=["comment", "doctype"])
def test_an_svg_with_a_prolog_is_kept_and_read_as_a_baked_svg(data):
    credential = services.submit_upload(
        applicant=applicant(), data=data, filename="badge.svg"
    ).credential
    assert credential.content_type == SVG
    extracted = extract(data)  # what the engine reads from the same bytes
    assert (extracted.container, extracted.kind) == ("svg", "json")


def test_a_text_file_with_a_link_is_kept_as_a_hosted_badge():
    data = b"https://badges.example.org/assertions/1\n"
    credential = services.submit_upload(
        applicant=applicant(), data=data, filename="badge.txt"
    ).credential
    assert credential.content_type == URI_LIST
    assert extract(data).kind == "url"


def test_a_json_array_is_refused_at_upload_not_kept_as_malformed():
    data = b'[{"type": ["VerifiableCredential"]}]'
    with pytest.raises(UnsupportedFileType, match="one badge"):
        services.submit_upload(applicant=applicant(), data=data, filename="badges.json")
    with pytest.raises(ExtractionError):
        extract(data)
    assert not Credential.objects.exists()


def test_an_svg_over_the_svg_cap_is_refused_at_upload_with_its_size(settings):
    settings.CREDENTIAL_MAX_UPLOAD_BYTES = 5_000_000
    data = BAKED_SVG + b"<!--" + b" " * 3_000_000 + b"-->"
    with pytest.raises(UploadTooLarge, match=r"2\.1 MB"):
        services.submit_upload(applicant=applicant(), data=data, filename="big.svg")
    with pytest.raises(ExtractionError, match="input_too_large"):
        extract(data)
    assert not Credential.objects.exists()


def test_html_that_mentions_svg_is_still_refused():
    data = b"<!-- page --><html><body><svg></svg></body></html>"
    with pytest.raises(UnsupportedFileType):
        services.submit_upload(applicant=applicant(), data=data, filename="page.html")
