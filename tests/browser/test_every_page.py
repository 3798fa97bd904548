"""Every page of every persona at 390 x 844, in Japanese and English: nothing scrolls
sideways, and axe-core finds no serious or critical violation.

One test per language walks all personas, so the demo world is built twice, not per page.
"""

import pytest

from tests.browser.conftest import Demo, horizontal_overflow, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pages_of(demo: Demo) -> dict[str, list[str]]:
    """The pages each persona can open, the way they reach them."""
    credential_pages = [f"/credentials/{c.pk}/" for c in demo.credentials]
    first = demo.credentials[0].pk
    application = demo.application.pk
    opening = demo.opening.pk
    return {
        "anonymous": ["/", "/accounts/login/", "/accounts/signup/", "/no-such-page/"],
        "applicant": [
            "/credentials/",
            *credential_pages,
            f"/credentials/{first}/delete/",
            "/employer/jobs/",
            f"/employer/jobs/{opening}/apply/",
            "/employer/my-applications/",
            f"/employer/my-applications/{application}/",
            "/employer/my-applications/viewed/",
            "/account/data/",
            "/accounts/email/",
            "/accounts/2fa/",
            "/accounts/password/change/",
        ],
        "owner": [
            "/employer/",
            f"/employer/openings/{opening}/",
            f"/employer/candidates/{application}/",
            "/employer/shared/",
            "/employer/members/",
            "/employer/openings/new/",
            f"/employer/openings/{opening}/edit/",
            "/api/tokens/",
            f"/statistics/?employer={demo.employer.pk}",
        ],
        "reviewer": [
            "/employer/",
            f"/employer/candidates/{application}/?record={first}",
        ],
        "admin": [
            "/statistics/",
            "/statistics/?start=2026-13-45",
            "/admin/",
            "/admin/users/user/",
        ],
    }


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_fits_a_phone_and_passes_axe(demo, persona_page, live_server, language):
    users = {
        "anonymous": None,
        "applicant": demo.applicant,
        "owner": demo.owner,
        "reviewer": demo.reviewer,
        "admin": demo.admin,
    }
    problems: list[str] = []
    visited = 0
    for persona, paths in pages_of(demo).items():
        page = persona_page(users[persona], language)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            visited += 1
            where = f"{persona} {language} {path}"
            expected = 404 if path == "/no-such-page/" else 200
            if response is None or response.status != expected:
                problems.append(f"{where}: HTTP {response.status if response else '-'}")
                continue
            if page.evaluate("() => document.documentElement.lang") != language:
                problems.append(f"{where}: page is not in {language}")
            overflow = horizontal_overflow(page)
            if overflow:
                problems.append(f"{where}: {overflow}")
            problems.extend(f"{where}: {v}" for v in serious_axe_violations(page))
        page.close()
    assert visited >= 30
    assert not problems, "\n".join(problems)


def test_the_checks_themselves_catch_a_wide_element_and_an_unlabelled_field(
    transactional_db, persona_page, live_server
):
    """The walk above could pass by measuring nothing; here both checks must fire."""
    page = persona_page(None, "en")
    page.goto(f"{live_server.url}/accounts/login/")
    assert horizontal_overflow(page) is None
    assert serious_axe_violations(page) == []
    page.evaluate(
        """() => {
          const wide = document.createElement('pre');
          wide.textContent = 'did:key:' + 'z'.repeat(400);
          wide.style.whiteSpace = 'pre';
          wide.style.overflowWrap = 'normal';
          document.querySelector('main').append(wide);
          const field = document.createElement('input');
          document.querySelector('main').append(field);
        }"""
    )
    assert "scrollWidth" in horizontal_overflow(page)
    assert any(v.startswith("label ") for v in serious_axe_violations(page))
