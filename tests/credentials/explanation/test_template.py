import dataclasses

from django.template import engines
from django.template.loader import render_to_string
from django.utils.translation import override

from credentials.explanation import explain

from . import credentials as samples


def _render(explanation) -> str:
    return render_to_string("credentials/_explanation.html", {"explanation": explanation})


def test_partial_renders_headline_details_sources_and_checklist_in_english():
    with override("en"):
        html = _render(explain(samples.edc()))
    assert 'class="explanation"' in html
    assert 'lang="en"' in html
    assert "Issued by University College Dublin on June 28, 2024" in html
    assert "<dt>Learning time</dt>" in html
    # Where each fact was found, and the EU checklist, sit behind closed disclosures.
    provenance = html.split('<details class="provenance">')[1].split("</details>")[0]
    assert "<code>credentialSubject.hasClaim[0].specifiedBy.eqfLevel</code>" in provenance
    assert '<details class="completeness eu-checklist">' in html
    assert "credentialSubject.hasClaim" not in html.split('<details class="provenance">')[0]
    assert "11 of 11" in html
    assert "Carry out a data protection impact assessment for an HR system." in html


def test_partial_marks_inferred_details():
    with override("en"):
        html = _render(explain(samples.japanese_university_badge()))
    assert html.count('<span class="inferred">') >= 3
    assert "8 of 10" in html


def test_partial_in_japanese_shows_japanese_data_and_dates():
    with override("ja"):
        explanation = explain(samples.edc())
        html = _render(explanation)
    assert explanation.language == "ja"
    assert 'lang="ja"' in html
    assert "2024年6月28日" in html  # Django's Japanese date format
    assert "学士・高度専門士" in html  # JEQF qualification names joined the Japanese way
    assert "欧州資格枠組み" in html  # framework name from the data, in Japanese
    assert "欧州単位互換制度(ECTS)" in html
    with override("ja"):
        html = _render(explain(samples.ob3_with_eqf_alignment()))
    assert "短期大学士・専門士" in html


def test_hostile_credential_text_is_escaped():
    record = dataclasses.replace(
        samples.ob3_with_eqf_alignment(),
        issuer_name='<script>alert("x")</script>',
        outcomes=("<img src=x onerror=alert(1)>",),
    )
    with override("en"):
        html = _render(explain(record))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_partial_works_included_with_only():
    template = engines["django"].from_string(
        '{% include "credentials/_explanation.html" with explanation=x only %}'
    )
    with override("en"):
        html = template.render({"x": explain(samples.ob2_with_only_a_description())})
    assert "Issued by Example Training Co." in html
    assert "The credential does not state its level." in html
