"""The people and records most employer-side tests start from: an employer with an owner,
a reviewer and a viewer, an owner elsewhere, an applicant who applied with one credential.
Imported by tests/employers/conftest.py and tests/api/conftest.py."""

import pytest

from employers.models import Role
from tests.employers.factories import (
    ApplicationFactory,
    MembershipFactory,
    OpeningFactory,
    SharedCredentialFactory,
    UserFactory,
    VerificationRunFactory,
)


@pytest.fixture
def owner(db):
    return MembershipFactory(role=Role.OWNER)


@pytest.fixture
def reviewer(owner):
    return MembershipFactory(employer=owner.employer, role=Role.REVIEWER)


@pytest.fixture
def viewer(owner):
    return MembershipFactory(employer=owner.employer, role=Role.VIEWER)


@pytest.fixture
def outsider(db):
    """An owner at another employer: must never see the first employer's data."""
    return MembershipFactory(role=Role.OWNER)


@pytest.fixture
def applicant(db):
    return UserFactory(display_name="山田 花子")


@pytest.fixture
def opening(owner):
    return OpeningFactory(employer=owner.employer, title="Data analyst")


@pytest.fixture
def application(opening, applicant):
    return ApplicationFactory(opening=opening, applicant=applicant)


@pytest.fixture
def share(application):
    share = SharedCredentialFactory(application=application)
    VerificationRunFactory(credential=share.credential)
    return share
