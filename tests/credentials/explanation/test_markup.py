import dataclasses

import pytest
from django.template.loader import render_to_string
from django.utils.translation import override
from pytest_django.asserts import assertHTMLEqual

from credentials.explanation import explain
from credentials.explanation.markup import explanation_html

from . import credentials as samples

SAMPLES = [
    samples.edc,
    samples.edc_with_only_activity_duration,
    samples.ob3_with_eqf_alignment,
    samples.ob3_with_unitless_credits,
    samples.ob2_with_only_a_description,
    samples.japanese_university_badge,
    samples.japanese_certificate_programme_badge,
    samples.japanese_mdash_badge,
    samples.japanese_bp_badge,
]


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.__name__)
def test_python_markup_equals_the_explanation_template(sample, language):
    with override(language):
        explanation = explain(sample())
        expected = render_to_string("credentials/_explanation.html", {"explanation": explanation})
        html = explanation_html(explanation)
    assertHTMLEqual(html, expected)


def test_fixed_words_follow_the_active_language():
    with override("en"):
        english = explanation_html(explain(samples.japanese_university_badge()))
    with override("ja"):
        japanese = explanation_html(explain(samples.japanese_university_badge()))
        required = render_to_string(
            "credentials/_explanation.html",
            {"explanation": explain(samples.japanese_university_badge())},
        )
    assert "Optional elements (not scored)" in english
    assert "Optional elements (not scored)" not in japanese
    assert 'lang="ja"' in japanese
    assertHTMLEqual(japanese, required)


def test_hostile_credential_text_is_escaped():
    record = dataclasses.replace(
        samples.ob3_with_eqf_alignment(),
        issuer_name='<script>alert("x")</script>',
        outcomes=("<img src=x onerror=alert(1)>",),
    )
    with override("en"):
        html = explanation_html(explain(record))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
