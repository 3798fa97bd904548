from io import StringIO

from django.core.management import call_command
from django.db.models import Exists, F, OuterRef

from credentials.models import Credential
from credentials.vocabulary import Status
from employers.models import Application, Decision, Employer, SharedCredential
from portal.statistics.selectors import Scope, employer_funnel, live


def seed(**options: int) -> str:
    out = StringIO()
    call_command("seed_statistics", stdout=out, **options)
    return out.getvalue()


def test_seed_statistics_writes_the_asked_volumes_with_consistent_links(db: None):
    output = seed(employers=5, applicants=20, decisions=120)

    assert "120 decision records" in output
    assert Employer.objects.count() == 5
    assert Credential.objects.count() == 60
    assert Decision.objects.count() == 120
    corrections = Decision.objects.filter(supersedes__isnull=False)
    assert 0 < corrections.count() < 10
    # Every decision is about a credential that was shared in that application, by the
    # employer the application went to, after the share.
    share = SharedCredential.objects.filter(
        application_id=OuterRef("application_id"),
        credential_id=OuterRef("credential_id"),
        shared_at__lte=OuterRef("recorded_at"),
    )
    assert not Decision.objects.exclude(Exists(share)).exists()
    assert not Decision.objects.exclude(employer_id=F("application__employer_id")).exists()
    # Only credentials that passed a check at some point have a first verification time.
    assert not Credential.objects.filter(
        status__in=[Status.FAILED, Status.MALFORMED, Status.PENDING],
        first_verified_at__isnull=False,
    ).exists()
    assert Credential.objects.filter(first_verified_at__isnull=False).exists()


def test_some_seeded_employers_are_never_shown_a_credential(db: None):
    seed(employers=10, applicants=30, decisions=100)

    rows = employer_funnel(live(Scope())).rows
    shown, used = rows[1][1], rows[2][1]
    assert Application.objects.values("employer").distinct().count() < 10
    assert 0 < used < shown < 10


def test_seeding_twice_adds_rows_instead_of_colliding(db: None):
    seed(employers=2, applicants=3, decisions=10)
    seed(employers=2, applicants=3, decisions=10)

    assert Decision.objects.count() == 20
    assert Employer.objects.count() == 4
