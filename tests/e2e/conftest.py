"""Browser journeys in Chromium through Playwright, against pytest-django's live server.

The browser is the Debian Chromium already on the machine (``AKS_CHROMIUM`` overrides
the path); nothing is downloaded. Without a browser the journeys are skipped, unless
``AKS_REQUIRE_BROWSER=1`` (as in CI), where a missing browser fails the run.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from aks.accounts import roles
from bodies.demo import DEMO_PASSWORD, seed_bodies


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread, and Django refuses
    ORM calls from a thread with a running loop. The ORM calls in these tests (seeding,
    reading expectations, flushing the database) never overlap with browser calls, so
    this is safe here. Subprocess checks elsewhere drop the variable from their env."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


E2E_DIR = Path(__file__).resolve().parent

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# A common phone width today; the persona journeys run at it as well as on the desktop.
PHONE_390 = {"width": 390, "height": 844}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser journey."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def _truthy(value):
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def find_chromium():
    """The Chromium to drive: ``AKS_CHROMIUM``, Debian's, or one on ``PATH``."""
    candidates = [os.environ.get("AKS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    if executable is None:
        reason = (
            "no Chromium found (looked at $AKS_CHROMIUM, /usr/bin/chromium and 'chromium' "
            "on PATH); install Debian's chromium or set AKS_CHROMIUM"
        )
        if _truthy(os.environ.get("AKS_REQUIRE_BROWSER")):
            pytest.fail(f"AKS_REQUIRE_BROWSER is set but {reason}", pytrace=False)
        print(f"Skipping browser journeys: {reason}")
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    # Under libfaketime (CI moves the clock ahead for the demo and the journeys) the
    # Playwright driver hangs; the driver and the browser start without it, so only the
    # server's clock is moved, which is what the tests are about.
    preload = os.environ.pop("LD_PRELOAD", None)
    try:
        playwright = sync_playwright().start()
    finally:
        if preload is not None:
            os.environ["LD_PRELOAD"] = preload
    chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def console_errors():
    """Console errors and uncaught exceptions of the page; a test may clear expected ones."""
    return []


@pytest.fixture
def page(browser, console_errors):
    """A fresh browser context per test, failing the test on any console error."""
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    context.set_default_timeout(10_000)
    new_page = context.new_page()

    def on_console(msg):
        url = msg.location.get("url") or ""
        if msg.type == "error":
            console_errors.append(f"console.error at {url}: {msg.text}")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda exc: console_errors.append(f"uncaught exception: {exc}"))
    yield new_page
    context.close()
    if console_errors:
        pytest.fail(
            "The browser reported errors:\n" + "\n".join(f"  - {e}" for e in console_errors),
            pytrace=False,
        )


@pytest.fixture
def demo(live_server, transactional_db, settings):
    """The demo structures in the live server's database; returns its base URL.

    The live server needs a transactional database, which is flushed after each test,
    taking the role groups of the data migration with it, so they are recreated first.
    Every test seeds the demo users afresh and logs in through the form, so passwords
    are hashed with a fast hasher here (the live server thread shares these settings).
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for name in roles.ALL:
        Group.objects.get_or_create(name=name)
    seed_bodies()
    return live_server.url


@pytest.fixture
def documents(settings, tmp_path):
    """Stored PDFs in a temporary media root; tasks run in the live server's thread.

    With REDIS_URL set (CI) Celery would hand the rendering to a worker that this
    test does not start, so the journey forces eager execution on the Celery app
    itself (the Django setting alone is read once, when Celery configures itself).
    """
    from aks.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    keys = ("task_always_eager", "task_eager_propagates")
    previous = {key: app.conf.get(key) for key in keys}
    app.conf.update(dict.fromkeys(keys, True))
    yield settings
    app.conf.update(previous)


def login(page, base_url, email):
    """Log in as a visitor would: open the home page, follow "Anmelden" in the header and
    fill in the real login form with the demo password."""
    page.goto(f"{base_url}/")
    with page.expect_navigation():
        page.locator("header a[href^='/konto/anmelden/']").click()
    form = page.locator("form.stacked-form")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    # The header now offers the logout form instead of the login link.
    logout = page.locator("header form[action$='/konto/abmelden/'] button[type=submit]")
    assert logout.count() == 1, f"login as {email} failed, still on {page.url}"


def logout(page):
    """Log out through the form in the header."""
    with page.expect_navigation():
        page.locator("header form[action$='/konto/abmelden/'] button[type=submit]").click()


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as readable lines; empty if none."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count == 0:
        return []
    lines = [f"axe-core found {results.violations_count} WCAG 2.1 A/AA violation(s) on {page.url}:"]
    for violation in results.response["violations"]:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    return lines


def assert_accessible(page):
    """Fail with a readable report if axe-core finds WCAG 2.1 A/AA violations."""
    lines = axe_violations(page)
    if lines:
        pytest.fail("\n".join(lines), pytrace=False)
