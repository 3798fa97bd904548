import pytest

from credentials.formats.record import CredentialRecord, Credits
from credentials.frameworks.hours import estimate_hours, parse_duration, resolve_credit_system
from credentials.frameworks.levels import Origin

ECTS_URI = "http://data.europa.eu/snb/education-credit/6fcec5c5af"


def test_pt60h_is_sixty_stated_hours():
    finding = estimate_hours(
        CredentialRecord(
            volume_of_learning="PT60H", paths={"volume_of_learning": "spec.volumeOfLearning"}
        )
    )
    assert finding.stated_hours == 60
    assert finding.stated_origin == Origin.STRUCTURED_FIELD
    assert (finding.best.low, finding.best.high) == (60, 60)
    assert finding.best_path == "spec.volumeOfLearning"


def test_p60m_is_sixty_months_flagged_implausible_and_not_converted():
    duration = parse_duration("P60M")
    assert duration.months == 60
    assert duration.hours is None
    assert duration.implausible
    finding = estimate_hours(CredentialRecord(volume_of_learning="P60M"))
    assert finding.stated_hours is None
    assert finding.best is None
    assert finding.is_stated  # it is stated, just not usable


def test_weeks_are_calendar_time_not_hours():
    duration = parse_duration("P2W")
    assert duration.weeks == 2
    assert duration.is_calendar_time
    assert not duration.implausible
    assert estimate_hours(CredentialRecord(volume_of_learning="P2W")).best is None
    assert parse_duration("PT90M").hours == 1.5
    assert parse_duration("60 hours").parse_error


def test_four_ects_is_a_range_of_100_to_120_hours():
    finding = estimate_hours(CredentialRecord(credits=(Credits(4, ECTS_URI, "c.point"),)))
    assert (finding.best.low, finding.best.high) == (100, 120)
    assert not finding.best_inferred


def test_unitless_credits_are_never_converted():
    finding = estimate_hours(CredentialRecord(credits=(Credits(3),), issuer_country="DE"))
    assert finding.best is None
    assert finding.credits[0].system_id == ""
    assert finding.credits[0].hours is None


def test_us_issuer_gives_only_a_labelled_guess():
    finding = estimate_hours(CredentialRecord(credits=(Credits(3),), issuer_country="US"))
    credit = finding.credits[0]
    assert finding.best is None
    assert credit.system_id == ""
    assert credit.guessed_from_country == "us-semester-hour"
    assert (credit.guessed_hours.low, credit.guessed_hours.high) == (112.5, 135)


def test_japanese_tani_in_the_text_names_the_system_of_unitless_credits_as_inferred():
    record = CredentialRecord(
        description="本プログラムの修了者には2単位を認定します。",
        credits=(Credits(2, "", "credentialSubject.achievement.creditsAvailable"),),
    )
    finding = estimate_hours(record)
    credit = finding.credits[0]
    assert credit.system_id == "jp-tani"
    assert credit.system_inferred
    assert credit.inferred
    assert (finding.best.low, finding.best.high) == (90, 90)
    assert finding.best_inferred


def test_stated_hours_win_and_disagreeing_credits_are_reported():
    record = CredentialRecord(volume_of_learning="PT40H", credits=(Credits(5, "ECTS"),))
    finding = estimate_hours(record)
    assert finding.best.low == 40
    assert finding.disagreement is finding.credits[0]


def test_field_credits_outrank_hours_read_from_prose():
    record = CredentialRecord(
        description="About 20 hours of videos.", credits=(Credits(2, "ECTS"),)
    )
    finding = estimate_hours(record)
    assert finding.stated_hours == 20
    assert finding.stated_inferred
    assert (finding.best.low, finding.best.high) == (50, 60)


@pytest.mark.parametrize(
    ("stated", "system_id"),
    [
        ("ECTS", "ects"),
        (ECTS_URI, "ects"),
        ("単位", "jp-tani"),
        ("semester credit hours", "us-semester-hour"),
        ("CATS points", "uk-cats"),
        ("NZQA credits", "nz-credit"),
        ("credits", ""),
        ("", ""),
    ],
)
def test_credit_system_names_resolve(stated, system_id):
    assert resolve_credit_system(stated) == system_id
