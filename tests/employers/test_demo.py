from employers.demo import DEMO_APPLICANT, DEMO_EMPLOYER, load_employer_demo
from employers.models import Application, Decision, Employer, Membership, Role
from tests.employers.factories import CredentialFactory, OpeningFactory, UserFactory


def test_demo_application_and_decision_are_created_once(db):
    applicant = UserFactory(email=DEMO_APPLICANT)
    employer = Employer.objects.create(name=DEMO_EMPLOYER)
    Membership.objects.create(user=UserFactory(), employer=employer, role=Role.OWNER)
    reviewer = Membership.objects.create(user=UserFactory(), employer=employer, role=Role.REVIEWER)
    OpeningFactory(employer=employer)
    CredentialFactory(owner=applicant, status="revoked")
    verified = CredentialFactory(owner=applicant, status="verified")

    load_employer_demo()
    load_employer_demo()

    application = Application.objects.get()
    assert application.shares.count() == 2
    decision = Decision.objects.get()
    assert decision.credential == verified
    assert decision.recorded_by == reviewer.user
    assert (decision.influence, decision.stage) == ("used", "screening")


def test_demo_is_skipped_without_the_demo_people(db):
    assert "skipped" in load_employer_demo()
    assert not Application.objects.exists()
