import hashlib
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from credentials.models import Credential, VerificationRun
from credentials.vocabulary import CheckId, CredentialFormat, Outcome, Status
from employers.models import (
    Application,
    Decision,
    Employer,
    Influence,
    Membership,
    Opening,
    Role,
    SharedCredential,
    Stage,
)
from users.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.jp")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    employer = factory.SubFactory(EmployerFactory)
    role = Role.REVIEWER


class OpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opening

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Opening {n}")


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    owner = factory.SubFactory(UserFactory)
    sha256 = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())
    status = Status.VERIFIED
    format = CredentialFormat.OB3
    title = factory.Sequence(lambda n: f"Badge {n}")
    issuer_name = "Tokyo Data Academy"
    issuer_id = "https://academy.example.jp/issuer"
    level = "EQF 5"
    field_of_study = "Data analysis"
    last_checked_at = factory.LazyFunction(timezone.now)
    record = factory.LazyAttribute(
        lambda o: {
            "title": o.title,
            "description": "Learners build dashboards from sales data.",
            "outcomes": ["Write SQL queries"],
            "assessment": "Project reviewed by tutors",
        }
    )


class VerificationRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VerificationRun

    credential = factory.SubFactory(CredentialFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(seconds=1))
    finished_at = factory.LazyFunction(timezone.now)
    status = factory.LazyAttribute(lambda o: o.credential.status)
    format = CredentialFormat.OB3
    engine_version = "test"
    checks = factory.LazyFunction(
        lambda: [
            {"id": CheckId.PARSE, "outcome": Outcome.PASSED, "code": "ob2_parsed", "params": {}},
            {
                "id": CheckId.RECIPIENT,
                "outcome": Outcome.PASSED,
                "code": "recipient_matched",
                "params": {"email": "checked.recipient@example.jp"},
            },
        ]
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    applicant = factory.SubFactory(UserFactory)
    opening = factory.SubFactory(OpeningFactory)
    employer = factory.LazyAttribute(lambda o: o.opening.employer)


class SharedCredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharedCredential

    application = factory.SubFactory(ApplicationFactory)
    credential = factory.SubFactory(
        CredentialFactory, owner=factory.SelfAttribute("..application.applicant")
    )
    status_at_share = Status.VERIFIED


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory)
    employer = factory.LazyAttribute(lambda o: o.application.employer)
    credential = factory.SubFactory(CredentialFactory)
    credential_title = factory.LazyAttribute(
        lambda o: o.credential.display_name if o.credential else ""
    )
    influence = Influence.USED
    stage = Stage.SCREENING
