"""The browser walk's world and helpers: the demo data, one signed-in context per persona.

One Chromium for the whole session (pytest-playwright's ``browser``); each persona gets its
own context (cookies) at a phone's 390 x 844 viewport. The pages' CSP forbids inline
scripts, so contexts bypass it to let the test inject axe-core (vendored in static/vendor).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from credentials import services as credential_services
from credentials.models import Credential
from employers.models import Application, Decision, Employer, Membership, Opening, Role
from portal.demo import load_demo_data
from users.models import User

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@dataclass
class Demo:
    applicant: User
    owner: User
    reviewer: User
    admin: User
    employer: Employer
    opening: Opening
    application: Application
    credentials: list[Credential] = field(default_factory=list)


@pytest.fixture
def demo(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Demo:
    """`make run`'s demo data, with each badge verified in-process (no worker needed): the
    verified, expired, tampered, malformed and unverifiable cards HR really sees."""

    def verify_now(pk: int, trigger: str) -> None:
        credential_services.run_verification(credential_id=pk, trigger=trigger)

    monkeypatch.setattr("credentials.services.queue_verification", verify_now)
    load_demo_data()
    admin = User.objects.get(email="admin@example.jp")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={})
    owner = Membership.objects.get(role=Role.OWNER).user
    reviewer = Membership.objects.get(role=Role.REVIEWER).user
    application = Application.objects.get()
    assert Decision.objects.exists()
    return Demo(
        applicant=User.objects.get(email="hanako.yamada@example.jp"),
        owner=owner,
        reviewer=reviewer,
        admin=admin,
        employer=application.employer,
        opening=application.opening,
        application=application,
        credentials=list(Credential.objects.order_by("pk")),
    )


@pytest.fixture
def persona_page(browser, live_server) -> Iterator[Callable]:
    """``persona_page(user, language)``: a fresh page signed in as ``user`` (None: signed
    out) reading ``language``, at a phone's viewport."""
    contexts = []

    def open_page(user: User | None, language: str, viewport: dict | None = None):
        context = browser.new_context(viewport=viewport or PHONE, bypass_csp=True, locale=language)
        contexts.append(context)
        cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies.append(
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            )
        context.add_cookies(cookies)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def horizontal_overflow(page) -> str | None:
    """None when nothing scrolls sideways; else the widest offenders, for the message."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          if (root.scrollWidth <= window.innerWidth) return null;
          const wide = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
          return `scrollWidth ${root.scrollWidth} > ${window.innerWidth}: ${wide.join(', ')}`;
        }"""
    )


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => {
          const result = await window.axe.run(document, {resultTypes: ['violations']});
          return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => {
              const where = v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ');
              return `${v.id} (${v.impact}): ${where}`;
            });
        }"""
    )
    return list(violations)
