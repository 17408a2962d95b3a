"""The built book in headless Chromium (Debian's chromium + chromedriver; no browser download).

MathJax is served from the django-static-mathjax wheel on the test's own web server,
since the test machine reaches no CDN.
"""

from __future__ import annotations

import functools
import http.server
import importlib.metadata
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import CHAPTERS

CDN_MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/"
pytestmark = [pytest.mark.book, pytest.mark.browser]


def _mathjax_dir() -> Path:
    for f in importlib.metadata.files("django-static-mathjax") or []:
        if str(f).endswith("es5/tex-mml-chtml.js"):
            return Path(f.locate()).parent
    raise FileNotFoundError("django-static-mathjax has no es5/tex-mml-chtml.js")


class BookHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built html; /mathjax/ from the local MathJax copy, pointed at from every page."""

    def __init__(self, *args, html_dir: Path, mathjax: Path, **kwargs):
        self.html_dir, self.mathjax = html_dir, mathjax
        super().__init__(*args, directory=str(html_dir), **kwargs)

    def translate_path(self, path):
        if path.startswith("/mathjax/"):
            return str(self.mathjax / path[len("/mathjax/") :].split("?")[0])
        return super().translate_path(path)

    def send_head(self):
        local = Path(self.translate_path(self.path))
        if local.suffix == ".html" and local.is_file():
            body = local.read_text(encoding="utf-8").replace(CDN_MATHJAX, "/mathjax/").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built_book):
    handler = functools.partial(BookHandler, html_dir=built_book, mathjax=_mathjax_dir())
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if not (chromium and driver_path):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(
                "REQUIRE_BROWSER is set but chromium/chromedriver are missing (make browser)"
            )
        pytest.skip("chromium and chromedriver are not installed (make browser installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1600",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _open(browser, url):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def _screenshot(browser, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / f"{name}.png"))


def _console_errors(browser):
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


@pytest.mark.parametrize("chapter", [c.stem for c in CHAPTERS])
def test_chapter_page_renders_math_without_console_errors(browser, server, chapter):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")  # drop what earlier pages logged
    _open(browser, f"{server}/chapters/{chapter}.html")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.querySelectorAll('mjx-container').length") > 5
    )
    assert (
        browser.execute_script(
            "return document.querySelectorAll('.MathJax_Error, mjx-merror').length"
        )
        == 0
    )
    _screenshot(browser, chapter)
    assert _console_errors(browser) == []


@pytest.mark.parametrize("chapter", [c.stem for c in CHAPTERS])
def test_every_explorer_slider_changes_the_figure(browser, server, chapter):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, f"{server}/chapters/{chapter}.html")
    explorers = browser.find_elements(By.CSS_SELECTOR, ".dnl-explorer")
    assert explorers, f"{chapter} has no explorer in the static page"
    for k, explorer in enumerate(explorers):
        image = explorer.find_element(By.CSS_SELECTOR, "img.dnl-explorer-frame")
        for slider in explorer.find_elements(By.CSS_SELECTOR, "input[type=range]"):
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", slider)
            before, label = (
                image.get_attribute("src"),
                slider.find_element(By.XPATH, "following-sibling::output").text,
            )
            at_end = slider.get_attribute("value") == slider.get_attribute("max")
            slider.send_keys(Keys.ARROW_LEFT if at_end else Keys.ARROW_RIGHT)  # a real key press
            assert image.get_attribute("src") != before, (
                f"explorer {k}: moving a slider left the figure unchanged"
            )
            assert slider.find_element(By.XPATH, "following-sibling::output").text != label
        _screenshot(browser, f"{chapter}-explorer-{k}")
    assert _console_errors(browser) == []


def test_front_pages_have_no_console_errors(browser, server):
    for page in ("book/intro", "book/execution", "book/teachers", "book/references"):
        browser.get_log("browser")
        _open(browser, f"{server}/{page}.html")
        _screenshot(browser, page.replace("/", "-"))
        assert _console_errors(browser) == [], page
