"""A candidate with six credentials prints on at most two A4 pages (Chromium's PDF print)."""

import re

import pytest

from employers.models import Role
from tests.employers.factories import (
    ApplicationFactory,
    DecisionFactory,
    MembershipFactory,
    OpeningFactory,
    SharedCredentialFactory,
    UserFactory,
    VerificationRunFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_six_credentials_print_on_two_a4_pages(persona_page, live_server):
    member = MembershipFactory(role=Role.REVIEWER)
    applicant = UserFactory(family_name="山田", given_name="花子")
    application = ApplicationFactory(
        opening=OpeningFactory(employer=member.employer), applicant=applicant
    )
    for n, status in enumerate(["verified"] * 4 + ["revoked", "expired"]):
        share = SharedCredentialFactory(
            application=application,
            credential__title=f"Applied Data Analysis with Python, module {n}",
            credential__status=status,
        )
        VerificationRunFactory(credential=share.credential)
        DecisionFactory(
            application=application,
            credential=share.credential,
            recorded_by=member.user,
            note="Strong evidence of SQL skills for the sales dashboard work.",
        )
    page = persona_page(member.user, "ja", {"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/employer/candidates/{application.pk}/")
    assert page.locator("li.cred-row").count() == 6
    pdf = page.pdf(format="A4", print_background=False)
    pages = _pages(pdf)
    assert 1 <= pages <= 2, f"{pages} A4 pages"
    # Printing leaves out the menus and forms, not the candidate.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("h1").inner_text().startswith("山田 花子")
