"""The Voila dashboard in a real browser: Debian's chromium driven by Playwright against `voila` on 127.0.0.1,
with the shipped voila.json and the internet blocked. Screenshots of each tab go to test-artifacts/.

Skipped when chromium or the dashboard stack is not installed (`.ci/run` installs chromium and fonts-noto-cjk).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("voila")
sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOK = "notebooks/dashboard.ipynb"
PDF = "shanghai-putuo-finance-bureau-2024-final.pdf"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: What the lab template itself asks of a CDN; cosmetic (icons), blocked here to prove the content needs none.
ALLOWED_EXTERNAL = ("https://cdn.jsdelivr.net/npm/@fortawesome/",)
TIMEOUT = 120_000  # ms: first page of a 2-core machine, kernels preheating in the background


def chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila_url():
    if not chromium():
        pytest.skip("no chromium (apt-get install chromium fonts-noto-cjk)")
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "voila.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "voila", NOTEBOOK, "--no-browser", f"--port={port}", "--show_tracebacks=True"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)  # cwd: the repo root, so voila.json applies
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{url}/voila/static/voila.js", timeout=1)
            break
        except Exception:
            if server.poll() is not None:
                pytest.fail(f"voila exited: see {ARTIFACTS / 'voila.log'}")
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def browser(voila_url):
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


class Page:
    """A dashboard page with the internet blocked; remembers what it tried to fetch from outside."""

    def __init__(self, browser, url: str):
        self.external: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 1300})
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url, wait_until="commit")

    def _route(self, route):
        address = route.request.url
        if address.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            self.external.append(address)
            route.abort()

    def shot(self, name: str, element: str | None = None) -> Path:
        """A screenshot of the page (the lab template scrolls inside the page: that is the viewport),
        or of one element, scrolled into view, e.g. the tab panel."""
        path = ARTIFACTS / f"dashboard-{name}.png"
        if element:
            self.page.locator(element).first.screenshot(path=path)
        else:
            self.page.screenshot(path=path)
        return path


@pytest.fixture(scope="module")
def dashboard(browser, voila_url):
    board = Page(browser, f"{voila_url}/")
    page = board.page
    page.wait_for_selector(".fau-headline .js-plotly-plot .main-svg", timeout=TIMEOUT)
    page.wait_for_selector(".fau-treemap g.slice", timeout=TIMEOUT)
    yield board
    page.close()


def test_charts_render_offline_with_chinese_labels(dashboard):
    page = dashboard.page
    assert page.locator("text=Error displaying widget").count() == 0
    assert "柳江区人民政府办公室" in page.locator(".fau-header").inner_text()
    assert page.locator(".fau-headline .js-plotly-plot .main-svg").count() >= 1
    assert page.locator(".fau-headline g.point").count() >= 7  # bars of income/expenditure, 三公, severities
    assert "1,480.73" in page.locator(".fau-cards-box").inner_text()
    # the FigureWidget title trap (plotly.py #4998) would leave the treemap without its title
    assert "支出功能分类" in " ".join(page.locator(".fau-treemap .gtitle").all_text_contents())
    assert page.locator(".fau-treemap g.slice").count() >= 20
    assert page.locator('.fau-detail .fau-node[data-node="root"]').count() == 1
    assert page.locator(".fau-term").count() > 0  # glossary tooltips
    assert "wait_for_request" not in page.content()  # sources stripped
    assert all(url.startswith(ALLOWED_EXTERNAL) for url in dashboard.external), dashboard.external
    assert not dashboard.errors, dashboard.errors
    dashboard.shot("1-drilldown")


def test_treemap_click_updates_detail_and_breadcrumb(dashboard):
    page = dashboard.page
    sector = page.locator(".fau-treemap g.slice").filter(has_text="201 一般公共服务支出").first
    # As a person does: point at the sector, then click. (A click in the same instant as the hover is
    # coalesced with it by the widget manager's message throttle and never reaches Python.)
    sector.hover(position={"x": 30, "y": 8})  # the header band of the 类: its children cover the rest
    page.wait_for_timeout(600)
    start = time.perf_counter()
    sector.click(position={"x": 30, "y": 8})
    page.wait_for_selector('.fau-detail .fau-node[data-node="201"]', timeout=30_000)
    elapsed = time.perf_counter() - start
    detail = page.locator(".fau-detail").inner_text()
    assert "20103" in detail and "1,091.52" in detail
    assert page.locator(".fau-crumb:visible").count() == 2
    print(f"click → detail updated in {elapsed * 1000:.0f} ms (Playwright round trip)")
    page.wait_for_timeout(1000)  # the treemap's zoom transition
    dashboard.shot("2-drilldown-201", ".fau-tabs")
    page.locator(".fau-crumb").first.click()
    page.wait_for_selector('.fau-detail .fau-node[data-node="root"]', timeout=30_000)


@pytest.mark.parametrize("index, name, selector", [
    (1, "budget", ".fau-budget .js-plotly-plot .main-svg"),
    (2, "three-public", ".fau-three .js-plotly-plot .main-svg"),
    (3, "findings", ".fau-finding-detail .fau-hl"),
    (4, "tables", ".fau-table-view .fau-marked"),
])
def test_each_tab_renders(dashboard, index, name, selector):
    page = dashboard.page
    page.locator(".fau-tabs .lm-TabBar-tab").nth(index).click()
    page.wait_for_selector(selector, timeout=60_000)
    assert page.locator("text=Error displaying widget").count() == 0
    if name == "budget":
        assert "正常的调资和上年的绩效奖励" in page.locator(".fau-budget-table").inner_text()
    if name == "three-public":
        assert "公务接待费" in page.locator(".fau-three-table").inner_text()
    dashboard.shot(f"{index + 2}-{name}", ".fau-tabs")


def test_english_switch(dashboard):
    page = dashboard.page
    page.locator(".fau-lang button", has_text="English").click()
    page.wait_for_selector("text=Final-accounts audit dashboard", timeout=30_000)
    assert page.locator(".fau-tabs .lm-TabBar-tab", has_text="Drill-down").count() == 1
    page.locator(".fau-tabs .lm-TabBar-tab").first.click()
    page.wait_for_selector(".fau-treemap g.slice", timeout=60_000)
    dashboard.shot("7-english")
    page.locator(".fau-lang button", has_text="中文").click()
    page.wait_for_selector("text=部门决算审计看板", timeout=30_000)


def test_bad_upload_shows_the_error_and_keeps_the_report(dashboard, tmp_path):
    page = dashboard.page
    bad = tmp_path / "bad.txt"
    bad.write_text("这不是一份决算报告。\n只是一些文字。\n", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.locator(".fau-upload").first.click()
    chooser.value.set_files(str(bad))
    message = page.locator(".fau-report-message .fau-msg-error")
    message.wait_for(timeout=60_000)
    assert "bad.txt: expected" in message.inner_text()
    assert "柳江区人民政府办公室" in page.locator(".fau-header").inner_text()
    dashboard.shot("8-bad-upload")


def test_switching_report_in_the_picker(dashboard):
    page = dashboard.page
    page.locator(".fau-report-choice select").select_option(PDF)
    page.wait_for_selector(".fau-header >> text=上海市普陀区财政局", timeout=TIMEOUT)
    page.wait_for_selector(".fau-treemap g.slice", timeout=TIMEOUT)
    assert "2,946.25" in page.locator(".fau-cards-box").inner_text()
    dashboard.shot("9-switched-to-pdf")


def test_query_string_selects_the_report(browser, voila_url):
    board = Page(browser, f"{voila_url}/?report={PDF}")
    page = board.page
    page.wait_for_selector(".fau-header >> text=上海市普陀区财政局", timeout=TIMEOUT)
    page.wait_for_selector(".fau-headline .js-plotly-plot .main-svg", timeout=TIMEOUT)
    page.wait_for_selector(".fau-treemap g.slice", timeout=TIMEOUT)
    board.shot("10-query-string-pdf")
    page.close()
