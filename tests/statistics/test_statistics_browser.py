"""The statistics page in a real browser: charts drawn under the CSP, both languages."""

import pytest
from django.conf import settings
from django.test import Client

from .conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def log_in(page, live_server, user, language: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_statistics_page_draws_charts_and_tables(
    live_server, page, world: World, tmp_path, language
):
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    # The site has no favicon yet; every other request the page makes must succeed.
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, live_server, world.admin, language)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/statistics/")
    page.wait_for_function(
        "() => window.Chart && document.querySelectorAll('canvas[data-chart]').length > 0"
    )
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".filter(canvas => window.Chart.getChart(canvas) !== undefined).length"
    )

    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert drawn == page.locator("canvas[data-chart]").count() > 5
    # The credential funnel's table: 4 presented, 2 verified, 3 considered, 1 used.
    funnel = page.locator("#credential-funnel tbody td:nth-child(2)").all_inner_texts()
    assert funnel == ["4", "2", "3", "1"]
    if language == "en":
        assert page.locator("h1").inner_text() == "Adoption statistics"
        assert page.locator("#employer-funnel th", has_text="National survey 2025").count() == 1
    assert problems == []  # no CSP refusals, no script errors

    shot = tmp_path / f"statistics-{language}.png"
    page.screenshot(path=shot, full_page=True)
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 50_000
