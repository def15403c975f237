"""The Voila dashboard and the audit workbook in a real browser: Debian's chromium driven by Playwright
against `voila` on 127.0.0.1, with the shipped voila.json and template, and every request that leaves
127.0.0.1 blocked and failing the test. Screenshots of each tab (zh and en) go to $FINAUDIT_SCREENSHOTS
(default test-artifacts/).

The reports are served from a temporary copy of sample_data/ (the review ledger is written beside the
report) and the workbook writes its working paper to a temporary out/.

Skipped when chromium or the dashboard stack is not installed (`.ci/run` installs chromium and fonts-noto-cjk).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("voila")
pytest.importorskip("itables")
sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("FINAUDIT_SCREENSHOTS") or ROOT / "test-artifacts")
PDF = "shanghai-putuo-finance-bureau-2024-final.pdf"
TEXT = "liujiang-govt-office-2017-final.txt"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Waits are on conditions (a selector, a function of the page), never fixed sleeps, with timeouts generous
# enough for a 2-core machine shared with other work: a slow page passes, a page that never draws fails.
TIMEOUT = 300_000  # ms: a whole page (a kernel, the notebook, the charts)
STEP = 120_000  # ms: one interaction (a click's round trip to the kernel and the redraw)


# Voila 0.5.13's page bundles JupyterLab 4.2.5's core packages as shared singletons; the widget manager
# extensions (jupyterlab_widgets ≥ 3.0.14, and Voila ≥ 0.5.10's own widgets-manager8) were built against
# JupyterLab 4.4-4.6 and ask for ^4.4-^4.6 of the same packages, so webpack warns and uses 4.2.5 (the
# requirement is not strict). Versions that ask for no more than 4.2.5 exist (voila 0.5.8, ipywidgets 8.1.5 /
# jupyterlab_widgets 3.0.13) but break more than they mend: voila 0.5.8 refuses a relative notebook folder
# with today's jupyter_core, and jupyterlab_widgets 3.0.13 loses Enter in a Textarea in JupyterLab
# (ipywidgets #3950: the review note could not hold a line break). So these warnings are expected, and only
# these: any other version warning (a widget package, lumino, a module that is not Voila's core) fails.
EXPECTED_VERSION_WARNING = re.compile(
    r"(Unsatisfied version [467]\.2\.\d+ from _JUPYTERLAB\.CORE_OUTPUT of shared singleton module @jupyterlab/"
    r"[a-z-]+ \(required \^[467]\.\d+\.\d+\)"
    r"|No satisfying version \(\^4\.\d+\.\d+\) of shared module @jupyterlab/[a-z-]+ found in shared scope default\.\s+"
    r"Available versions: 4\.2\.\d+ from _JUPYTERLAB\.CORE_OUTPUT)$")


def unexpected_version_warnings(console: list[str]) -> list[str]:
    return [m for m in console if re.search(r"(?i)version", m) and re.search(r"(?i)unsatisfied|no satisfying", m)
            and not EXPECTED_VERSION_WARNING.match(m.strip())]


def chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

@contextlib.contextmanager
def voila_server(log_name: str, env: dict, *args: str):
    """Voila serving notebooks/ on a free port from the repository root (so that voila.json applies), its log in
    ARTIFACTS/log_name; yields the base URL once Voila answers, stops it when the block ends."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / log_name, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "voila", "notebooks", "--no-browser", f"--port={port}", "--show_tracebacks=True", *args],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    urllib.request.urlopen(f"{url}/voila/static/voila.js", timeout=1)
                    break
                except OSError:  # not listening yet
                    if server.poll() is not None:
                        pytest.fail(f"voila exited: see {ARTIFACTS / log_name}")
                    time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)



