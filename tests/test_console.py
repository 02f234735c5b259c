"""The support console (cli/console/) as a person uses it: a real headless Chromium (Debian's
``chromium`` and its ``chromedriver``, driven by Selenium) against the app served by uvicorn on
127.0.0.1, over the test database. What is checked is what the page shows: the segment counts,
a denied check's explanation, the pictures loaded, errors shown escaped; and, over plain HTTP,
that every page is 401 without the token.

``make browser`` installs the browser; without it these tests fail (they never skip). The test of
an account's page saves docs/images/console.png, the screenshot the README shows.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from conftest import free_port
from helpers import follows, people
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

from mutuals import Engine
from mutuals.cli.console.app import COOKIE, create_app

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "images" / "console.png"
TOKEN = "console-test-token-0123456789"
HOSTILE = "<script>window.pwned=1</script>"


def _binary(variable: str, *names: str) -> str:
    """The browser's binaries: $MUTUALS_CHROMIUM / $MUTUALS_CHROMEDRIVER, else on PATH; a clear failure otherwise."""
    found = os.environ.get(variable) or next((p for p in map(shutil.which, names) if p), None)
    if not found or not Path(found).exists():
        pytest.fail(
            f"{' or '.join(names)} not found (set {variable}, or run `make browser`: "
            "apt-get install chromium chromium-driver); the console's browser tests need it",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="module")
def console(session_engine: Engine) -> Iterator[str]:
    """The console served by uvicorn in a thread on a free loopback port; its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(session_engine, TOKEN), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="console", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the console did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(console: str) -> Iterator[WebDriver]:
    """One headless Chromium for the module, logged in through the login form."""
    options = webdriver.ChromeOptions()
    options.binary_location = _binary("MUTUALS_CHROMIUM", "chromium", "chromium-browser")
    for flag in (
        "--headless=new",
        "--no-sandbox",  # the tests run as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-extensions",
        "--disable-background-networking",
        "--no-first-run",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(_binary("MUTUALS_CHROMEDRIVER", "chromedriver")))
    try:
        driver.get(console + "/")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Log in"  # no token yet: the login form
        field = driver.find_element(By.ID, "token")
        field.send_keys(TOKEN, Keys.ENTER)  # the keyboard alone
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Look up")
        unlabelled(driver)
        yield driver
    finally:
        driver.quit()


def unlabelled(driver: WebDriver) -> None:
    """Every visible form field of the page has a label."""
    missing = driver.execute_script(
        "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
        ".filter(e => e.labels.length === 0 || !e.labels[0].textContent.trim()).map(e => e.name || e.id)"
    )
    assert missing == [], f"fields without a label on {driver.current_url}: {missing}"


def loaded(driver: WebDriver, element_id: str) -> int:
    """The natural width of an <img> once it has loaded (0: it did not)."""
    script = f"const i = document.getElementById('{element_id}'); return i && i.complete ? i.naturalWidth : -1;"
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(script) >= 0)
    return int(driver.execute_script(script))


def fill(driver: WebDriver, values: dict[str, str], *, submit: str) -> None:
    """Type into the fields (by id), submit the form with Enter in the ``submit`` field and wait
    for the next page."""
    for element_id, text in values.items():
        field = driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, submit).send_keys(Keys.ENTER)
    WebDriverWait(driver, 15).until(staleness_of(page))


def follow_link(driver: WebDriver, text: str) -> None:
    """Follow a link by its text, with the keyboard, and wait for the next page."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.LINK_TEXT, text).send_keys(Keys.ENTER)
    WebDriverWait(driver, 15).until(staleness_of(page))


def show(value: Any) -> str:
    """A relationship field as the page shows it."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:  # e.g. when a block or mute ends: never
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k} {n}" for k, n in value.items()) or "none"
    return str(value)


@pytest.fixture
def world(engine: Engine) -> Engine:
    """ann: friends with cat, followed by dan, following eve, a pending request to the private
    ben, blocking mal; ben's followers-only post p1, which ann may not see."""
    people(engine, "ann", "ben", "cat", "dan", "eve", "mal", private=("ben",))
    follows(engine, "ann<>cat", "dan>ann", "ann>eve", "cat>ben")
    engine.approve("ben", "cat")
    engine.follow("ann", "ben")  # a request: ben is private
    engine.block("ann", "mal")
    engine.post_add("p1", "ben", "followers", created_at="2026-01-02T00:00:00Z")
    engine.post_add("p2", "ann", "public", created_at="2026-01-03T00:00:00Z")
    engine.interact("like", "cat", "p2")
    return engine


