"""Real-browser tests: headless Chromium driven by Playwright (sync API) against live_server.

They skip when /usr/bin/chromium is absent, so the README's test command passes on a bare
machine; CI sets REQUIRE_BROWSER=1, under which a missing browser fails instead.
Screenshots and the axe results of each page go to ARTIFACTS_DIR (default `artifacts/`).
"""

import base64
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR", settings.BASE_DIR / "artifacts"))
# A 1×1 transparent PNG answers every map tile request: the tests have no network.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 667}
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (loading demo data) are still synchronous, so Django's async-safety check does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    browser_tests = [item for item in items if here in item.path.parents]
    if not browser_tests or CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but there is no browser at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no browser at {CHROMIUM} (apt-get install chromium)")
    for item in browser_tests:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def migrated_data(django_db_setup, django_db_blocker):
    """The rows migrations create (the taxonomy...), put back after the module's last flush.

    live_server tests are transactional: each ends by emptying every table. Django's
    serialized_rollback would restore them, but inside Playwright's event loop the test sees a
    fresh connection object without Django's snapshot, so this keeps its own.
    """
    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
    yield snapshot
    with django_db_blocker.unblock():
        restore(snapshot)
        connection.close()


def restore(snapshot: str) -> None:
    """Empty every table, then put the snapshot back: the database is exactly as migrated."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(snapshot)


@pytest.fixture
def site(live_server, migrated_data):
    """The live server with the taxonomy and the demo directory (800 real facilities)."""
    from programs.demo.loader import load_demo

    restore(migrated_data)
    load_demo()
    yield live_server
    # This test's connection lives in Playwright's context: close it, or it outlives the suite
    # and PostgreSQL refuses to drop the test database.
    connection.close()


@pytest.fixture
def new_page(browser, site):
    """Open a page in a fresh context: only our server and blank map tiles are reachable."""
    contexts = []
    tile_host = urlsplit(settings.MAP_TILES_URL).netloc

    tiles_fail = []

    def route(route):
        host = urlsplit(route.request.url).netloc
        if route.request.url.startswith(site.url):
            return route.continue_()
        if host == tile_host and not tiles_fail:
            return route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        return route.abort()

    errors = []

    def on_console(message):
        # A script error or a Content-Security-Policy refusal shows here; a missing favicon too.
        url = (message.location or {}).get("url", "")
        if message.type == "error" and "favicon" not in url and not tiles_fail:
            errors.append(message.text)

    def open_page(viewport=DESKTOP, tiles_fail_to_load=False, **options):
        if tiles_fail_to_load:
            tiles_fail.append(True)
        context = browser.new_context(viewport=viewport, **options)
        context.route("**/*", route)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], "the browser reported errors"


AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


@pytest.fixture(scope="session")
def axe_log():
    """Every page's axe violations by impact, written to artifacts/axe-results.json at the end."""
    results = {}
    yield results
    if results:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "axe-results.json").write_text(json.dumps(results, indent=2, sort_keys=True))


@pytest.fixture
def check_a11y(axe_log):
    """Run axe-core on the page: zero serious or critical violations; everything is logged."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, name: str):
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        summary = {}
        for violation in violations:
            summary.setdefault(violation["impact"], []).append(violation["id"])
        axe_log[name] = summary or "no violations"
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
            if v["impact"] in {"serious", "critical"}
        ]
        assert serious == [], f"{name} at {page.url}"

    return check


@pytest.fixture
def screenshot():
    def save(page, name: str):
        folder = ARTIFACTS / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return save
