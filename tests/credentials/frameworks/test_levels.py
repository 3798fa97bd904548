from credentials.formats.record import Alignment, CredentialRecord
from credentials.frameworks.levels import Origin, detect_level, find_levels_in_text


def test_eqf_uri_in_an_alignment_is_an_alignment_level():
    record = CredentialRecord(
        alignments=(
            Alignment(
                target_name="EQF Level 5",
                target_url="http://data.europa.eu/snb/eqf/5",
                path="credentialSubject.achievement.alignment[0]",
            ),
        )
    )
    primary = detect_level(record).primary
    assert (primary.framework_id, primary.code, primary.origin) == ("eqf", "5", Origin.ALIGNMENT)
    assert primary.path == "credentialSubject.achievement.alignment[0]"
    assert not primary.inferred


def test_edubadges_ext_eqflevel_alignment_and_named_frameworks_are_read():
    record = CredentialRecord(
        alignments=(
            Alignment(target_name="Competency", target_url="https://example.org/c/1"),
            Alignment(
                target_name="EQF",
                target_url="https://example.org",
                target_code="6",
                target_type="ext:EQFLevel",
            ),
        )
    )
    assert detect_level(record).primary.code == "6"
    record = CredentialRecord(
        alignments=(
            Alignment(
                target_name="Level 7", target_url="https://nzqa.govt.nz", target_framework="NZQCF"
            ),
        )
    )
    primary = detect_level(record).primary
    assert (primary.framework_id, primary.code, primary.eqf_code) == ("nzqcf", "7", "6")


def test_elm_eqf_level_field_outranks_alignments_and_text():
    record = CredentialRecord(
        description="An EQF level 4 course.",
        alignments=(
            Alignment(
                target_name="EQF 5", target_url="http://data.europa.eu/snb/eqf/5", path="a[0]"
            ),
            Alignment(
                target_name="Level 6",
                target_url="http://data.europa.eu/snb/eqf/6",
                target_type="elm:eqfLevel",
                path="spec.eqfLevel",
            ),
        ),
    )
    finding = detect_level(record)
    assert (finding.primary.code, finding.primary.origin) == ("6", Origin.STRUCTURED_FIELD)
    assert {(c.code, c.origin) for c in finding.conflicts} == {
        ("5", Origin.ALIGNMENT),
        ("4", Origin.FREE_TEXT),
    }


def test_free_text_level_is_inferred_and_labelled():
    record = CredentialRecord(
        description="This short course sits at EQF level 5.",
        paths={"description": "credentialSubject.achievement.description"},
    )
    primary = detect_level(record).primary
    assert primary.inferred
    assert primary.origin == Origin.FREE_TEXT
    assert primary.quote == "EQF level 5"
    assert primary.path == "credentialSubject.achievement.description"


def test_level_is_never_derived_from_achievement_type_or_a_university_issuer():
    record = CredentialRecord(
        achievement_type="BachelorDegree",
        issuer_name="University of Tokyo",
        title="Bachelor of Science",
    )
    assert detect_level(record).primary is None


def test_edubadges_ob2_eqf_extension_in_the_document():
    record = CredentialRecord(
        document={"badge": {"extensions:EQFExtension": {"type": ["Extension"], "EQF": 6}}}
    )
    primary = detect_level(record).primary
    assert (primary.code, primary.origin) == ("6", Origin.EXTENSION)
    assert primary.path == "badge.extensions:EQFExtension.EQF"


def test_national_level_with_official_link_agrees_with_eqf_and_is_no_conflict():
    record = CredentialRecord(
        alignments=(Alignment(target_name="EQF 4", target_url="http://data.europa.eu/snb/eqf/4"),),
        description="Regulated as an RQF Level 3 award.",
    )
    finding = detect_level(record)
    assert finding.conflicts == ()
    assert [(o.framework_id, o.code) for o in finding.others] == [("uk-rqf", "3")]


def test_text_patterns_respect_framework_level_codes():
    assert find_levels_in_text("NCrF level 4.5 certificate") == [
        ("in-ncrf", "4.5", "NCrF level 4.5")
    ]
    assert find_levels_in_text("EQF level 9") == []  # EQF has 8 levels
    assert find_levels_in_text("NZQF level 10") == [("nzqcf", "10", "NZQF level 10")]
    assert find_levels_in_text("欧州資格枠組み(EQF)レベル6")[0][:2] == ("eqf", "6")
    assert find_levels_in_text("JEQF 6")[0][:2] == ("jeqf", "6")
    assert find_levels_in_text("Level 5 Diploma") == []  # no framework named
