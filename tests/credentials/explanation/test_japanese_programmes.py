"""Explanations of badges as Japanese issuers fill OB 2.0: programme kind, legal basis, the
legal minimum of hours, credits, the Japanese guideline, Japanese sentence joining."""

import json
from pathlib import Path

import pytest
from django.utils.translation import override

from credentials.explanation import explain
from credentials.explanation.markup import explanation_html
from credentials.explanation.stored import stored_explanation, stored_explanations
from credentials.formats.ob2 import parse_ob2

JP = Path(__file__).parent / "fixtures" / "jp"


def _document(name: str) -> dict:
    return json.loads((JP / name).read_text("utf-8"))


def _explain(document: dict, language: str):
    with override(language):
        return explain(parse_ob2(document))


def _with(fixture: str, **badge_fields) -> dict:
    document = _document(fixture)
    document["badge"].update(badge_fields)
    return document


def test_certificate_programme_without_hours_reads_at_least_60_hours_in_both_languages():
    document = _document("rishu-shomei-no-hours.json")
    en = _explain(document, "en")
    assert en.headline == (
        "Issued by さくら大学 リカレント教育センター on March 21, 2025: a 履修証明プログラム "
        "(a university certificate programme under Japan's School Education Act) (inferred "
        "from the text) — at least 60 hours of learning (the legal minimum) (inferred)."
    )
    programme = en.detail("programme")
    assert programme.inferred
    assert programme.source == "badge.name"
    assert "School Education Act, Article 105, and its Enforcement Regulations, Article 164" in (
        programme.text
    )
    assert "by law a university certificate programme (履修証明プログラム) totals at least 60" in (
        programme.text
    )
    assert "It does not say that university credits (単位) were awarded." in programme.text
    ja = _explain(document, "ja")
    assert ja.headline == (
        "さくら大学 リカレント教育センターが2025年3月21日に発行した履修証明プログラム"
        "(学校教育法に基づく大学の証明プログラム)(説明文からの推定)。"
        "学習時間は60時間以上(法定の最低時間数)(推定)です。"
    )
    text = ja.detail("programme").text
    assert "法的根拠:学校教育法第105条、学校教育法施行規則第164条。" in text
    assert "総時間数60時間以上と定められています。" in text
    assert ja.detail("programme").label == "日本の制度上の位置づけ"


def test_every_shown_fact_lists_its_sources_with_the_date_read():
    detail = _explain(_document("rishu-shomei-no-hours.json"), "en").detail("programme")
    assert detail.items
    assert all(item.startswith("Source: ") for item in detail.items)
    assert all("(read on 2026-12-02)" in item for item in detail.items)
    assert any("kumamoto-u.ac.jp" in item for item in detail.items)  # the 60-hour minimum


def test_a_certificate_programme_issued_before_april_2019_had_a_120_hour_minimum():
    document = _with("rishu-shomei-no-hours.json")
    document["issuedOn"] = "2018-09-30T00:00:00+09:00"
    e = _explain(document, "en")
    assert "at least 120 hours of learning (the legal minimum)" in e.headline
    assert "issued before April 2019" in e.detail("programme").text


def test_stated_hours_win_over_the_minimum_and_are_compared_with_it():
    e = _explain(_document("bp-rishu-shomei-64h.json"), "en")
    assert "64 hours of learning (inferred)" in e.headline
    assert "at least" not in e.headline
    assert "meets the legal minimum of 60 hours" in e.detail("programme").text
    low = _with(
        "rishu-shomei-no-hours.json",
        description="履修証明プログラム(総時間数30時間)です。",
    )
    text = _explain(low, "en").detail("programme").text
    assert "below the legal minimum of 60 hours" in text


def test_the_hours_minimum_applies_only_to_the_certificate_programme():
    mdash = _explain(_document("mdash-literacy.json"), "en")
    assert "legal minimum" not in mdash.headline
    bp_only = _with(
        "plain-course.json",
        name="地域DXリーダー養成講座",
        description="文部科学大臣が認定する職業実践力育成プログラム(BP)です。",
        criteria={"narrative": "全講義に出席すること。"},
    )
    e = _explain(bp_only, "en")
    assert e.detail("programme") is not None
    # The BP minimum rests on one secondary page: it is not claimed.
    assert "at least" not in e.headline
    assert "legal minimum" not in e.detail("programme").text
    for name in ("kamoku", "jv"):
        text = {"kamoku": "科目等履修生として修得", "jv": "JV-Campusの講座を修了"}[name]
        plain = _explain(_with("plain-course.json", description=text), "en")
        assert "at least" not in plain.headline, name


def test_mdash_names_its_level_and_its_basis_in_both_languages():
    document = _document("mdash-literacy.json")
    en = _explain(document, "en")
    assert "MDASH), literacy level (inferred from the text)" in en.headline
    text = en.detail("programme").text
    assert "The literacy level builds the basic ability" in text
    assert "decided by the Minister of Education on 24 February 2021" in text
    assert "the portal has not checked the Ministry's list" in text
    ja = _explain(document, "ja")
    assert "数理・データサイエンス・AI教育プログラム(文部科学大臣認定制度)・リテラシーレベル" in (
        ja.headline
    )
    assert "ポータルは文部科学省の認定一覧を確認していません。" in ja.detail("programme").text


def test_japanese_credits_name_the_standards_article_in_both_languages():
    document = _document("mdash-literacy.json")
    assert "大学設置基準第21条により、1単位" in _explain(document, "ja").detail("hours").text
    assert "(大学設置基準, Article 21)" in _explain(document, "en").detail("hours").text


