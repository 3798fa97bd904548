"""Employer-side demo data for `make run`, made through the same services people use.

Call ``load_employer_demo()`` after the demo users, employer, opening and the applicant's
badges exist (``portal.demo``). Running it again changes nothing.
"""

from django.db.models import Case, IntegerField, Value, When

from credentials.models import Credential, Trigger
from credentials.services import run_verification
from credentials.vocabulary import Status
from employers import services
from employers.models import Decision, Employer, Influence, Membership, Role, Stage
from users.models import User

DEMO_APPLICANT = "hanako.yamada@example.jp"
DEMO_EMPLOYER = "さくら商事株式会社 (Sakura Trading)"


def load_employer_demo() -> str:
    applicant = User.objects.filter(email=DEMO_APPLICANT).first()
    employer = Employer.objects.filter(name=DEMO_EMPLOYER).first()
    if applicant is None or employer is None:
        return "Employer demo skipped: the demo applicant or employer is missing."
    opening = employer.openings.order_by("created_at", "pk").first()
    reviewer = (
        Membership.objects.filter(employer=employer, role__in=[Role.REVIEWER, Role.OWNER])
        .select_related("user", "employer")
        .order_by("role", "pk")  # "owner" < "reviewer": prefer the reviewer below
        .last()
    )
    # Verified credentials first, so the demo decision is about a credential that checks out.
    credentials = list(
        Credential.objects.filter(owner=applicant).order_by(
            Case(
                When(status=Status.VERIFIED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "pk",
        )
    )
    if not credentials or reviewer is None:
        return "Employer demo skipped: the applicant has no credentials or the employer no HR."
    application = services.apply(
        applicant=applicant,
        employer=employer,
        opening=opening,
        credential_ids=[c.pk for c in credentials],
        message="データ分析の講座で学んだことを活かしたいです。",
    )
    if not Decision.objects.filter(application=application).exists():
        # Loaded before the worker has checked anything: check this one now (the demo badges
        # verify offline), so the record is about a result, and says so if it is not verified.
        decided = credentials[0]
        if decided.status == Status.PENDING:
            run_verification(credential_id=decided.pk, trigger=Trigger.UPLOAD)
            decided.refresh_from_db()
        services.record_decision(
            member=reviewer,
            application=application,
            credential=decided,
            influence=Influence.USED,
            used_unverified=decided.status != Status.VERIFIED,
            stage=Stage.SCREENING,
            reason_skills=True,
            reason_fit=True,
            note="SQLの学習成果が募集要件に合っていたため、書類選考を通過。",
        )
    return (
        f"Employer demo ready: {applicant.email} applied with {len(credentials)} credentials; "
        f"one decision record by {reviewer.user.email}."
    )
