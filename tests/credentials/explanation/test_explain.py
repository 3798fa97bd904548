import pytest
from django.utils.translation import override

from credentials.explanation import ElementStatus, explain
from credentials.formats.edc import is_edc
from credentials.formats.record import CredentialRecord
from credentials.vocabulary import CredentialFormat

from . import credentials as samples


def _statuses(explanation):
    return {i.element: i.status for i in explanation.completeness.items}


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


def test_ob3_with_eqf_alignment():
    e = explain(samples.ob3_with_eqf_alignment())
    assert e.headline == (
        "Issued by Example Cloud Academy on March 15, 2024: a course at EQF level 5 "
        "(comparable to 短期大学士 / 専門士 in Japan) — 40 hours of learning (inferred), "
        "assessed by “Proctored final exam (Percent)”."
    )
    level = e.detail("level")
    assert not level.inferred
    assert level.source == "credentialSubject.achievement.alignment[0]"
    assert "no official link between the two frameworks" in level.text
    assert e.hours.best.low == e.hours.best.high == 40
    assert e.detail("hours").inferred
    assert e.completeness.score == "10 of 11"
    assert e.completeness.text_only == 2
    statuses = _statuses(e)
    assert statuses["7"] == ElementStatus.PRESENT_TEXT_ONLY
    assert statuses["8"] == ElementStatus.PRESENT_STRUCTURED
    assert statuses["11"] == ElementStatus.ABSENT
    assert e.detail("outcomes").items == ("Manage cloud security controls",)


def test_ob3_with_unitless_credits_is_never_converted():
    e = explain(samples.ob3_with_unitless_credits())
    assert e.headline == "Issued by Example Community College on Dec. 1, 2023: a certificate."
    hours = e.detail("hours")
    assert hours.text == (
        "3 credits (credit system not stated). The number of hours cannot be determined."
    )
    assert hours.source == "credentialSubject.achievement.creditsAvailable"
    assert e.hours.best is None
    assert e.detail("level").text == "The credential does not state its level."
    assert not e.detail("level").stated
    # Level is "if applicable": a certificate that does not claim formal education is not
    # marked as missing it.
    assert _statuses(e)["8"] == ElementStatus.NOT_APPLICABLE
    assert e.completeness.score == "5 of 10"


def test_ob2_with_only_a_description():
    record = samples.ob2_with_only_a_description()
    assert record.format == CredentialFormat.OB2
    e = explain(record)
    assert e.headline == "Issued by Example Training Co. on Nov. 8, 2022: a credential."
    assert e.detail("hours").text == "The credential does not state learning hours or credits."
    participation = e.detail("participation")
    assert participation.inferred
    assert participation.source == "badge.description"
    assert "in-person" in participation.text
    assert e.detail("assessment").text == "The credential does not say how it was assessed."
    assert e.completeness.score == "5 of 10"
    assert _statuses(e)["10"] == ElementStatus.PRESENT_TEXT_ONLY


def test_edc_with_ects_and_eqf_level():
    document = samples.edc_document()
    assert is_edc(document)
    e = explain(samples.edc())
    assert e.headline == (
        "Issued by University College Dublin on June 28, 2024: a qualification at EQF level 6 "
        "(comparable to 学士 / 高度専門士 in Japan) — 125 hours of learning, assessed by "
        "“Case-study portfolio and online examination”."
    )
    assert e.level.primary.path == "credentialSubject.hasClaim[0].specifiedBy.eqfLevel"
    hours = e.detail("hours").text
    assert "Learning time: 125 hours (stated in the credential as “PT125H”)." in hours
    assert "5 ECTS. At 25–30 hours per credit" in hours
    assert "about 125–150 hours of learning" in hours
    assert "roughly 2.8–3.3 単位" in hours
    assert e.completeness.score == "11 of 11"
    assert all(i.status == ElementStatus.PRESENT_STRUCTURED for i in e.completeness.items)
    assert e.detail("stackability").text.startswith("It is part of a larger qualification")
    assert len(e.detail("outcomes").items) == 4  # three outcomes and one ESCO skill


def test_edc_month_duration_is_flagged_and_ects_gives_the_hours():
    e = explain(samples.edc_with_only_activity_duration())
    hours = e.detail("hours")
    assert "“P60M”" in hours.text
    assert "means 60 months" in hours.text
    assert "not plausible" in hours.text
    assert (e.hours.best.low, e.hours.best.high) == (125, 150)
    assert "about 125–150 hours of learning" in e.headline


def test_japanese_university_badge_with_tani():
    e = explain(samples.japanese_university_badge())
    assert e.headline == (
        "Issued by 東京未来大学 on March 25, 2025: a course — 90 hours of learning (inferred)."
    )
    hours = e.detail("hours")
    assert "2 Japanese university credits (単位). At 45 hours per credit" in hours.text
    assert "inferred from the credential's text" in hours.text
    assert hours.inferred
    credit = e.hours.credits[0]
    assert (credit.system_id, credit.hours.low, credit.hours.high) == ("jp-tani", 90, 90)
    assert e.detail("level").text == "The credential does not state its level."
    assert e.completeness.score == "8 of 10"
    assert _statuses(e)["9"] == ElementStatus.PRESENT_TEXT_ONLY


def test_a_degree_type_alone_gives_no_level_but_makes_level_applicable():
    record = CredentialRecord(
        title="Bachelor of Arts", achievement_type="BachelorDegree", issuer_name="Some University"
    )
    e = explain(record)
    assert e.level.primary is None
    assert "at EQF" not in e.headline
    assert e.headline == "Issued by Some University: a bachelor's degree."
    assert _statuses(e)["8"] == ElementStatus.ABSENT
    assert e.completeness.applicable == 11


def test_national_level_explains_official_link_and_japan_analogy():
    from credentials.formats.record import Alignment

    record = CredentialRecord(
        issuer_name="Example Polytechnic",
        alignments=(
            Alignment(
                target_name="Level 7",
                target_url="https://www.nzqa.govt.nz",
                target_framework="NZQCF",
                path="alignment[0]",
            ),
        ),
    )
    text = explain(record).detail("level").text
    assert "NZQCF level 7" in text
    assert "A 2016 joint report by NZQA and European Commission compares it with EQF level 6." in (
        text
    )
    assert "学士 (Bachelor's degree)" in text
    record = CredentialRecord(
        alignments=(Alignment(target_name="MQF Level 4", target_framework="MQF"),)
    )
    text = explain(record).detail("level").text
    assert "It has no official link to the European Qualifications Framework (EQF)." in text
    assert "The level numbers do not match across frameworks." in text  # MQF 4 ~ JEQF 5


def test_inferred_level_is_labelled_in_the_headline_and_details():
    record = CredentialRecord(issuer_name="X", description="Sits at EQF level 4.")
    e = explain(record)
    assert "EQF level 4 (comparable to 高等学校卒業 in Japan) (inferred from the text)" in (
        e.headline
    )
    level = e.detail("level")
    assert level.inferred
    assert "“EQF level 4” (not stated as structured data" in level.text
    assert _statuses(e)["8"] == ElementStatus.PRESENT_TEXT_ONLY
