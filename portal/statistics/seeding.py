"""Realistic volumes for the statistics page: employers, applicants, credentials, shares and
decision records over the last two years. For benchmarks and demos, never production.

Rows are written with ``bulk_create`` in large batches and decisions are streamed batch by
batch, so a million decision records need neither a million model objects in memory nor a
million INSERT statements.
"""

import math
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone

from credentials.models import Credential
from credentials.vocabulary import CredentialFormat, Status
from employers.models import (
    Application,
    Decision,
    Employer,
    Influence,
    SharedCredential,
    Stage,
    StageOutcome,
)
from users.models import User

HISTORY_DAYS = 730
# Decision records per share and shares per application, as the portal's pilot employers
# record them (a screening decision and sometimes an interview decision).
DECISIONS_PER_SHARE = 1.3
SHARES_PER_APPLICATION = 1.8
CREDENTIALS_PER_APPLICANT = 3
CORRECTED_SHARE = 0.03  # decisions later corrected (superseded by a new record)
# Employers on the portal that never receive a credential, and active ones whose HR never
# lets a credential inform a decision; chosen so the funnel resembles the 2025 survey's.
INACTIVE_EMPLOYER_SHARE = 0.35
NEVER_USING_EMPLOYER_SHARE = 0.45

STATUS_WEIGHTS = {
    Status.VERIFIED: 70,
    Status.MALFORMED: 7,
    Status.EXPIRED: 6,
    Status.UNVERIFIABLE: 5,
    Status.REVOKED: 3,
    Status.FAILED: 3,
    Status.PENDING: 3,
    Status.RECIPIENT_MISMATCH: 3,
}
# Statuses a credential can only reach after a successful first check.
ONCE_VERIFIED = {Status.VERIFIED, Status.EXPIRED, Status.REVOKED}
FORMAT_WEIGHTS = {
    CredentialFormat.OB2: 45,
    CredentialFormat.OB3: 28,
    CredentialFormat.VC_JWT: 12,
    CredentialFormat.VC: 8,
    CredentialFormat.EDC: 7,
}
LEVEL_WEIGHTS = {
    "": 42,
    "EQF 4": 8,
    "EQF 5": 14,
    "EQF 6": 16,
    "EQF 7": 6,
    "JEQF 5": 5,
    "JEQF 6": 5,
    "AQF 5": 2,
    "RQF 3": 2,
}
ISSUERS = (
    "東京大学 (The University of Tokyo)",
    "京都大学 (Kyoto University)",
    "大阪大学 (Osaka University)",
    "早稲田大学 (Waseda University)",
    "慶應義塾大学 (Keio University)",
    "IBM",
    "Microsoft",
    "Amazon Web Services",
    "Google Cloud",
    "Cisco",
    "Salesforce",
    "Coursera",
    "edX",
    "JMOOC",
    "gacco",
    "Credly",
    "情報処理推進機構 (IPA)",
    "日本商工会議所 (Japan Chamber of Commerce)",
    "Open University",
    "University of Helsinki",
    "TU Delft",
    "Monash University",
    "University of Auckland",
    "東京都立産業技術大学院大学 (AIIT)",
    "デジタル人材育成協会",
)
FIELDS = (
    "Data analysis",
    "Software development",
    "Cloud computing",
    "Cybersecurity",
    "Project management",
    "Accounting",
    "Marketing",
    "Nursing",
    "Teaching",
    "Japanese language",
    "English language",
    "Machine learning",
    "Logistics",
    "Manufacturing quality",
    "Human resources",
    "",
)
STAGE_WEIGHTS = {
    Stage.SCREENING: 55,
    Stage.INTERVIEW: 28,
    Stage.OFFER: 8,
    Stage.PLACEMENT: 4,
    Stage.PROMOTION: 5,
}
INFLUENCE_WEIGHTS = {
    Influence.USED: 32,
    Influence.CONSIDERED_NOT_USED: 38,
    Influence.NOT_CONSIDERED: 30,
}


