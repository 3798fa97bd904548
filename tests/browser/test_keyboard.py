"""Recording a decision with the keyboard alone: focus goes into the form when it opens and
to the saved record after saving, and a screen reader hears that it was saved."""

import pytest

from employers.models import Decision, Role
from tests.browser.conftest import PHONE
from tests.employers.factories import (
    ApplicationFactory,
    MembershipFactory,
    OpeningFactory,
    SharedCredentialFactory,
    UserFactory,
    VerificationRunFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name'),
                  value: el.value || null, inDecisions: !!el.closest('section.decisions'),
                  inForm: !!el.closest('form.decision-form'), text: el.innerText || ''};
        }"""
    )


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_decision_is_recorded_with_the_keyboard_alone(persona_page, live_server, viewport):
    member = MembershipFactory(role=Role.REVIEWER)
    application = ApplicationFactory(
        opening=OpeningFactory(employer=member.employer), applicant=UserFactory()
    )
    share = SharedCredentialFactory(application=application, credential__title="SQL for analysts")
    VerificationRunFactory(credential=share.credential)
    page = persona_page(member.user, "en", viewport or {"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/employer/candidates/{application.pk}/")

    # Tab from the top of the page until the "Record a decision" link has focus.
    for _ in range(60):
        page.keyboard.press("Tab")
        if "record-link" in (page.evaluate("() => document.activeElement.className") or ""):
            break
    else:
        pytest.fail("Tab never reached the Record a decision link")
    page.keyboard.press("Enter")

    page.locator("form.decision-form").wait_for()
    page.wait_for_function("() => document.activeElement.name === 'influence'")
    focused = _focused(page)
    assert focused["inForm"], focused
    page.keyboard.press("Space")  # choose the focused first answer: informed the decision
    page.keyboard.press("Tab")  # the stage
    assert _focused(page)["name"] == "stage"
    page.keyboard.press("Tab")  # first reason
    assert _focused(page)["name"] == "reason_skills"
    page.keyboard.press("Space")
    # On to the Record button, past the other fields, and press it.
    for _ in range(10):
        page.keyboard.press("Tab")
        if _focused(page)["tag"] == "button":
            break
    page.keyboard.press("Enter")

    page.wait_for_function("() => document.activeElement.closest('ol.decision-history')")
    focused = _focused(page)
    assert "Informed the decision" in focused["text"]
    assert "evidence of skills or ability" in focused["text"]
    page.wait_for_function(
        "() => document.getElementById('live-region').textContent.includes('saved')"
    )
    decision = Decision.objects.get()
    assert (decision.influence, decision.reason_skills) == ("used", True)
    # The next Tab stays in the card (its "Correct this record" link), not back at the top.
    page.keyboard.press("Tab")
    assert _focused(page)["inDecisions"]