@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The folder of reports and the out/ folder the served notebooks use: the Putuo and Liujiang reports, not the
    national families (tests/test_families.py reads those; here they would only lengthen the preheated
    portfolio kernels' first store build on a busy machine)."""
    base = tmp_path_factory.mktemp("served")
    samples, out = base / "sample_data", base / "out"
    shutil.copytree(ROOT / "sample_data", samples, ignore=shutil.ignore_patterns("families"))
    out.mkdir()
    return samples, out


@pytest.fixture(scope="module")
def voila_url(served):
    if not chromium():
        pytest.skip("no chromium (apt-get install chromium fonts-noto-cjk)")
    samples, out = served
    env = {**os.environ, "JUPYTER_PATH": str(ROOT / "share" / "jupyter"), "FINAUDIT_SAMPLES": str(samples),
           "FINAUDIT_OUT": str(out), "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    # the workbook writes files, so it is never preheated
    with voila_server("voila.log", env, "--VoilaKernelManager.preheat_denylist=audit_workbook",
                      "--VoilaKernelManager.preheat_denylist=dossier") as url:
        yield url


@pytest.fixture(scope="module")
def browser(voila_url):
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


TREEMAP_WIDTH = "document.querySelector('.fau-treemap .main-svg').getBoundingClientRect().width"
TREEMAP_BOX_WIDTH = "document.querySelector('.fau-treemap').getBoundingClientRect().width"
HEADLINE_HEIGHT = "document.querySelector('.fau-headline .js-plotly-plot .main-svg').getBoundingClientRect().height"


class Page:
    """A page with the internet blocked; remembers what it tried to fetch from outside and what the
    console said."""

    def __init__(self, browser, url: str, width: int = 1400, height: int = 1300):
        self.external: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: self.console.append(message.text))
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
        path = ARTIFACTS / f"{name}.png"
        if element:
            self.page.locator(element).first.screenshot(path=path)
        else:
            self.page.screenshot(path=path, full_page=True)
        return path

    def tab(self, index: int) -> None:
        self.page.locator(".fau-tabs .lm-TabBar-tab").nth(index).click()


@pytest.fixture(scope="module")
def dashboard(browser, voila_url):
    board = Page(browser, f"{voila_url}/voila/render/dashboard.ipynb")
    page = board.page
    page.wait_for_selector(".fau-headline .js-plotly-plot .main-svg", timeout=TIMEOUT)
    page.wait_for_selector(".fau-treemap g.slice", timeout=TIMEOUT)
    yield board
    assert not board.external, f"requests left 127.0.0.1: {board.external}"
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
    # FileUpload prints "(0)" after its description: hidden, the label is the stylesheet's
    assert page.locator(".fau-upload").evaluate("b => getComputedStyle(b).fontSize") == "0px"
    label = page.evaluate("getComputedStyle(document.querySelector('.fau-upload'), '::after').content")
    assert "上传报告" in label
    assert not dashboard.external, dashboard.external  # no CDN (Font Awesome comes with voila.js)
    assert not dashboard.errors, dashboard.errors
    assert not unexpected_version_warnings(dashboard.console), unexpected_version_warnings(dashboard.console)
    dashboard.shot("zh-0-overview")
    dashboard.shot("zh-1-drilldown", ".fau-tabs")


def test_treemap_click_updates_detail_and_breadcrumb(dashboard):
    page = dashboard.page
    sector = page.locator(".fau-treemap g.slice").filter(has_text="201 一般公共服务支出").first
    # As a person does: point at the sector, then click. (A click in the same instant as the hover is
    # coalesced with it by the widget manager's message throttle and never reaches Python.)
    sector.hover(position={"x": 30, "y": 8})  # the header band of the 类: its children cover the rest
    page.wait_for_timeout(600)  # not a wait for a condition: the gap between hover and click a person leaves
    start = time.perf_counter()
    sector.click(position={"x": 30, "y": 8})
    page.wait_for_selector('.fau-detail .fau-node[data-node="201"]', timeout=STEP)
    elapsed = time.perf_counter() - start
    detail = page.locator(".fau-detail").inner_text()
    assert "20103" in detail and "1,091.52" in detail
    assert page.locator(".fau-crumb:visible").count() == 2
    print(f"click → detail updated in {elapsed * 1000:.0f} ms (Playwright round trip)")
    page.wait_for_timeout(1000)  # the treemap's zoom transition, for the screenshot only
    dashboard.shot("zh-1-drilldown-201", ".fau-tabs")
    page.locator(".fau-crumb").first.click()
    page.wait_for_selector('.fau-detail .fau-node[data-node="root"]', timeout=STEP)


def test_rate_axis_stays_readable_with_an_outlier(dashboard):
    """表 项 2120804 is at 7169%: the axis ends near the ordinary rates, the band is wide, the outlier's
    bar reaches the end with its value and a ▶."""
    page = dashboard.page
    dashboard.tab(1)
    # drawn at the tab's width (a hidden tab's chart is redrawn when shown): ticks, bar labels, and the
    # 80–120% band (a shape, laid out after the axes) wide enough to see
    page.wait_for_function("document.querySelector('.fau-budget .xaxislayer-above .x2tick text') !== null"
                           " && document.querySelector('.fau-budget text.bartext') !== null"
                           " && document.querySelector('.fau-budget .shapelayer path')?.getBoundingClientRect().width > 60",
                           timeout=STEP)
    ticks = [t.replace(",", "").rstrip("%") for t in page.locator(".fau-budget .xaxislayer-above .x2tick text")
             .all_text_contents()]
    assert ticks and max(float(t) for t in ticks if t) < 400
    band = page.locator(".fau-budget .shapelayer path").first.bounding_box()
    assert band and band["width"] > 60  # 80–120% is a band you can see
    assert any("7,169.23%" in t and "▶" in t for t in page.locator(".fau-budget text.bartext").all_text_contents())
    legend = " ".join(page.locator(".fau-budget .legendtext").all_text_contents())
    assert "阈值 80%–120%" in legend and "超出阈值" in legend and "预算数" in legend
    grid = page.locator(".fau-budget-grid").inner_text()
    assert "正常的调资和上年的绩效奖励" in grid
    dashboard.shot("zh-2-budget", ".fau-tabs")


def test_three_public_tab(dashboard):
    page = dashboard.page
    dashboard.tab(2)
    page.wait_for_selector(".fau-three .js-plotly-plot .main-svg", timeout=STEP)
    table = page.locator(".fau-three-table").inner_text()
    assert "公务接待费" in table and "27.12%" in table and "93.94" in table
    dashboard.shot("zh-3-three-public", ".fau-tabs")


def test_findings_filters_show_all_and_errors_come_first(dashboard):
    page = dashboard.page
    dashboard.tab(3)
    page.wait_for_selector(".fau-findings-grid tbody tr", timeout=STEP)
    for name in ("severity", "table", "rule", "status"):
        select = page.locator(f".fau-filter-{name} select")
        assert select.evaluate("s => s.options[s.selectedIndex].text") == "全部"
    first = page.locator(".fau-findings-grid tbody tr").first.inner_text()
    assert first.startswith("错误")
    assert page.locator(".fau-finding-detail .fau-hl").count() >= 1
    page.locator(".fau-findings-grid thead tr").first.locator("th").nth(1).click()  # sort by rule, in the browser
    page.locator(".fau-findings-grid tbody tr").nth(2).click()
    page.wait_for_function("document.querySelector('.fau-finding-detail .fau-finding') !== null", timeout=STEP)
    dashboard.shot("zh-4-findings", ".fau-tabs")


def test_tables_tab_marks_cells(dashboard):
    page = dashboard.page
    dashboard.tab(4)
    page.wait_for_selector(".fau-table-view .fau-marked", timeout=STEP)
    titles = page.locator(".fau-table-view thead th").all_inner_texts()
    assert "行" in titles and "页" not in titles  # real headings, not only the filter boxes' placeholders
    filters = page.locator(".fau-table-view tfoot input").evaluate_all("inputs => inputs.map(i => i.placeholder)")
    assert filters == titles
    head, boxes = (page.locator(f".fau-table-view {part}").bounding_box() for part in ("thead", "tfoot"))
    assert boxes["y"] + boxes["height"] <= head["y"] + 1  # the filter boxes drawn just above the headings
    dashboard.shot("zh-5-tables", ".fau-tabs")
    dashboard.tab(0)


def test_charts_survive_a_resize_and_fit_1024(dashboard):
    page = dashboard.page
    dashboard.tab(0)
    page.wait_for_selector(".fau-treemap .main-svg", timeout=STEP)
    page.set_viewport_size({"width": 700, "height": 900})
    page.wait_for_function(f"{TREEMAP_WIDTH} <= 700", timeout=STEP)
    page.set_viewport_size({"width": 1024, "height": 900})
    # redrawn for the new width: the headline has its height back, the treemap fits its box again
    page.wait_for_function(f"{HEADLINE_HEIGHT} > 200 && {TREEMAP_WIDTH} <= {TREEMAP_BOX_WIDTH} + 2", timeout=STEP)
    headline = page.locator(".fau-headline .js-plotly-plot .main-svg").first.bounding_box()
    assert headline and headline["height"] > 200
    tree = page.locator(".fau-treemap .main-svg").first.bounding_box()
    box = page.locator(".fau-treemap").first.bounding_box()
    detail = page.locator(".fau-detail").first.bounding_box()
    assert tree["x"] + tree["width"] <= box["x"] + box["width"] + 2  # fits its container
    beside = tree["x"] + tree["width"] <= detail["x"] + 2
    below = detail["y"] >= tree["y"] + tree["height"] - 2
    assert beside or below  # never under the detail panel
    dashboard.shot("zh-6-at-1024")
    page.set_viewport_size({"width": 1400, "height": 1300})
    page.wait_for_function(f"{TREEMAP_WIDTH} > 700", timeout=STEP)


def test_english(dashboard):
    page = dashboard.page
    page.locator(".fau-lang button", has_text="English").click()
    page.wait_for_selector("text=Final-accounts audit dashboard", timeout=STEP)
    tabs = page.locator(".fau-tabs .lm-TabBar-tab")
    assert "Three public expenses" in tabs.nth(2).inner_text()
    assert tabs.nth(2).evaluate("t => t.querySelector('.lm-TabBar-tabLabel').scrollWidth <= "
                                "t.querySelector('.lm-TabBar-tabLabel').clientWidth + 1")
    assert "Table 1" in page.locator(".fau-cards-box").inner_text()
    dashboard.tab(0)
    page.wait_for_function("document.querySelectorAll('.fau-treemap g.slice').length >= 20", timeout=STEP)
    dashboard.shot("en-0-overview")
    dashboard.shot("en-1-drilldown", ".fau-tabs")
    for index, name, drawn in ((1, "budget", ".fau-budget .main-svg"), (2, "three-public", ".fau-three .main-svg"),
                               (3, "findings", ".fau-findings-grid tbody tr"), (4, "tables", ".fau-table-view tbody tr")):
        dashboard.tab(index)
        page.wait_for_selector(drawn, timeout=STEP)
        dashboard.shot(f"en-{index + 1}-{name}", ".fau-tabs")
    body = page.locator(".fau-tabs").inner_text()
    assert "Upload a report" in page.evaluate(
        "getComputedStyle(document.querySelector('.fau-upload'), '::after').content")
    assert "All" in page.locator(".fau-filter-severity select").evaluate("s => s.options[s.selectedIndex].text")
    assert "列" not in body
    page.locator(".fau-lang button", has_text="中文").click()
    page.wait_for_selector("text=部门决算审计看板", timeout=STEP)
    dashboard.tab(0)


OVERLAPS = """() => {
  const box = e => e.getBoundingClientRect();
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const labels = [...document.querySelectorAll('.fau-headline .pielayer text.slicetext')].map(box);
  const others = [...document.querySelectorAll('.fau-headline .cartesianlayer .subplot .plotbg, .fau-headline .annotation')]
    .map(box);
  return {labels: labels.length, overlaps: labels.filter(l => others.some(o => meet(l, o))).length};
}"""


def test_at_1024_in_english_nothing_is_cut_off_or_drawn_over(dashboard):
    """The donut's labels over no other chart or title; the 三公 tables inside the tab; the grids' headings
    whole; no "Invalid color specifier" warning from the rate bars' hatch."""
    page = dashboard.page
    page.set_viewport_size({"width": 1024, "height": 900})
    page.locator(".fau-lang button", has_text="English").click()
    page.wait_for_selector("text=Final-accounts audit dashboard", timeout=STEP)
    page.wait_for_function("document.querySelectorAll('.fau-headline .pielayer text.slicetext').length === 2"
                           f" && {HEADLINE_HEIGHT} > 200", timeout=STEP)
    page.wait_for_timeout(1500)  # the resize redraw
    assert page.evaluate(OVERLAPS) == {"labels": 2, "overlaps": 0}
    dashboard.tab(2)
    page.wait_for_selector(".fau-three-table table", timeout=STEP)
    right = page.locator(".fau-tabs").bounding_box()
    for table in page.locator(".fau-three-table table").all():
        box = table.bounding_box()
        assert box["x"] + box["width"] <= right["x"] + right["width"]  # the 三公 tables are not cut off
    dashboard.shot("en-1024-three-public", ".fau-tabs")
    dashboard.tab(3)
    page.wait_for_selector(".fau-findings-grid tbody tr", timeout=STEP)
    heads = page.locator(".fau-findings-grid thead th")
    assert heads.all_inner_texts()[:3] == ["Severity", "Rule", "Table"]
    assert heads.evaluate_all("ths => ths.every(th => th.scrollWidth <= th.clientWidth + 1)")  # whole headings
    dashboard.shot("en-1024-findings", ".fau-tabs")
    assert not [m for m in dashboard.console if "Invalid color" in m]
    page.locator(".fau-lang button", has_text="中文").click()
    page.wait_for_selector("text=部门决算审计看板", timeout=STEP)
    page.set_viewport_size({"width": 1400, "height": 1300})
    dashboard.tab(0)


def test_bad_upload_shows_the_error_and_keeps_the_report(dashboard, tmp_path):
    page = dashboard.page
    bad = tmp_path / "bad.txt"
    bad.write_text("这不是一份决算报告。\n只是一些文字。\n", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.locator(".fau-upload").first.click()
    chooser.value.set_files(str(bad))
    message = page.locator(".fau-report-message .fau-msg-error")
    message.wait_for(timeout=STEP)
    assert "bad.txt：不是可以读取的报告" in message.inner_text()
    assert "柳江区人民政府办公室" in page.locator(".fau-header").inner_text()


def test_uploading_both_files_of_a_document_loads_one_report(dashboard, tmp_path):
    """The seed split into its 情况说明 and its 报表, both chosen in one upload: one report, named by both files, with
    the seed's cards; the picker's own report chosen again after."""
    page = dashboard.page
    lines = (ROOT / "sample_data" / TEXT).read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("第二部分"))
    end = next(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    narrative, tables = tmp_path / "柳江-情况说明.txt", tmp_path / "柳江-报表.txt"
    narrative.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    tables.write_text("".join(lines[start:end]), encoding="utf-8")
    cards = page.locator(".fau-cards-box").inner_text()
    with page.expect_file_chooser() as chooser:
        page.locator(".fau-upload").first.click()
    chooser.value.set_files([str(tables), str(narrative)])
    page.wait_for_selector(".fau-header >> text=柳江-报表.txt + 柳江-情况说明.txt", timeout=STEP)
    assert "柳江区人民政府办公室" in page.locator(".fau-header").inner_text()
    assert page.locator(".fau-cards-box").inner_text() == cards
    page.locator(".fau-report-choice select").select_option(TEXT)
    page.wait_for_selector(f".fau-header >> text={TEXT}", timeout=STEP)


def test_switching_report_in_the_picker(dashboard):
    page = dashboard.page
    page.locator(".fau-report-choice select").select_option(PDF)
    page.wait_for_selector(".fau-header >> text=上海市普陀区财政局", timeout=TIMEOUT)
    page.wait_for_selector(".fau-treemap .main-svg", state="attached", timeout=TIMEOUT)
    assert "2,946.25" in page.locator(".fau-cards-box").inner_text()
    dashboard.tab(4)
    page.wait_for_selector(".fau-table-view tbody tr", timeout=STEP)
    titles = page.locator(".fau-table-view thead th").all_inner_texts()
    assert "页" in titles and "行" not in titles  # PDF: pages, not lines
    dashboard.shot("zh-7-pdf-tables", ".fau-tabs")
    dashboard.tab(0)


def test_a_preheated_kernel_may_wait_for_its_page_longer_than_a_cell_may_run():
    """A preheated kernel runs the notebook up to ``wait_for_request()`` and waits there for a page; a
    per-cell timeout (it was 300 s) also ends that wait, and the next visitor after an idle spell got
    "Cell execution timed out, aborting notebook execution". No per-cell timeout: a closed or stuck
    page's kernel is culled instead (cull_busy)."""
    import json

    config = json.loads((ROOT / "voila.json").read_text())
    assert config["VoilaExecutor"]["timeout"] is None and config["VoilaConfiguration"]["preheat_kernel"]
    assert config["MappingKernelManager"]["cull_busy"]


def test_query_string_selects_the_report(browser, voila_url):
    board = Page(browser, f"{voila_url}/voila/render/dashboard.ipynb?report={PDF}")
    page = board.page
    page.wait_for_selector(".fau-header >> text=上海市普陀区财政局", timeout=TIMEOUT)
    page.wait_for_selector(".fau-headline .js-plotly-plot .main-svg", timeout=TIMEOUT)
    page.wait_for_selector(".fau-treemap g.slice", timeout=TIMEOUT)
    assert not board.external, board.external
    page.close()


def test_review_set_in_the_workbook_survives_a_restart_and_reaches_the_working_paper(browser, voila_url, served):
    """The workbook served by Voila: set 确认 with a note on the first finding, reload (a new kernel),
    the status is still there, and the working paper the workbook wrote carries it."""
    from openpyxl import load_workbook

    samples, out = served
    url = f"{voila_url}/voila/render/audit_workbook.ipynb"
    book = Page(browser, url)
    page = book.page
    page.wait_for_selector(".fau-review-status select", timeout=TIMEOUT)
    page.wait_for_selector(".fau-findings-grid tbody tr", timeout=TIMEOUT)
    page.locator(".fau-review-status select").select_option(label="确认")
    page.locator(".fau-review-note-text textarea").fill("已与部门核对")
    page.locator(".fau-review-save").click()
    page.wait_for_selector(".fau-review-message .fau-msg-ok", timeout=STEP)
    assert (samples / f"{TEXT}.review.json").exists()
    book.shot("zh-8-workbook-review", ".fau-findings")
    assert not book.external, book.external
    page.close()

    again = Page(browser, url)  # a new page is a new kernel
    page = again.page
    page.wait_for_selector(".fau-finding-detail .fau-status", timeout=TIMEOUT)
    assert page.locator(".fau-finding-detail .fau-status").inner_text() == "确认"
    assert page.locator(".fau-review-note-text textarea").input_value() == "已与部门核对"
    assert "确认" in page.locator(".fau-findings-grid tbody tr").first.inner_text()
    page.wait_for_selector("text=workpaper.xlsx", timeout=TIMEOUT)  # the last cell has run
    paper = load_workbook(out / "liujiang-govt-office-2017-final-workpaper.xlsx")
    first = next(paper["审计发现 findings"].iter_rows(min_row=2, values_only=True))
    heads = [c.value for c in paper["审计发现 findings"][1]]
    assert first[heads.index("复核状态 review status")] == "确认 confirmed"
    assert first[heads.index("备注 note")] == "已与部门核对" and first[0].startswith("错误")
    assert not again.external, again.external
    page.close()


def template_script() -> str:
    """The script the finaudit template puts in every dashboard's head (before the widget code loads)."""
    text = (ROOT / "share" / "jupyter" / "voila" / "templates" / "finaudit" / "index.html.j2").read_text()
    return text.split("{%- block html_head_js -%}")[1].split("<script>")[1].split("</script>")[0]


def test_widget_models_get_the_time_a_busy_machine_needs_and_a_failed_one_says_so(browser):
    """anywidget gives each model 2 s (AbortSignal.timeout(2000) in its runtime) and then drops every message
    from the kernel; the template's script lets anywidget's timeout run START_MS instead and leaves every other
    caller's alone. A model that fails anyway ("[anywidget] …" unhandled) is announced at the top of the page."""
    # the module's browser: a second sync_playwright inside the first one's event loop is refused
    page = browser.new_page()
    try:
        page.route("http://127.0.0.1/voila/labextensions/anywidget/static/528.js",
                   lambda route: route.fulfill(body="window.widget = AbortSignal.timeout(2000);",
                                               content_type="text/javascript"))
        page.route("http://127.0.0.1/", lambda route: route.fulfill(
            body=f"<html><head><script>{template_script()}</script></head><body>"
                 "<script src='/voila/labextensions/anywidget/static/528.js'></script>"
                 "<script>window.other = AbortSignal.timeout(2000);</script></body></html>",
            content_type="text/html"))
        page.goto("http://127.0.0.1/")
        page.wait_for_function("window.other && window.other.aborted", timeout=30_000)  # everyone else: 2 s
        assert page.evaluate("window.widget.aborted") is False  # anywidget's model: more than 2 s
        page.evaluate("Promise.reject(new Error('[anywidget] Failed to initialize model.')); 0")
        page.wait_for_selector(".fau-panel-failed", timeout=30_000)
        assert "A panel could not start" in page.locator(".fau-panel-failed").inner_text()
    finally:
        page.close()
