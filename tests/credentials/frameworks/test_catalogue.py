import pytest

from credentials.frameworks import catalogue as cat
from credentials.frameworks.catalogue import Confidence, DataError, Relation


def _facts():
    data = cat.catalogue()
    for fw in data.frameworks.values():
        yield f"framework {fw.id}", fw.sources, fw.confidence
        for lv in fw.levels:
            yield f"level {fw.id}:{lv.code}", lv.sources, lv.confidence
            for q in lv.qualifications:
                yield f"qualification {fw.id}:{lv.code} {q.en}", q.sources, q.confidence
    for m in data.mappings:
        yield f"mapping {m.from_framework}:{m.from_code}", m.sources, m.confidence
    for cs in data.credit_systems.values():
        yield f"credit system {cs.id}", cs.sources, cs.confidence


def test_no_framework_fact_lacks_a_source():
    known = set(cat.catalogue().sources)
    facts = list(_facts())
    assert len(facts) > 200
    for name, sources, confidence in facts:
        assert sources, name
        assert set(sources) <= known, name
        assert isinstance(confidence, Confidence), name


def test_a_fact_without_sources_is_rejected_by_the_loader():
    sources = cat.catalogue().sources
    raw = {"id": "x", "confidence": "verified", "levels": []}
    with pytest.raises(DataError, match="no sources"):
        cat._framework(raw, sources)
    raw = {
        "id": "x",
        "short_name": "X",
        "name_en": "X",
        "name_ja": "X",
        "owner": "",
        "scope": "all_sectors",
        "level_count": 1,
        "has_official_descriptors": False,
        "confidence": "verified",
        "sources": ["S1"],
        "levels": [
            {
                "code": "1",
                "ordinal": 1,
                "confidence": "verified",
                "sources": ["S99"],
                "qualifications": [],
            }
        ],
    }
    with pytest.raises(DataError, match="unknown source ids"):
        cat._framework(raw, sources)


def test_a_mapping_to_an_unknown_level_is_rejected():
    data = cat.catalogue()
    raw = {
        "from": "eqf:9",
        "to": "jeqf:6",
        "relation": "typical_qualification_analogy",
        "confidence": "verified",
        "sources": ["S9"],
    }
    with pytest.raises(DataError, match="no level 9"):
        cat._mapping(raw, data.sources, data.frameworks)


@pytest.mark.parametrize(
    ("framework_id", "levels"),
    [
        ("jeqf", 8),
        ("eqf", 8),
        ("aqf", 10),
        ("nzqcf", 10),
        ("mqf", 8),
        ("uk-rqf", 9),
        ("uk-fheq", 5),
        ("in-ncrf", 11),
        ("qf-ehea", 4),
    ],
)
def test_required_frameworks_have_their_levels(framework_id, levels):
    fw = cat.framework(framework_id)
    assert fw is not None
    assert len(fw.levels) == levels == fw.level_count
    for lv in fw.levels:
        assert lv.qualifications, f"{framework_id}:{lv.code} has no typical qualification"
        for q in lv.qualifications:
            assert q.ja
            assert q.en


def test_jeqf_places_japanese_qualifications_by_law_not_by_name():
    names = {lv.code: {q.ja for q in lv.qualifications} for lv in cat.framework("jeqf").levels}
    assert "学士" in names["6"]
    assert "高度専門士" in names["6"]
    assert {"短期大学士", "専門士", "準学士"} <= names["5"]
    assert "法務博士(専門職)" in names["7"]  # contains 博士 but is level 7
    assert "博士" in names["8"]


def test_no_official_link_between_jeqf_and_eqf():
    assert cat.official_eqf_mapping("jeqf", "6") is None
    none = [m for m in cat.mappings_from("jeqf", "6") if m.relation == Relation.NONE_EXISTS]
    assert none
    assert none[0].to_framework == "eqf"


def test_eqf_levels_compare_with_jeqf_only_by_typical_qualification():
    analogy = cat.jeqf_analogy("eqf", "4")
    assert analogy.relation == Relation.TYPICAL_QUALIFICATION_ANALOGY
    assert analogy.to_code == "3"  # upper secondary: JEQF 3 but usually EQF 4
    assert cat.jeqf_analogy("eqf", "6").to_code == "6"


def test_nzqcf_8_deliberately_has_no_eqf_level_and_uk_referencing_is_official():
    nz8 = cat.official_eqf_mapping("nzqcf", "8")
    assert nz8.relation == Relation.JOINT_COMPARISON
    assert nz8.to_code is None
    assert cat.official_eqf_mapping("nzqcf", "7").to_code == "6"
    rqf3 = cat.official_eqf_mapping("uk-rqf", "3")
    assert rqf3.relation == Relation.OFFICIAL_REFERENCING
    assert rqf3.to_code == "4"
    assert cat.official_eqf_mapping("mqf", "6") is None
    assert cat.official_eqf_mapping("aqf", "7") is None  # not encoded until checked


@pytest.mark.parametrize(
    ("system_id", "low", "high"),
    [
        ("ects", 25, 30),
        ("jp-tani", 45, 45),
        ("us-semester-hour", 37.5, 45),
        ("us-quarter-hour", 25, 36),
        ("uk-cats", 10, 10),
        ("nz-credit", 10, 10),
        ("in-ncrf-credit", 30, 30),
        ("my-mqf-credit", 40, 40),
        ("hours", 1, 1),
    ],
)
def test_credit_systems_give_hours_per_credit_as_a_range(system_id, low, high):
    system = cat.credit_system(system_id)
    assert (system.hours_min, system.hours_max) == (low, high)


def test_malaysian_credit_is_marked_widely_reported_not_verified():
    assert cat.credit_system("my-mqf-credit").confidence == Confidence.WIDELY_REPORTED
