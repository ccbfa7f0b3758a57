"""Browser fixtures: Playwright's sync API driving Debian's chromium against ``live_server``.

Playwright's browser download does not work here, so the tests use ``/usr/bin/chromium``
(installed in CI by ``scripts/ensure-browser``; ``RELAIS_CHROMIUM`` points elsewhere) and are
skipped when it is missing.
"""

import os
import tempfile
from importlib.resources import files
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = Path(os.environ.get("RELAIS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(str(files("axe_playwright_python") / "axe.min.js"))
AXE_SOURCE = AXE_SCRIPT.read_text(encoding="utf-8")
BLOCKING_IMPACTS = ("serious", "critical")
ASSET_TYPES = ("stylesheet", "script", "font", "image")
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture
def world(transactional_db, world):
    """The shared ``world``, committed: the live server reads it from another thread."""
    return world


@pytest.fixture(scope="package", autouse=True)
def allow_database_calls_beside_playwright():
    """Playwright's sync API runs an event loop in the main thread: without this, Django refuses
    the database calls of the test itself (factories) as "async unsafe". Only while the browser
    tests run: left set, it would leak into the rest of the suite (``check --deploy`` flags it).
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    yield
    if previous is None:
        del os.environ[ASYNC_UNSAFE]
    else:
        os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="package")
def browser(allow_database_calls_beside_playwright):
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium est absent de {CHROMIUM} : installez-le avec scripts/ensure-browser "
            "(make browser) pour lancer les parcours navigateur."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        color_scheme="light",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.failed_assets = []
    page.csp_violations = []
    page.on("response", lambda r: _record_failed_asset(page, r))
    page.on("console", lambda message: _record_csp_violation(page, message))
    yield page
    context.close()


def _record_csp_violation(page, message):
    """Chromium reports what the Content-Security-Policy blocked as console errors."""
    if message.type == "error" and "Content Security Policy" in message.text:
        page.csp_violations.append(message.text)


def _record_failed_asset(page, response):
    if response.request.resource_type in ASSET_TYPES and response.status >= 400:
        page.failed_assets.append(f"{response.status} {response.url}")


@pytest.fixture
def log_in(page, live_server):
    """Open a session for ``user`` in the browser without going through the login form."""

    def _log_in(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return _log_in


def axe_violations(page) -> list[dict]:
    """The serious and critical violations axe-core finds on the current page."""
    # Evaluated through the DevTools protocol, not as an inline <script> (which the site's
    # Content-Security-Policy rightly refuses): the policy stays on while axe audits.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"      {target}  {node['html'][:160]}")
    return "\n".join(lines)


class AxeAudit:
    """Runs axe on each visited page and reports every page's violations at once."""

    def __init__(self, page):
        self.page = page
        self.findings: dict[str, list[dict]] = {}
        self.audited: list[str] = []

    def check(self, label: str) -> None:
        self.audited.append(label)
        violations = axe_violations(self.page)
        if violations:
            self.findings[f"{label} ({self.page.url})"] = violations

    def assert_clean(self) -> None:
        report = "\n".join(
            f"{label}:\n{describe_violations(violations)}"
            for label, violations in self.findings.items()
        )
        assert not self.findings, (
            f"Violations axe-core graves ou critiques sur {len(self.findings)} des "
            f"{len(self.audited)} pages auditées :\n{report}"
        )


@pytest.fixture
def axe(page):
    return AxeAudit(page)


def assert_dsfr_loaded(page) -> None:
    """The DSFR stylesheet, scripts and Marianne font answered and apply to the page, and the
    Content-Security-Policy blocked nothing."""
    assert page.failed_assets == [], f"Ressources en erreur : {page.failed_assets}"
    assert page.csp_violations == [], f"Bloqué par la CSP : {page.csp_violations}"
    styles = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const header = document.querySelector('.fr-header');
            return {
                font: getComputedStyle(document.body).fontFamily,
                marianneLoaded: [...document.fonts].some(
                    (f) => f.family.includes('Marianne') && f.status === 'loaded'),
                headerFilter: header ? getComputedStyle(header).filter : null,
                dsfrJs: document.documentElement.dataset.frJs,
                sheets: [...document.styleSheets].filter((s) => s.href).map(
                    (s) => [new URL(s.href).pathname, s.cssRules.length]),
            };
        }"""
    )
    sheets = dict(styles["sheets"])
    assert sheets.get("/static/dsfr/dist/dsfr/dsfr.min.css", 0) > 1000, sheets
    assert sheets.get("/static/relais/relais.css", 0) > 0, sheets
    assert styles["font"].startswith("Marianne"), styles
    assert styles["marianneLoaded"], styles
    assert "drop-shadow" in (styles["headerFilter"] or ""), styles  # DSFR header styling
    assert styles["dsfrJs"] == "true", styles  # the DSFR script has started


def screenshot(page, name: str) -> Path:
    """A full-page capture in the temporary directory (``/tmp/relais-<name>.png``), to look at
    the DSFR rendering or keep as a CI artefact."""
    path = Path(tempfile.gettempdir()) / f"relais-{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
