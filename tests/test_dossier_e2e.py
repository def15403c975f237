"""The dossier dashboard (notebooks/dossier.ipynb) in a real browser: Debian's chromium driven by Playwright
against `voila` on 127.0.0.1 (the shipped voila.json and template), every request that leaves 127.0.0.1
blocked. The department picker changes the timeline; the charts are drawn; ``?folder=`` outside the allowed
folders is refused; ``?department=`` preselects. Screenshots (zh, en) go to $FINAUDIT_SCREENSHOTS
(default test-artifacts/) as dossier-*.png.

Skipped when chromium or the dashboard stack is not installed.
"""

from __future__ import annotations

import os
import shutil
import urllib.parse
import urllib.request

import pytest

pytest.importorskip("voila")
pytest.importorskip("itables")
pytest.importorskip("playwright.sync_api")

from test_dashboard_e2e import CHROMIUM_ARGS, ROOT, TIMEOUT, Page, chromium, voila_server

COMMERCE = "上海市普陀区商务委员会"
WANLI = "上海市普陀区人民政府万里街道办事处"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A folder of two generated budgets of one department, the later misstating last year's 三公 total."""
    from finaudit import synthetic
    from finaudit.read.render import render_text

    folder = tmp_path_factory.mktemp("dossier")
    earlier, later, _ = synthetic.year_pair(8, inject=True)
    for report, name in ((earlier, "earlier.txt"), (later, "later.txt")):
        (folder / name).write_text(render_text(report), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def voila_url(generated, tmp_path_factory):
    if not chromium():
        pytest.skip("no chromium (apt-get install chromium fonts-noto-cjk)")
    samples = tmp_path_factory.mktemp("samples") / "sample_data"  # the Putuo and Liujiang reports, not the families
    shutil.copytree(ROOT / "sample_data", samples, ignore=shutil.ignore_patterns("families"))
    env = {**os.environ, "JUPYTER_PATH": str(ROOT / "share" / "jupyter"), "FINAUDIT_SAMPLES": str(samples),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env["FINAUDIT_FOLDERS"] = str(generated)  # the folder a ?folder= may name besides the bundled reports
    denied = [f"--VoilaKernelManager.preheat_denylist={name}" for name in ("audit_workbook", "dashboard", "portfolio")]
    # fill_delay=0: the second page gets a preheated kernel too
    with voila_server("voila-dossier.log", env, *denied, "--VoilaKernelManager.fill_delay=0") as url:
        yield url


@pytest.fixture(scope="module")
def browser(voila_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


def open_board(browser, url: str) -> Page:
    board = Page(browser, url)
    board.page.wait_for_selector(".fau-dossier-timeline .js-plotly-plot .main-svg", timeout=TIMEOUT)
    return board


def timeline_rows(page) -> list[str]:
    return page.locator(".fau-dossier-timeline .ytick text").all_text_contents()


def wait_for_bars(page, years: str) -> None:
    """Until the 三公 chart shows bars for `years` ("2024,2025"): it is drawn after the timeline."""
    page.wait_for_function(
        "years => [...document.querySelectorAll('.fau-dossier-three .xtick text')].map(t => t.textContent).join() === years"
        " && document.querySelectorAll('.fau-dossier-three .barlayer g.point path').length >= years.split(',').length",
        arg=years, timeout=60_000)


def test_picker_changes_the_timeline_and_the_charts_are_drawn(browser, voila_url):
    query = urllib.parse.urlencode({"department": COMMERCE})
    board = open_board(browser, f"{voila_url}/voila/render/dossier.ipynb?{query}")
    page = board.page
    picker = page.locator(".fau-department select")
    assert picker.evaluate("s => s.options[s.selectedIndex].text") == COMMERCE  # ?department= preselects
    assert timeline_rows(page) == ["预算·部门", "预算·单位"]
    assert page.locator(".fau-dossier-timeline .scatterlayer path.point").count() == 2
    wait_for_bars(page, "2025")  # the 三公 预算数 of 2025 (no 决算)
    page.wait_for_selector("text=1 组文件对照", timeout=30_000)
    page.wait_for_timeout(1500)
    dot = page.locator(".fau-dossier-timeline .scatterlayer path.point").first.bounding_box()
    page.mouse.move(dot["x"] + dot["width"] / 2, dot["y"] + dot["height"] / 2)  # plotly's drag layer is on top
    page.wait_for_selector(".fau-dossier-timeline .hoverlayer .hovertext >> text=commerce-2025", timeout=10_000)
    board.shot("dossier-zh-commerce")

    picker.select_option(label=WANLI)
    page.wait_for_function("() => [...document.querySelectorAll('.fau-dossier-timeline .xtick text')]"
                           ".map(t => t.textContent).join() === '2024,2025'", timeout=60_000)
    assert timeline_rows(page) == ["预算·部门"]
    wait_for_bars(page, "2024,2025")  # the 预算数 of 2024 and 2025
    page.wait_for_timeout(1500)
    board.shot("dossier-zh-wanli")

    picker.select_option(label="上海市普陀区财政局")  # a final: budget against actual per 项
    page.wait_for_function("() => [...document.querySelectorAll('.fau-dossier-timeline .ytick text')]"
                           ".map(t => t.textContent).join() === '决算·部门'", timeout=60_000)
    page.wait_for_selector(".fau-dossier-budget tbody tr:nth-child(5)", timeout=60_000)
    assert page.locator(".fau-dossier-budget tbody tr").count() >= 5
    assert "决算说明" in page.locator(".fau-dossier-budget").inner_text()  # no 预算 document: the final's figures

    page.locator(".fau-lang button", has_text="English").click()
    page.wait_for_selector("text=A department's documents read together", timeout=30_000)
    page.wait_for_function("() => [...document.querySelectorAll('.fau-dossier-timeline .ytick text')]"
                           ".some(t => t.textContent.startsWith('Final'))", timeout=30_000)
    page.wait_for_selector("text=Budget against actual, per item", timeout=30_000)
    page.wait_for_timeout(1500)
    board.shot("dossier-en-finance")
    assert not board.external, board.external
    assert not board.errors, board.errors
    page.close()


def test_a_folder_outside_the_allowed_ones_is_refused(browser, voila_url):
    board = Page(browser, f"{voila_url}/voila/render/dossier.ipynb?folder=/etc")
    page = board.page
    page.wait_for_selector(".fau-dossier-message .fau-msg-error", timeout=TIMEOUT)
    assert "拒绝打开该文件夹：不在允许的目录内：/etc" in page.locator(".fau-dossier-message").inner_text()
    assert page.locator(".fau-department select option").count() == 0
    assert page.locator(".fau-dossier-timeline .js-plotly-plot").count() == 0
    board.shot("dossier-zh-refused")
    assert not board.external, board.external
    page.close()


def test_cross_document_findings_show_both_documents(browser, voila_url, generated):
    board = open_board(browser, f"{voila_url}/voila/render/dossier.ipynb?{urllib.parse.urlencode({'folder': generated})}")
    page = board.page
    page.wait_for_selector(".fau-dossier-findings tbody tr td >> text=FA-D201", timeout=60_000)
    row = page.locator(".fau-dossier-findings tbody tr").first.inner_text()
    assert "上年与本年" in row and "earlier.txt" in row and "later.txt" in row and "错误" in row
    heads = page.locator(".fau-dossier-findings thead tr").first.inner_text()
    assert "文件一位置" in heads and "文件二位置" in heads
    page.wait_for_timeout(1000)
    board.shot("dossier-zh-findings")
    assert not board.external, board.external
    page.close()


def test_the_portfolio_fits_1024_in_english(browser, voila_url):
    """The managers' portfolio (the bundled reports' store) at 1024 px in English: every chart title within its
    chart, every column of the table within the page, nothing fetched from outside."""
    board = Page(browser, f"{voila_url}/voila/render/portfolio.ipynb", width=1024, height=900)
    page = board.page
    page.wait_for_function("document.querySelectorAll('.fap-board .js-plotly-plot .main-svg').length >= 3",
                           timeout=TIMEOUT)
    page.locator(".fap-lang button", has_text="English").click()
    page.wait_for_selector(".fap-board .gtitle >> text=Findings by year", timeout=60_000)
    clipped = page.evaluate("""() => [...document.querySelectorAll('.fap-board .js-plotly-plot')].filter(plot => {
        const title = plot.querySelector('.gtitle'), box = plot.getBoundingClientRect();
        return title && title.getBoundingClientRect().right > box.right + 1; }).length""")
    right = page.evaluate("Math.max(...[...document.querySelectorAll('.fap-table th')].map(th => th.getBoundingClientRect().right))")
    board.shot("portfolio-en-1024")
    assert clipped == 0 and right <= 1024 and not board.external
    page.close()
