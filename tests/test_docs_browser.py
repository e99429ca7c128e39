"""The built reference site in a real browser: headless Debian Chromium via Selenium.

Builds the site with the command the nox ``docs`` session runs (``mkdocs build
--strict``), serves it on 127.0.0.1 and checks the index, a model page, a method page
and the search box; then opens the same files from disk (``file://``), where search
must work too, and checks that a method page fits 1280 px without sideways scrolling. Screenshots go to ``artifacts/screenshots/``. Chromium and
chromedriver come from Debian (``scripts/setup-system.sh``); with ``CI`` set their
absence is a failure, locally a skip with the reason.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docs_support import ROOT, build_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
WAIT = 30  # seconds; a 2-core CI machine starting Chromium cold

pytestmark = pytest.mark.slow


def _unavailable() -> str | None:
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not binary.exists():
            return f"{binary} is missing (run: bash scripts/setup-system.sh as root)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = _unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("site")
    build_site(folder)
    return folder


@pytest.fixture(scope="module")
def site(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser(site: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    # An explicit driver path: Selenium Manager (which would download one) never runs.
    driver = webdriver.Chrome(
        service=Service(executable_path=str(CHROMEDRIVER)), options=options
    )
    driver.set_page_load_timeout(WAIT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(condition)


def _text(driver: Any, css: str) -> str:
    """The visible text of the first match, without the headings' permalink signs."""
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.CSS_SELECTOR, css).text).replace("¶", "").strip()


def _shot(driver: Any, name: str) -> None:
    path = SCREENSHOTS / f"docs-{name}.png"
    assert driver.save_screenshot(str(path)), path
    assert path.stat().st_size > 10_000, f"{path} looks empty"


def test_index_page(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site}/index.html")
    assert _text(browser, "article h1") == "OpenAI ChatKit API"
    assert "ChatKit API reference" in browser.title
    nav = _text(browser, "nav.md-nav--primary")
    for entry in (
        "Methods",
        "ChatKit Sessions",
        "ChatKit Threads",
        "Models",
        "ChatSession",
    ):
        assert entry in nav, entry
    cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "article td code")]
    assert "beta.chatkit.sessions.cancel(str session_id) -> ChatSession" in cells
    _shot(browser, "index")


def test_model_page_and_its_links(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site}/models/chat_session_chatkit_configuration_param.html")
    assert _text(browser, "article h1") == "ChatSessionChatKitConfigurationParam"
    article = _text(browser, "article")
    assert "class ChatSessionChatKitConfigurationParam:" in article
    assert "max_file_size: Optional[int]" in article
    assert "optional · default 512 · minimum 1 · maximum 512" in article
    _shot(browser, "model")
    # a named type links to its page
    browser.get(f"{site}/models/chat_session.html")
    link = browser.find_element(By.LINK_TEXT, "ChatKitWorkflow")
    link.click()
    _wait(
        browser,
        lambda d: d.current_url.split("#")[0].endswith("/models/chatkit_workflow.html"),
    )
    assert _text(browser, "article h1") == "ChatKitWorkflow"


