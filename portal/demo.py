"""Demo data for `make run`: everything is created through the same services users call."""

from pathlib import Path

from allauth.account.models import EmailAddress

from credentials.models import TrustedIssuer
from credentials.services import submit_upload
from employers.demo import load_employer_demo
from employers.models import Employer, Membership, Opening, Role
from portal import demo_issuer
from users.models import User

DEMO_BADGES = Path(__file__).resolve().parent.parent / "demo" / "badges"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 — printed by `make run`; demo only


def _user(email: str, *, name: str, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "is_staff": is_staff, "is_superuser": is_staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load_demo_data() -> str:
    _user("admin@example.jp", name="Site Admin", is_staff=True)
    applicant = _user("hanako.yamada@example.jp", name="山田 花子")
    owner = _user("hr.owner@sakura-trading.example.jp", name="佐藤 健")
    reviewer = _user("hr.reviewer@sakura-trading.example.jp", name="鈴木 綾")

    employer, _ = Employer.objects.get_or_create(name="さくら商事株式会社 (Sakura Trading)")
    Membership.objects.get_or_create(user=owner, employer=employer, defaults={"role": Role.OWNER})
    Membership.objects.get_or_create(
        user=reviewer, employer=employer, defaults={"role": Role.REVIEWER}
    )
    Opening.objects.get_or_create(
        employer=employer,
        title="データアナリスト (Data analyst)",
        defaults={
            "description": "Analyse sales data and build dashboards for the sales team.",
            "skills_sought": "Data analysis, SQL, EQF level 5 or above",
        },
    )
    badges = _demo_badges(applicant)
    employer_demo = load_employer_demo()
    return (
        f"Demo data ready: applicant {applicant.email} with {badges} badges, "
        f"employer {employer.name}. {employer_demo}"
    )


def _demo_badges(applicant: User) -> int:
    """Upload the sample badges like the applicant would; the worker checks them. Loading
    twice adds nothing: the same file is the same credential.

    Besides the interop copies (a self-asserted did:key issuer), the demo issuer process
    (``portal.demo_issuer``, started by `make run`) publishes a did:web issuer, a status list
    and an OB 2.0 hosted badge; one more did:key issuer is entered by hand on the trusted
    issuer list, so the demo shows identity confirmed by domain, by registry, and not at all.
    """
    TrustedIssuer.objects.get_or_create(
        issuer_id=demo_issuer.registry_did(),
        registry=None,  # kept by hand, not imported
        defaults={
            "name": demo_issuer.REGISTRY_ISSUER_NAME,
            "country": "JP",
            "note": "Demo entry made by hand (make run).",
        },
    )
    for path in sorted(DEMO_BADGES.glob("*.json")) + sorted(DEMO_BADGES.glob("*.png")):
        submit_upload(applicant=applicant, data=path.read_bytes(), filename=path.name)
    for name, data in demo_issuer.demo_credentials().items():
        submit_upload(applicant=applicant, data=data, filename=name)
    return applicant.credentials.count()
