"""The built book in headless Chromium (Debian's chromium + chromedriver; no browser download).

Every page is opened exactly as built, from the files (file://, as a student opens
_build/html/index.html), with the browser's network cut off (every host name fails to
resolve) and nothing injected: math must be typeset by the MathJax the book ships.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import CHAPTERS

pytestmark = [pytest.mark.book, pytest.mark.browser]
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND"  # no host name resolves: no CDN, no network

# Math left untypeset: the delimiters MathJax removes, searched outside code cells.
RAW_MATH = r"""
const copy = document.querySelector('main, .bd-article, body').cloneNode(true);
const skipped = 'pre, code, script, style, .cell_input, .dnl-explorer';
copy.querySelectorAll(skipped).forEach(n => n.remove());
const text = copy.textContent;
return ['\\(', '\\)', '\\[', '\\]', '$$'].filter(d => text.includes(d));
"""


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
        NO_NETWORK,
        "--window-size=1280,1600",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _open(browser, page: Path):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.as_uri())
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


def _math_typeset(browser, page: Path) -> tuple[int, list[str]]:
    """Open ``page`` and wait for MathJax; return (typeset formulas, raw delimiters left)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, page)
    count = "return document.querySelectorAll('mjx-container').length"
    try:
        WebDriverWait(browser, 20).until(lambda d: d.execute_script(count) > 0)
    except TimeoutException:
        pass  # reported below: nothing was typeset
    return browser.execute_script(count), browser.execute_script(RAW_MATH)


@pytest.mark.parametrize("chapter", [c.stem for c in CHAPTERS])
def test_chapter_math_is_typeset_offline_without_console_errors(browser, built_book, chapter):
    browser.get_log("browser")  # drop what earlier pages logged
    typeset, raw = _math_typeset(browser, built_book / "chapters" / f"{chapter}.html")
    assert typeset > 5, f"{chapter}: {typeset} formulas typeset with no network"
    assert raw == [], f"{chapter}: raw math delimiters left on the page: {raw}"
    errors = "return document.querySelectorAll('.MathJax_Error, mjx-merror').length"
    assert browser.execute_script(errors) == 0
    _screenshot(browser, chapter)
    assert _console_errors(browser) == []


@pytest.mark.parametrize("chapter", [c.stem for c in CHAPTERS])
def test_every_finding_shows_its_control(browser, built_book, chapter):
    _open(browser, built_book / "chapters" / f"{chapter}.html")
    table = browser.execute_script(
        "const t = document.querySelector('table.dnl-claims:not(.dnl-sanity)');"
        "if (!t) return null;"
        "return {head: [...t.querySelectorAll('thead th')].map(h => h.textContent),"
        "rows: [...t.querySelectorAll('tbody tr')].map(r => [r.id,"
        " ...[...r.cells].map(c => c.textContent.trim())])};"
    )
    assert table, f"{chapter}: no claims table on the page"
    assert table["head"] == ["claim", "measured", "control (what it beats)", "required", "verdict"]
    assert table["rows"], f"{chapter}: the claims table is empty"
    for row in table["rows"]:
        assert row[0].startswith("claim-") and len(row) == 6, row
        assert row[3], f"{chapter}: {row[0]} shows no control"
        assert row[5] == "\u2713 holds", row


@pytest.mark.parametrize("chapter", [c.stem for c in CHAPTERS])
def test_no_code_line_is_cut_off(browser, built_book, chapter):
    # the window is 1280 px wide (a laptop); every shown code cell fits without scrolling
    _open(browser, built_book / "chapters" / f"{chapter}.html")
    widths = browser.execute_script(
        "return [...document.querySelectorAll('div.cell_input pre')]"
        ".filter(p => p.clientWidth > 0).map(p => [p.scrollWidth, p.clientWidth]);"
    )
    assert widths, f"{chapter}: no code cell shown"
    cut = [w for w in widths if w[0] > w[1] + 1]
    assert not cut, f"{chapter}: {len(cut)} of {len(widths)} code cells scroll sideways: {cut}"


def test_the_pages_load_mathjax_from_the_book_not_a_cdn(built_book):
    for page in [built_book / "chapters" / f"{c.stem}.html" for c in CHAPTERS]:
        html = page.read_text(encoding="utf-8")
        assert "_static/mathjax/tex-svg-full.js" in html, page.name
        assert "cdn.jsdelivr.net" not in html and "mathjax@3" not in html, page.name
    assert (built_book / "_static" / "mathjax" / "tex-svg-full.js").stat().st_size > 1_000_000


@pytest.mark.parametrize("chapter", [c.stem for c in CHAPTERS])
def test_every_explorer_slider_changes_the_figure(browser, built_book, chapter):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, built_book / "chapters" / f"{chapter}.html")
    explorers = browser.find_elements(By.CSS_SELECTOR, ".dnl-explorer")
    assert explorers, f"{chapter} has no explorer in the static page"
    for k, explorer in enumerate(explorers):
        image = explorer.find_element(By.CSS_SELECTOR, "img.dnl-explorer-frame")
        for slider in explorer.find_elements(By.CSS_SELECTOR, "input[type=range]"):
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", slider)
            before = image.get_attribute("src")
            label = slider.find_element(By.XPATH, "following-sibling::output").text
            at_end = slider.get_attribute("value") == slider.get_attribute("max")
            slider.send_keys(Keys.ARROW_LEFT if at_end else Keys.ARROW_RIGHT)  # a real key press
            assert image.get_attribute("src") != before, f"explorer {k}: the figure did not change"
            assert slider.find_element(By.XPATH, "following-sibling::output").text != label
        _screenshot(browser, f"{chapter}-explorer-{k}")
    assert _console_errors(browser) == []


PAGES = ["index", "book/intro", "book/how_to_use", "book/teachers", "book/notation"]
PAGES += ["book/reading", "book/execution", "book/references"] + [
    f"chapters/{c.stem}" for c in CHAPTERS
]
IMAGES = """return [...document.querySelectorAll('img')].map(i => [i.getAttribute('src') || '',
                                                            i.getAttribute('alt')]);"""


@pytest.mark.parametrize("page", PAGES)
def test_every_image_says_what_it_shows(browser, built_book, page):
    # a screen reader reads the alt text aloud: it must not be empty or a file name
    _open(browser, built_book / f"{page}.html")
    images = browser.execute_script(IMAGES)
    for src, alt in images:
        assert alt and alt.strip(), f"{page}: an image has no alt text ({src[:80]})"
        path = re.fullmatch(r"[\w./-]+\.(png|svg|jpe?g|gif)", alt.strip()) or "_images/" in alt
        assert not path, f"{page}: an image's alt text is a path: {alt!r}"


@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_serious_or_critical_violation(browser, built_book, page):
    from axe_selenium_python import Axe

    _open(browser, built_book / f"{page}.html")
    browser.set_script_timeout(300)  # the longest chapter page took over 30 s on 2 cores
    axe = Axe(browser)
    axe.inject()  # the engine ships with the package: nothing is fetched
    results = axe.run()
    bad = [
        (v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page}: axe-core found serious or critical violations: {bad}"


def test_front_pages_have_no_console_errors(browser, built_book):
    for page in ("index", "book/intro", "book/execution", "book/teachers", "book/references"):
        browser.get_log("browser")
        _open(browser, built_book / f"{page}.html")
        _screenshot(browser, page.replace("/", "-"))
        assert _console_errors(browser) == [], page