def test_method_page(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site}/methods/beta.chatkit.sessions.html#cancel")
    heading = browser.find_element(By.ID, "cancel")
    assert heading.text.startswith("Cancel chat session")
    article = _text(browser, "article")
    assert "beta.chatkit.sessions.cancel(str session_id) -> ChatSession" in article
    assert "POST /chatkit/sessions/{session_id}/cancel" in article
    assert "Unique identifier for the ChatKit session to cancel." in article
    # the example tabs switch: the HTTP request of the cancel example
    section = browser.find_element(
        By.XPATH, "//h2[@id='cancel']/following::div[contains(@class,'tabbed-set')][1]"
    )
    section.find_element(By.XPATH, ".//label[normalize-space()='HTTP']").click()
    _wait(
        browser,
        lambda d: (
            "POST https://api.openai.com/v1/chatkit/sessions/cksess_" in section.text
        ),
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", section)
    _shot(browser, "method")


def _search(browser: Any, query: str) -> list[str]:
    """Type ``query`` into the search box; the titles of the results once they show."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    box = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
    if not box.is_displayed():  # narrow layouts hide the box behind the search icon
        browser.find_element(
            By.CSS_SELECTOR, "label.md-header__button[for='__search']"
        ).click()
    box = _wait(
        browser, ec.element_to_be_clickable((By.CSS_SELECTOR, "input.md-search__input"))
    )
    box.click()
    box.send_keys(query)
    _wait(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
    )
    return [
        r.text
        for r in browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
    ]


def test_search_finds_chat_session(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site}/index.html")
    results = _search(browser, "ChatSession")
    assert any("ChatSession" in r for r in results), results
    meta = _text(browser, ".md-search-result__meta")
    assert "matching" in meta.lower(), meta
    _shot(browser, "search")
    # the first result opens a page about ChatSession
    browser.find_element(By.CSS_SELECTOR, ".md-search-result__item a").click()
    _wait(browser, lambda d: "ChatSession" in _text(d, "article h1"))


def test_search_works_from_disk(browser: Any, site_dir: Path) -> None:
    """Opened as files (no server), search still finds a model and opens its page."""
    from selenium.webdriver.common.by import By

    browser.get((site_dir / "index.html").as_uri())
    assert _text(browser, "article h1") == "OpenAI ChatKit API"
    results = _search(browser, "ChatKitWorkflow")
    assert any("ChatKitWorkflow" in r for r in results), results
    _shot(browser, "search-file")
    browser.find_element(By.CSS_SELECTOR, ".md-search-result__item a").click()
    _wait(browser, lambda d: "ChatKitWorkflow" in _text(d, "article h1"))
    assert browser.current_url.startswith("file://")


# Elements wider than the box that shows them, and by how much: nothing on a method
# page may need a horizontal scrollbar (tables and code blocks included).
OVERFLOW = """
const out = [];
const root = document.documentElement;
if (root.scrollWidth > root.clientWidth) out.push(["html", root.scrollWidth, root.clientWidth]);
for (const el of document.querySelectorAll(
    "article pre, article pre > code, article table, .md-typeset__table, .md-typeset__scrollwrap")) {
  if (el.scrollWidth > el.clientWidth + 1) {
    out.push([el.tagName + "." + el.className, el.scrollWidth, el.clientWidth]);
  }
}
return out;
"""


@pytest.mark.parametrize(
    "page", ["methods/beta.chatkit.threads.html", "methods/beta.chatkit.sessions.html", "index.html"]
)
def test_pages_fit_1280_px_without_sideways_scrolling(
    browser: Any, site_dir: Path, page: str
) -> None:
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 1000)
    browser.get((site_dir / page).as_uri())
    width = browser.execute_script("return window.innerWidth")
    assert width == 1280, width
    assert browser.execute_script(OVERFLOW) == []
    # parameters are a list: each description gets the text column, not a narrow cell
    for item in browser.find_elements(By.CSS_SELECTOR, "article > ul > li > p:nth-child(2)"):
        assert item.size["width"] > 400, (item.text, item.size)
    # the signature block keeps every line in view (wrapped one argument a line)
    for pre in browser.find_elements(By.CSS_SELECTOR, "article pre"):
        assert pre.size["width"] <= browser.execute_script(
            "return document.querySelector('article').clientWidth"
        )
    _shot(browser, "fit-" + page.replace("/", "-").removesuffix(".html"))


def test_inline_code_in_descriptions_is_code(browser: Any, site_dir: Path) -> None:
    """The spec's description writes `OpenAI-Beta: chatkit_beta=v1` in backticks:
    the page shows it as code, not as literal backticks."""
    from selenium.webdriver.common.by import By

    browser.get((site_dir / "index.html").as_uri())
    codes = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "article p code")]
    assert "OpenAI-Beta: chatkit_beta=v1" in codes, codes
    assert "`OpenAI-Beta" not in _text(browser, "article")