@dataclass(frozen=True, slots=True)
class SeedSummary:
    employers: int
    applicants: int
    credentials: int
    applications: int
    shares: int
    decisions: int
    corrections: int

    def __str__(self) -> str:
        return (
            f"{self.employers} employers, {self.applicants} applicants, "
            f"{self.credentials} credentials, {self.applications} applications, "
            f"{self.shares} shares, {self.decisions} decision records "
            f"({self.corrections} of them corrections)"
        )


def _batches[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert[M: models.Model](model: type[M], rows: Sequence[M], batch_size: int) -> list[int]:
    """Insert in batches, one transaction each; sets and returns the new primary keys."""
    ids: list[int] = []
    for batch in _batches(rows, batch_size):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _copy(model, batch)
            else:
                model._default_manager.bulk_create(batch, batch_size=batch_size)
        ids.extend(row.pk for row in batch)
    return ids


_PREPARED_TYPES = frozenset({"JSONField", "FileField", "ImageField"})


def _column_value(row: models.Model, field: models.Field, *, prepare: bool) -> object:
    value = getattr(row, field.attname)
    if isinstance(value, DatabaseDefault):
        # COPY cannot say DEFAULT per value: write the column's database default itself.
        value = getattr(field.db_default, "value", field.db_default)  # a literal or Value()
    return field.get_db_prep_save(value, connection) if prepare else value


def _copy[M: models.Model](model: type[M], rows: Sequence[M]) -> None:
    """PostgreSQL's COPY: several times faster than multi-row INSERTs at a million rows.

    The keys are taken from the table's own sequence first, so rows written later (the
    corrections that point at earlier decisions) can refer to them."""
    meta = model._meta
    pk = meta.pk
    assert pk is not None  # noqa: S101 — every concrete model has one
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    # psycopg adapts plain values itself; Django's preparation (a third of the run time when
    # applied to every value) is only needed for JSON and file fields.
    plain = {f.attname for f in fields if f.get_internal_type() not in _PREPARED_TYPES}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(rows)],
        )
        for row, (new_id,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = new_id
        columns = ", ".join(
            connection.ops.quote_name(str(c)) for c in [pk.column, *(f.column for f in fields)]
        )
        statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        row.pk,
                        *(_column_value(row, f, prepare=f.attname not in plain) for f in fields),
                    ]
                )


def _weighted[T](rng: random.Random, weights: dict[T, int], count: int) -> list[T]:
    return rng.choices(list(weights), weights=list(weights.values()), k=count)


def _moment(rng: random.Random, now: datetime) -> datetime:
    # More activity recently than two years ago: adoption grows.
    days_ago = HISTORY_DAYS * (1 - math.sqrt(rng.random()))
    return now - timedelta(days=days_ago, seconds=rng.randrange(86_400))


def _verification_delay(rng: random.Random) -> timedelta:
    # Most checks finish within seconds; issuers that are down are retried for hours.
    if rng.random() < 0.08:
        return timedelta(minutes=rng.uniform(10, 3 * 24 * 60))
    return timedelta(seconds=rng.lognormvariate(math.log(12), 1.0))


