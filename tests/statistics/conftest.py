"""Hand-made records with known answers for the statistics tests.

Four employers:
- A: two credentials shared (verified cred1, revoked cred2); cred1 informed an interview
  decision, cred2 was considered at screening but not used.
- B: one credential shared (failed cred3); a "used" decision that was later corrected to
  "considered, not used" — the corrected row must not count.
- C: one credential shared (pending cred4) and then withdrawn; no decisions.
- D: nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from credentials.models import Credential
from employers.models import (
    Application,
    Decision,
    Employer,
    Influence,
    Membership,
    Role,
    SharedCredential,
    Stage,
)
from portal.statistics.cubes import ROLLUP_CACHE_KEY
from users.models import User

TOKYO = ZoneInfo("Asia/Tokyo")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def make_credential(owner: User, name: str, **fields: object) -> Credential:
    return Credential.objects.create(owner=owner, sha256=name.ljust(64, "0"), title=name, **fields)


def make_decision(
    employer: Employer, share: SharedCredential, influence: str, **fields: object
) -> Decision:
    return Decision.objects.create(
        employer=employer,
        application=share.application,
        credential=share.credential,
        influence=influence,
        **fields,
    )


@pytest.fixture(autouse=True)
def _no_rollup_from_other_tests() -> None:
    # The rollup lives in the (process-wide, local-memory) cache.
    cache.delete(ROLLUP_CACHE_KEY)


@dataclass
class World:
    a: Employer
    b: Employer
    c: Employer
    d: Employer
    admin: User
    applicant: User
    owner_a: User
    reviewer_a: User
    viewer_a: User
    s1: SharedCredential


@pytest.fixture
def world(db: None) -> World:
    a, b, c, d = (
        Employer.objects.create(name=name, created_at=at(2024, 1, 1))
        for name in ("A Corp", "B Corp", "C Corp", "D Corp")
    )
    admin = User.objects.create_user("admin@example.jp", is_staff=True)
    # Staff reach the statistics only with two-factor authentication (portal.staff_mfa).
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={})
    ap1 = User.objects.create_user("ap1@example.jp")
    ap2 = User.objects.create_user("ap2@example.jp")
    people = {}
    for role in (Role.OWNER, Role.REVIEWER, Role.VIEWER):
        people[role] = User.objects.create_user(f"{role}@a.example.jp")
        Membership.objects.create(user=people[role], employer=a, role=role)

    created = at(2025, 3, 1, 9)
    cred1 = make_credential(
        ap1,
        "cred1",
        status="verified",
        format="ob3",
        level="EQF 5",
        issuer_name="Uni X",
        created_at=created,
        first_verified_at=created + timedelta(seconds=30),
    )
    cred2 = make_credential(
        ap1,
        "cred2",
        status="revoked",
        format="ob2",
        created_at=created,
        first_verified_at=created + timedelta(hours=2),
    )
    cred3 = make_credential(ap2, "cred3", status="failed", level="EQF 6", created_at=created)
    cred4 = make_credential(ap2, "cred4", status="pending", created_at=created)

    app_a = Application.objects.create(applicant=ap1, employer=a, created_at=at(2025, 3, 10))
    app_b = Application.objects.create(applicant=ap2, employer=b, created_at=at(2025, 4, 10))
    app_c = Application.objects.create(applicant=ap2, employer=c, created_at=at(2025, 4, 30))
    s1 = SharedCredential.objects.create(
        application=app_a, credential=cred1, shared_at=at(2025, 3, 10)
    )
    s2 = SharedCredential.objects.create(
        application=app_a, credential=cred2, shared_at=at(2025, 3, 11)
    )
    s3 = SharedCredential.objects.create(
        application=app_b, credential=cred3, shared_at=at(2025, 4, 10)
    )
    # Late on the last day of April in Tokyo (still 14:30 UTC): inside an April range.
    SharedCredential.objects.create(
        application=app_c,
        credential=cred4,
        shared_at=at(2025, 4, 30, 23, 30),
        withdrawn_at=at(2025, 5, 2),
    )

    make_decision(
        a,
        s1,
        Influence.USED,
        stage=Stage.INTERVIEW,
        reason_skills=True,
        reason_fit=True,
        recorded_at=at(2025, 3, 20),
        credential_status="verified",
        credential_format="ob3",
        credential_level="EQF 5",
        credential_issuer="Uni X",
        credential_field="Data analysis",
    )
    make_decision(
        a,
        s2,
        Influence.CONSIDERED_NOT_USED,
        stage=Stage.SCREENING,
        reason_eagerness=True,
        recorded_at=at(2025, 4, 5),
        credential_status="revoked",
        credential_format="ob2",
        credential_level="",
        credential_issuer="Uni Y",
    )
    wrong = make_decision(
        b,
        s3,
        Influence.USED,
        stage=Stage.SCREENING,
        reason_skills=True,
        recorded_at=at(2025, 4, 12),
        credential_status="failed",
        credential_format="vc_jwt",
        credential_level="EQF 6",
        credential_issuer="Uni Z",
    )
    make_decision(
        b,
        s3,
        Influence.CONSIDERED_NOT_USED,
        stage=Stage.SCREENING,
        reason_other="Team fit",
        supersedes=wrong,
        recorded_at=at(2025, 5, 3),
        credential_status="failed",
        credential_format="vc_jwt",
        credential_level="EQF 6",
        credential_issuer="Uni Z",
    )
    return World(
        a=a,
        b=b,
        c=c,
        d=d,
        admin=admin,
        applicant=ap1,
        owner_a=people[Role.OWNER],
        reviewer_a=people[Role.REVIEWER],
        viewer_a=people[Role.VIEWER],
        s1=s1,
    )