def test_every_page_is_401_without_the_token(console: str) -> None:
    with httpx.Client(base_url=console, follow_redirects=False) as client:
        for path in ("/", "/account?id=ann", "/ego.png?id=ann", "/post?id=p1", "/events?id=ann", "/reports", "/nope"):
            answer = client.get(path)
            assert answer.status_code == 401, path
            assert answer.headers["www-authenticate"].startswith("Bearer")
            assert 'name="token"' in answer.text  # the login form, with nothing of the data
        assert client.get("/", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
        assert client.get("/", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
        client.cookies.set(COOKIE, TOKEN)
        assert client.get("/").status_code == 401  # the cookie is not the token itself
        client.cookies.clear()
        assert client.post("/login", data={"token": "wrong-token"}).status_code == 401
        assert client.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        login = client.post("/login", data={"token": TOKEN, "next": "/reports"})
        assert login.status_code == 303 and login.headers["location"] == "/reports"
        assert client.get("/reports").status_code == 200  # with the session cookie the login set
        client.cookies.clear()
        # no open redirect after the login
        assert client.post("/login", data={"token": TOKEN, "next": "//elsewhere.example"}).headers["location"] == "/"


def test_an_account_page_shows_its_segments_relationship_and_picture(world: Engine, browser: WebDriver) -> None:
    follow_link(browser, "Look up")
    fill(browser, {"account-id": "ann", "account-other": "ben"}, submit="account-other")
    WebDriverWait(browser, 10).until(lambda d: "Account" in d.find_element(By.TAG_NAME, "h1").text)
    counts = world.segments("ann")
    shown = {
        row.get_attribute("data-segment"): row.find_element(By.CSS_SELECTOR, "td").text
        for row in browser.find_elements(By.CSS_SELECTOR, "#segments tbody tr")
    }
    assert shown == {f.name: str(getattr(counts, f.name)) for f in dataclasses.fields(counts)}
    assert (counts.friends, counts.followers_only, counts.following_only, counts.requests_out, counts.blocked) == (
        1,
        1,
        1,
        1,
        1,
    )
    relationship = world.relationship("ann", "ben")
    fields = {
        row.get_attribute("data-field"): row.find_element(By.CSS_SELECTOR, "td").text
        for row in browser.find_elements(By.CSS_SELECTOR, "#relationship tbody tr")
    }
    assert fields == {f.name: show(getattr(relationship, f.name)) for f in dataclasses.fields(relationship)}
    assert fields["requested"] == "yes"
    message = world.can_message("ann", "ben")
    reasons = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#decision-reasons li")]
    assert reasons == list(message.reasons) and reasons
    assert loaded(browser, "ego") > 0
    unlabelled(browser)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(int(height) + 120, 2400))
    assert browser.save_screenshot(str(SCREENSHOT))
    browser.set_window_size(1280, 1000)


def test_a_denied_check_shows_the_engine_s_explanation(world: Engine, browser: WebDriver) -> None:
    follow_link(browser, "Look up")
    fill(browser, {"post-id": "p1", "post-viewer": "ann"}, submit="post-id")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "decision"))
    decision = world.can_view("ann", "p1")
    assert decision.allowed is False
    assert browser.find_element(By.CSS_SELECTOR, "#verdict strong").text == "Denied"
    assert browser.find_element(By.ID, "decision-rule").text == decision.rule
    reasons = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#decision-reasons li")]
    assert reasons == list(decision.reasons) and reasons
    audience = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#audience li")]
    assert audience == list(world.audience("p1").accounts.items) and "ann" not in audience
    assert browser.find_element(By.ID, "visibility").text == "followers"
    # the same post, another check, for a logged-out viewer, chosen with the form's controls
    Select(browser.find_element(By.ID, "post-check")).select_by_value("comment")
    browser.find_element(By.ID, "post-logged-out").send_keys(Keys.SPACE)
    fill(browser, {}, submit="post-id")
    # the page reloads under the lookup: a node of the old page may vanish mid-read (a WebDriverException)
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda d: "logged-out" in d.find_element(By.ID, "decision-title").text
    )
    reasons = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#decision-reasons li")]
    assert reasons == list(world.can_comment(None, "p1").reasons)
    unlabelled(browser)


def test_events_and_a_report_with_its_chart(world: Engine, browser: WebDriver) -> None:
    follow_link(browser, "Look up")
    fill(browser, {"events-id": "cat"}, submit="events-id")
    WebDriverWait(browser, 10).until(lambda d: "events of" in d.find_element(By.TAG_NAME, "h1").text)
    expected = [e.seq for e in world.events(0, 1000) if "cat" in (e.actor, e.subject)]
    shown = [
        int(row.find_element(By.CSS_SELECTOR, "td").text)
        for row in browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    ]
    assert shown == list(reversed(expected)) and shown
    follow_link(browser, "Reports")
    unlabelled(browser)
    fill(browser, {"audience_breakdown-user": "ann"}, submit="audience_breakdown-user")
    WebDriverWait(browser, 10).until(lambda d: "audience_breakdown" in d.find_element(By.TAG_NAME, "h1").text)
    assert loaded(browser, "chart") > 0
    rows = browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")
    assert len(rows) == len(world.report_run("audience_breakdown", {"user": "ann"}).rows) > 0


def test_hostile_input_is_shown_escaped_on_an_error_page(world: Engine, browser: WebDriver, console: str) -> None:
    follow_link(browser, "Look up")
    fill(browser, {"account-id": HOSTILE}, submit="account-id")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "error-message"))
    message = browser.find_element(By.ID, "error-message").text
    assert HOSTILE in message and message.startswith("id:")  # the engine's message, shown as text
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.execute_script("return window.pwned === undefined")
    assert "Traceback" not in browser.page_source
    # a report's parameter
    follow_link(browser, "Reports")
    fill(browser, {"audience_breakdown-user": '<img id="evil" src="x">'}, submit="audience_breakdown-user")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "error-message"))
    assert '<img id="evil"' in browser.find_element(By.ID, "error-message").text
    assert browser.find_elements(By.ID, "evil") == []
    with httpx.Client(base_url=console, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        answer = client.get("/account", params={"id": HOSTILE})
        assert answer.status_code == 400
        assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in answer.text and HOSTILE not in answer.text
        missing = client.get("/account", params={"id": "nobody"})
        assert missing.status_code == 404 and "account not found: nobody" in missing.text
        bad = client.get("/events", params={"id": "ann", "after": "<b>x</b>"})
        assert bad.status_code == 400 and "<b>x</b>" not in bad.text and "Traceback" not in bad.text
