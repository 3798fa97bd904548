"""Japanese programme kinds: sourced data, recognised from fields and text, never from
look-alike words."""

import copy
import json
from pathlib import Path

import pytest

from credentials.formats.ob2 import parse_ob2
from credentials.formats.ob3 import parse_ob3
from credentials.frameworks.catalogue import DataError, catalogue
from credentials.frameworks.levels import Origin
from credentials.frameworks.programmes import (
    _fact,
    japanese_programmes,
    recognise_programmes,
)
from credentials.vocabulary import Container
from tests.credentials.explanation.credentials import _ob3

JP_FIXTURES = Path(__file__).parent.parent / "explanation" / "fixtures" / "jp"


def _badge(**badge_fields) -> dict:
    """An OB 2.0 assertion as Japanese issuers fill it, with the badge class changed."""
    document = json.loads((JP_FIXTURES / "plain-course.json").read_text("utf-8"))
    document["badge"].update(badge_fields)
    return document


def _kinds(document: dict) -> dict[str, object]:
    finding = recognise_programmes(parse_ob2(document))
    return {s.programme_id: s for s in finding.statements}


# --- data ------------------------------------------------------------------------------


def test_every_programme_fact_names_known_sources_read_on_a_date():
    sources = catalogue().sources
    data = japanese_programmes()
    facts = []
    for programme in data.programmes:
        facts.extend(programme.facts)
        facts.extend(v.fact for v in programme.levels)
        if programme.plus:
            facts.append(programme.plus.fact)
        if programme.legal_basis:
            facts.append(programme.legal_basis)
        if programme.hours_floor:
            assert programme.hours_floor.sources
    assert len(facts) > 25
    for fact in facts:
        assert fact.sources, fact
        assert fact.ja, fact
        assert fact.en, fact
        for source_id in fact.sources:
            assert sources[source_id].read_on == "2026-12-02", source_id
            assert sources[source_id].url.startswith("http"), source_id
    for source_id in data.guideline.sources:
        assert sources[source_id].read_on


def test_a_fact_without_sources_is_refused():
    with pytest.raises(DataError, match="no sources"):
        _fact({"key": "meaning", "ja": "…", "en": "…", "confidence": "verified"}, "x", {})


def test_only_the_certificate_programme_has_a_minimum_that_may_be_shown():
    data = japanese_programmes()
    shown = {p.id for p in data.programmes if p.shown_floor is not None}
    assert shown == {"rishu-shomei"}
    # The BP minimum was read on a single secondary page: kept, but never shown.
    bp = data.programme("bp")
    assert bp.hours_floor is not None
    assert not bp.hours_floor.shown
    floor = data.programme("rishu-shomei").shown_floor
    assert (floor.hours, floor.before_hours, str(floor.since)) == (60, 120, "2019-04-01")


# --- structured fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("badge_fields", "kind", "path"),
    [
        (
            {
                "alignment": [
                    {
                        "targetName": "履修証明プログラム",
                        "targetUrl": "https://www.mext.go.jp/a_menu/koutou/shoumei/",
                    }
                ]
            },
            "rishu-shomei",
            "badge.alignment[0]",
        ),
        (
            {
                "alignment": [
                    {
                        "targetName": "文部科学大臣認定",
                        "targetUrl": "https://www.mext.go.jp/a_menu/koutou/bp/index.htm",
                    }
                ]
            },
            "bp",
            "badge.alignment[0]",
        ),
        (
            {
                "alignment": [
                    {
                        "targetName": "リテラシーレベル",
                        "targetFramework": "数理・データサイエンス・AI教育プログラム認定制度",
                        "targetUrl": "https://example.jp/mdash",
                    }
                ]
            },
            "mdash",
            "badge.alignment[0]",
        ),
        (
            {"educationalCredentialAwarded": "キャリア形成促進プログラム修了"},
            "career-keisei",
            "badge.educationalCredentialAwarded",
        ),
        ({"tags": ["情報", "科目等履修生"]}, "kamoku-rishusei", "badge.tags[1]"),
        (
            {
                "alignment": [
                    {
                        "targetName": "基本情報技術者試験 合格",
                        "targetUrl": "https://www.ipa.go.jp/shiken/",
                    }
                ]
            },
            "it-exam",
            "badge.alignment[0]",
        ),
        (
            {
                "issuer": {
                    "type": "Issuer",
                    "id": "https://www.jv-campus.org/issuer/tsukuba",
                    "name": "筑波大学",
                    "url": "https://www.jv-campus.org/",
                }
            },
            "jv-campus",
            "badge.issuer.id",
        ),
    ],
)
def test_each_kind_is_recognised_from_structured_fields(badge_fields, kind, path):
    statement = _kinds(_badge(**badge_fields))[kind]
    assert not statement.inferred
    assert statement.origin in (Origin.ALIGNMENT, Origin.STRUCTURED_FIELD)
    assert statement.path.startswith(path.split("[")[0]) or statement.path == path


# --- free text, Japanese and English ---------------------------------------------------