@pytest.mark.parametrize(
    "name", ["rishu-shomei-no-hours.json", "mdash-literacy.json", "bp-rishu-shomei-64h.json"]
)
def test_japanese_sentences_are_joined_without_spaces(name):
    e = _explain(_document(name), "ja")
    for detail in e.details:
        assert "。 " not in detail.text, detail.key
        assert ") " not in detail.text or detail.key == "outcomes", detail.key
    en = _explain(_document(name), "en")
    assert ". " in en.detail("programme").text


def test_the_japanese_guideline_checklist_shows_which_elements_are_stated():
    e = _explain(_document("bp-rishu-shomei-64h.json"), "en")
    detail = e.detail("jp_guideline")
    lines = detail.items[:6]
    assert lines == (
        "Issuing institution: stated",
        "Date of issue: stated",
        "Learning outcomes: not stated",
        "Assessment method: stated in free text only",
        "Quality assurance: stated in free text only",
        "Stackability: not stated",
    )
    assert "states 4 (2 of them only in free text)" in detail.text
    assert "full list of descriptors could not be read" in detail.text
    assert any("micro-credentials.jp" in line for line in detail.items)
    ja = _explain(_document("bp-rishu-shomei-64h.json"), "ja").detail("jp_guideline")
    assert ja.items[0] == "発行機関:記載あり"
    assert ja.items[2] == "学習成果:記載なし"


def test_the_guideline_checklist_is_left_out_for_credentials_that_are_not_japanese():
    from . import credentials as samples

    with override("en"):
        e = explain(samples.ob3_with_eqf_alignment())
    assert e.detail("jp_guideline") is None
    assert e.detail("programme") is None


def test_a_plain_course_badge_keeps_its_ordinary_kind():
    e = _explain(_document("plain-course.json"), "en")
    assert e.detail("programme") is None
    assert e.headline.startswith(
        "Issued by さくら大学 学習支援システム on July 31, 2025: a credential"
    )
    assert e.detail("jp_guideline") is not None  # Japanese text: the guideline still applies


def test_structured_kind_is_not_labelled_inferred():
    document = _with(
        "rishu-shomei-no-hours.json",
        alignment=[
            {
                "targetName": "履修証明プログラム",
                "targetUrl": "https://www.mext.go.jp/a_menu/koutou/shoumei/",
            }
        ],
    )
    e = _explain(document, "en")
    assert not e.detail("programme").inferred
    assert e.detail("programme").source == "badge.alignment[0]"
    assert "(inferred from the text)" not in e.headline
    assert "at least 60 hours of learning (the legal minimum)." in e.headline


def test_stored_and_rendered_explanations_carry_the_programme(settings):
    record = parse_ob2(_document("mdash-literacy.json"))
    stored = stored_explanations(record)
    for language in ("ja", "en"):
        text = stored_explanation(stored, language)
        keys = [d.key for d in text.details]
        assert keys[0] == "programme"
        assert keys[-1] == "jp_guideline"
        with override(language):
            html = explanation_html(text)
        assert "explanation__detail--programme" in html
    with override("ja"):
        assert "数理・データサイエンス・AI教育プログラム" in explanation_html(
            stored_explanation(stored, "ja")
        )


@pytest.mark.parametrize(
    ("issued_on", "minimum"),
    [("2019-04-01T00:00:00+09:00", 60), ("2019-03-31T23:59:00+09:00", 120)],
)
def test_the_minimum_changes_at_midnight_in_japan(issued_on, minimum):
    document = _document("rishu-shomei-no-hours.json")
    document["issuedOn"] = issued_on  # 2019-03-31 15:00 UTC is already April in Japan
    assert f"at least {minimum} hours" in _explain(document, "en").headline


def test_an_mdash_plus_selection_is_named_in_the_headline_and_explained():
    document = _with(
        "mdash-literacy.json",
        name="数理・データサイエンス・AI教育プログラム(応用基礎レベルプラス)修了",
        description="応用基礎レベルプラスに選定された教育プログラムの修了証です。",
    )
    en = _explain(document, "en")
    assert "MDASH), applied basic level Plus (inferred from the text)" in en.headline
    assert "“Plus” marks an approved programme" in en.detail("programme").text
    ja = _explain(document, "ja")
    assert "・応用基礎レベルプラス(説明文からの推定)" in ja.headline
    assert "「プラス」は、認定されたプログラムの中から" in ja.detail("programme").text


def test_facts_from_secondary_sources_are_said_cautiously():
    # The 60-hour minimum rests on secondary sources; MDASH's facts were read in official text.
    rishu = _explain(_document("rishu-shomei-no-hours.json"), "en").detail("programme").text
    assert "widely reported rather than read in the official text" in rishu
    mdash = _explain(_document("mdash-literacy.json"), "en").detail("programme").text
    assert "widely reported" not in mdash
    ja = _explain(_document("rishu-shomei-no-hours.json"), "ja").detail("programme").text
    assert "公式の原文ではなく複数の二次資料によるもの" in ja


def test_a_missing_mdash_level_is_named_in_the_readers_language():
    document = _with("mdash-literacy.json", name="数理・データサイエンス・AI教育プログラム修了")
    document["badge"]["description"] = "本学の教育プログラムの修了証です。"
    en = _explain(document, "en").detail("programme").text
    assert "does not say which level it is (literacy level / applied basic level)" in en
    ja = _explain(document, "ja").detail("programme").text
    assert "どのレベル(リテラシーレベル・応用基礎レベル)かは記載されていません。" in ja