def seed_statistics(
    *,
    employers: int,
    applicants: int,
    decisions: int,
    seed: int = 2025,
    batch_size: int = 5000,
) -> SeedSummary:
    """Add ``employers``, ``applicants`` and about ``decisions`` decision records (corrections
    included) with the credentials, applications and shares they need."""
    if employers < 1 or applicants < 1 or decisions < 0:
        raise ValueError("Need at least one employer and one applicant.")
    rng = random.Random(seed)  # noqa: S311 — repeatable test data, not secrets
    now = timezone.now()
    # Names and e-mail addresses stay unique when the command runs again on the same data.
    tag = uuid.uuid4().hex[:8]

    employer_ids = _insert(
        Employer,
        [
            Employer(name=f"Seed employer {tag}-{i:05d}", created_at=now - timedelta(days=800))
            for i in range(employers)
        ],
        batch_size,
    )
    active = employer_ids[: max(1, round(employers * (1 - INACTIVE_EMPLOYER_SHARE)))]
    never_using = set(active[: round(len(active) * NEVER_USING_EMPLOYER_SHARE)])

    # "!" is Django's marker for an unusable password: seeded applicants cannot log in.
    unusable = "!"
    applicant_ids = _insert(
        User,
        [
            User(email=f"seed-{tag}-{i}@seed.example.jp", password=unusable)
            for i in range(applicants)
        ],
        batch_size,
    )

    # Credentials: a few per applicant, with their facts kept for the decision snapshots.
    credential_count = applicants * CREDENTIALS_PER_APPLICANT
    statuses = _weighted(rng, STATUS_WEIGHTS, credential_count)
    formats = _weighted(rng, FORMAT_WEIGHTS, credential_count)
    levels = _weighted(rng, LEVEL_WEIGHTS, credential_count)
    credentials: list[Credential] = []
    for index in range(credential_count):
        created_at = _moment(rng, now)
        status = statuses[index]
        verified_at = created_at + _verification_delay(rng) if status in ONCE_VERIFIED else None
        issuer = rng.choice(ISSUERS)
        credentials.append(
            Credential(
                owner_id=applicant_ids[index // CREDENTIALS_PER_APPLICANT],
                sha256=f"{rng.getrandbits(256):064x}",
                status=status,
                format=formats[index],
                title=f"Seed credential {index}",
                issuer_name=issuer,
                level=levels[index],
                field_of_study=rng.choice(FIELDS),
                created_at=created_at,
                first_verified_at=verified_at,
                last_checked_at=verified_at or created_at,
            )
        )
    credential_ids = _insert(Credential, credentials, batch_size)
    facts = [
        (c.status, c.format, c.level, c.issuer_name, c.field_of_study, c.created_at)
        for c in credentials
    ]
    del credentials

    # Applications: general shares with distinct employers per applicant.
    share_count = math.ceil(decisions / DECISIONS_PER_SHARE) if decisions else applicants
    application_count = max(1, math.ceil(share_count / SHARES_PER_APPLICATION))
    per_applicant = min(len(active), max(1, math.ceil(application_count / applicants)))
    applications: list[Application] = []
    application_facts: list[tuple[int, int]] = []  # (applicant index, employer id)
    for applicant_index, applicant_id in enumerate(applicant_ids):
        for employer_id in rng.sample(active, per_applicant):
            if len(applications) >= application_count:
                break
            applications.append(
                Application(
                    applicant_id=applicant_id,
                    employer_id=employer_id,
                    created_at=_moment(rng, now),
                )
            )
            application_facts.append((applicant_index, employer_id))
    application_ids = _insert(Application, applications, batch_size)
    application_times = [a.created_at for a in applications]
    del applications

    # Shares: one to three of the applicant's own credentials per application.
    shares: list[SharedCredential] = []
    share_facts: list[tuple[int, int, int, datetime]] = []  # app id, cred index, employer, at
    for index, (applicant_index, employer_id) in enumerate(application_facts):
        first = applicant_index * CREDENTIALS_PER_APPLICANT
        count = rng.choice((1, 2, 2, 3))
        for credential_index in rng.sample(range(first, first + CREDENTIALS_PER_APPLICANT), count):
            shared_at = max(application_times[index], facts[credential_index][5])
            withdrawn_at = (
                shared_at + timedelta(days=rng.uniform(1, 60)) if rng.random() < 0.04 else None
            )
            shares.append(
                SharedCredential(
                    application_id=application_ids[index],
                    credential_id=credential_ids[credential_index],
                    shared_at=shared_at,
                    withdrawn_at=withdrawn_at,
                    status_at_share=facts[credential_index][0],
                )
            )
            share_facts.append((application_ids[index], credential_index, employer_id, shared_at))
    share_ids = _insert(SharedCredential, shares, batch_size)
    del shares

    # Decisions, streamed: one batch of originals, then the corrections of some of them.
    written = corrections = 0
    while written < decisions:
        remaining = decisions - written
        size = min(batch_size, max(1, math.ceil(remaining / (1 + CORRECTED_SHARE))))
        originals: list[Decision] = []
        for _ in range(size):
            application_id, credential_index, employer_id, shared_at = rng.choice(share_facts)
            originals.append(
                _decision(
                    rng,
                    now=now,
                    employer_id=employer_id,
                    application_id=application_id,
                    credential_id=credential_ids[credential_index],
                    facts=facts[credential_index],
                    after=shared_at,
                    may_use=employer_id not in never_using,
                )
            )
        fixes = min(round(size * CORRECTED_SHARE), remaining - size)
        _insert(Decision, originals, batch_size)
        corrected = [
            _correction(
                rng, now=now, original=original, may_use=original.employer_id not in never_using
            )
            for original in rng.sample(originals, fixes)
        ]
        _insert(Decision, corrected, batch_size)
        written += size + fixes
        corrections += fixes

    return SeedSummary(
        employers=len(employer_ids),
        applicants=len(applicant_ids),
        credentials=len(credential_ids),
        applications=len(application_ids),
        shares=len(share_ids),
        decisions=written,
        corrections=corrections,
    )


def _influence(rng: random.Random, *, may_use: bool) -> str:
    if may_use:
        return _weighted(rng, INFLUENCE_WEIGHTS, 1)[0]
    return rng.choice((Influence.CONSIDERED_NOT_USED, Influence.NOT_CONSIDERED))


def _decision(
    rng: random.Random,
    *,
    now: datetime,
    employer_id: int,
    application_id: int,
    credential_id: int,
    facts: tuple[str, str, str, str, str, datetime],
    after: datetime,
    may_use: bool,
) -> Decision:
    influence = _influence(rng, may_use=may_use)
    gave_reasons = influence != Influence.NOT_CONSIDERED
    status, credential_format, level, issuer, field_of_study, _created = facts
    return Decision(
        employer_id=employer_id,
        application_id=application_id,
        credential_id=credential_id,
        influence=influence,
        stage=_weighted(rng, STAGE_WEIGHTS, 1)[0],
        reason_skills=gave_reasons and rng.random() < 0.7,
        reason_eagerness=gave_reasons and rng.random() < 0.45,
        reason_fit=gave_reasons and rng.random() < 0.35,
        reason_other="Seeded other reason" if gave_reasons and rng.random() < 0.05 else "",
        outcome=rng.choice(StageOutcome.values),
        recorded_at=min(after + timedelta(days=rng.uniform(0, 45)), now),
        credential_status=status,
        credential_format=credential_format,
        credential_level=level,
        credential_issuer=issuer,
        credential_field=field_of_study,
    )


def _correction(
    rng: random.Random, *, now: datetime, original: Decision, may_use: bool
) -> Decision:
    return Decision(
        employer_id=original.employer_id,
        application_id=original.application_id,
        credential_id=original.credential_id,
        influence=_influence(rng, may_use=may_use),
        stage=original.stage,
        reason_skills=original.reason_skills,
        reason_eagerness=original.reason_eagerness,
        reason_fit=original.reason_fit,
        outcome=original.outcome,
        note="Corrected after a second look.",
        supersedes=original,
        recorded_at=min(original.recorded_at + timedelta(days=rng.uniform(0, 7)), now),
        credential_status=original.credential_status,
        credential_format=original.credential_format,
        credential_level=original.credential_level,
        credential_issuer=original.credential_issuer,
        credential_field=original.credential_field,
    )