TEXTS = [
    ("rishu-shomei", "本講座は学校教育法第105条に基づく履修証明プログラムです。"),
    ("rishu-shomei", "A certificate programme under Article 105 of the School Education Act."),
    ("mdash", "数理・データサイエンス・AI教育プログラム(応用基礎レベル)の修了証です。"),
    ("mdash", "Completed the Mathematics, Data Science and AI Education Program (literacy level)."),
    ("bp", "文部科学大臣認定 職業実践力育成プログラム(BP)の修了者に授与します。"),
    ("bp", "Awarded on completion of a Brush up Program for professional approved by MEXT."),
    ("career-keisei", "本学科はキャリア形成促進プログラムとして認定されています。"),
    ("career-keisei", "This course is a Career Formation Promotion Program."),
    ("kamoku-rishusei", "科目等履修生として「統計学I」2単位を修得。"),
    ("kamoku-rishusei", "Earned 2 credits as a credited auditor."),
    ("it-exam", "ITパスポート試験に合格したことを証明します。"),
    ("it-exam", "Passed the Fundamental Information Technology Engineer Examination."),
    ("jv-campus", "JV-Campusで提供されたオンライン講座を修了しました。"),
    ("jv-campus", "A course offered on Japan Virtual Campus."),
]


@pytest.mark.parametrize(("kind", "text"), TEXTS)
def test_each_kind_is_inferred_from_japanese_and_english_text_with_the_words_quoted(kind, text):
    statement = _kinds(_badge(description=text))[kind]
    assert statement.inferred
    assert statement.origin == Origin.FREE_TEXT
    assert statement.path == "badge.description"
    # The quote is the credential's own words around the match.
    assert statement.quote.strip("…") in text


LOOK_ALIKES = [
    "「情報リテラシー」を履修しました。",  # 履修 alone
    "履修証明書を発行します。",  # a certificate of attendance, not the programme
    "本学が認定したデータサイエンス講座です。",  # 認定 alone
    "AI教育プログラム(リテラシーレベル)",  # not the MDASH name
    "データサイエンス教育プログラム",
    "BP認定講座",  # BP alone
    "Blood pressure (BP) monitoring course",
    "キャリア形成支援セミナー",  # キャリア形成 alone
    "科目履修の記録",  # not 科目等履修生
    "ITパスポート試験対策講座 修了",  # a preparation course, not a pass
    "IT passport preparation course completed",
    "基本情報技術者試験の過去問演習",
    "Designed with &mdash; care",  # an HTML entity, not MDASH
    "JV Camp summer programme",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_words_that_merely_look_similar_are_not_recognised(text):
    for field in ("name", "description"):
        assert _kinds(_badge(**{field: text})) == {}, (field, text)
    assert _kinds(_badge(tags=[text])) == {}


def test_a_plain_moodle_style_course_badge_names_no_programme():
    document = json.loads((JP_FIXTURES / "plain-course.json").read_text("utf-8"))
    assert recognise_programmes(parse_ob2(document)).statements == ()


# --- levels ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level", "plus"),
    [
        ("数理・データサイエンス・AI教育プログラム(リテラシーレベル)修了", "literacy", False),
        ("数理・データサイエンス・AI教育プログラム 応用基礎レベルプラス", "applied", True),
        ("MDASH Literacy Level Plus programme", "literacy", True),
        ("数理・データサイエンス・AI教育プログラム修了", "", False),
    ],
)
def test_mdash_level_and_plus_are_read(text, level, plus):
    statement = _kinds(_badge(name=text))["mdash"]
    assert (statement.level_id, statement.plus) == (level, plus)


def test_the_mdash_level_may_come_from_another_field():
    statement = _kinds(
        _badge(name="数理・データサイエンス・AI教育プログラム修了", description="応用基礎レベル")
    )["mdash"]
    assert statement.level_id == "applied"
    assert statement.level_path == "badge.description"


@pytest.mark.parametrize(
    ("text", "exam"),
    [
        ("ITパスポート試験 合格", "ip"),
        ("基本情報技術者試験に合格", "fe"),
        ("Passed the Applied Information Technology Engineer Examination", "ap"),
    ],
)
def test_the_examination_is_named(text, exam):
    assert _kinds(_badge(name=text))["it-exam"].level_id == exam


def test_structured_statements_lead_and_each_kind_is_said_once():
    document = _badge(
        name="職業実践力育成プログラム(BP)・履修証明プログラム「地域DX人材」修了",
        description="履修証明プログラムです。",
        alignment=[{"targetName": "履修証明プログラム", "targetUrl": "https://example.jp/"}],
    )
    finding = recognise_programmes(parse_ob2(document))
    assert [s.programme_id for s in finding.statements] == ["rishu-shomei", "bp"]
    assert not finding.primary.inferred  # the alignment outranks the name
    assert finding.hours_floor()[0].programme_id == "rishu-shomei"


def test_recognition_does_not_change_the_record():
    document = _badge(description="履修証明プログラム")
    record = parse_ob2(document)
    before = copy.deepcopy(record.as_json())
    recognise_programmes(record)
    assert record.as_json() == before


def test_an_ob3_achievement_type_or_credential_awarded_names_the_kind():
    document = _ob3(
        {
            "name": "Data literacy",
            "achievementType": "ext:数理・データサイエンス・AI教育プログラム(リテラシーレベル)",
            "criteria": {"narrative": "Pass both courses."},
            "educationalCredentialAwarded": "履修証明プログラム",
        },
        issuer={"id": "https://u.example.jp/issuer", "name": "Example University"},
        valid_from="2025-04-01T00:00:00+09:00",
    )
    finding = recognise_programmes(parse_ob3(document, container=Container.JSON))
    by_kind = {s.programme_id: s for s in finding.statements}
    assert by_kind["mdash"].origin == Origin.STRUCTURED_FIELD
    assert by_kind["mdash"].path == "credentialSubject.achievement.achievementType"
    assert by_kind["mdash"].level_id == "literacy"
    assert by_kind["rishu-shomei"].path == (
        "credentialSubject.achievement.educationalCredentialAwarded"
    )
    assert not by_kind["rishu-shomei"].inferred
