"""Time the portfolio dashboard in headless chromium (a script, not a test).

1. Page request → first plotly chart drawn, for notebooks/portfolio.ipynb on the given store and for
   notebooks/dashboard.ipynb, served by the same preheated Voila (voila.json). Target: portfolio ≤ 1.5 ×
   the single-report dashboard.
2. A filter or sort change → the table re-rendered (its ``data-state`` stamp changes), and → the last change
   inside the charts (plots replaced or redrawn; a new order alone redraws none), measured in the page from
   the control's change event. Target: median ≤ 300 ms.

3. With --screenshots DIR: the portfolio in Chinese and English on the bundled reports' store and on the
   given store, full page: DIR/portfolio-{bundled,store}-{zh,en}.png.

Prints the load average, each run as it goes, and everything together at the end.

    .venv/bin/python benchmarks/portfolio.py --store /path/to/corpus.duckdb [--runs 3] [--changes 12] [--screenshots DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard import ARGS, CHART, Server, first_chart  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

#: Installed in the page: for each control change, the time to the table's next data-state, and the time to
#: the last change of the page inside the three charts after it (a plot replaced or redrawn in place; none
#: for a new order).
WATCH = """() => {
  window.__fap = {start: null, times: [], charts: []};
  const mark = () => {  // the first event of a change (Enter in the search box fires keydown, then change)
    if (window.__fap.start !== null) return;
    window.__fap.start = performance.now(); window.__fap.charts.push(null);
  };
  document.addEventListener('change', mark, true);
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') mark(); }, true);
  const box = document.querySelector('.fap-table-html');
  const state = () => { const n = box.querySelector('[data-state]'); return n && n.dataset.state; };
  let last = state(), started = null;
  new MutationObserver(() => {
    const now = state();
    if (now !== last && window.__fap.start !== null) {
      started = window.__fap.start;
      window.__fap.times.push(performance.now() - started);
      window.__fap.start = null;
    }
    last = now;
  }).observe(box, {childList: true, subtree: true});
  const drawn = () => {  // any change inside a chart: the plot replaced or redrawn in place
    const at = window.__fap.start !== null ? window.__fap.start : started;
    if (at === null || !window.__fap.charts.length) return;
    window.__fap.charts[window.__fap.charts.length - 1] = performance.now() - at;
  };
  for (const name of ['.fap-findings', '.fap-three', '.fap-classes']) {
    new MutationObserver(drawn).observe(document.querySelector(name),
                                        {childList: true, subtree: true, attributes: true, characterData: true});
  }
}"""


def changes(browser, url: str, count: int) -> list[float]:
    page = browser.new_page(viewport={"width": 1500, "height": 1200})
    page.goto(url, wait_until="commit")
    page.wait_for_selector(".fap-table-html [data-state]", timeout=300_000)
    page.wait_for_selector(CHART, timeout=300_000)
    page.wait_for_timeout(1500)
    page.evaluate(WATCH)
    year = page.locator(".fap-year select")
    sort = page.locator(".fap-sort select")
    search = page.locator(".fap-search input")
    years = [o for o in year.locator("option").all_inner_texts()]
    sorts = sort.locator("option").all_inner_texts()
    done = 0
    for i in range(count):
        before = page.evaluate("window.__fap.times.length")
        step = i % 3
        if step == 0:
            sort.select_option(label=sorts[(i // 3 + 1) % len(sorts)])
        elif step == 1:
            year.select_option(label=years[(i // 3 + 1) % len(years)])
        else:
            search.fill("" if (i // 3) % 2 else "示例区东")
            search.press("Enter")
        page.wait_for_function(f"window.__fap.times.length > {before}", timeout=60_000)
        done += 1
        page.wait_for_timeout(1500)  # the charts drawn again (their time is read at the end)
    times, charts = page.evaluate("[window.__fap.times, window.__fap.charts]")
    page.close()
    return [(round(t, 1), round(max(t, c or 0), 1)) for t, c in zip(times[:done], charts[:done])]


def opened(browser, url: str, store: Path) -> None:
    """Stop unless the portfolio at `url` shows `store` (a refused ?store= falls back to the bundled reports' store,
    which would time the wrong thing)."""
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(url, wait_until="commit")
    page.wait_for_selector(".fap-table-html [data-state]", timeout=300_000)
    shown = page.inner_text("body")
    page.close()
    if store.name not in shown:
        sys.exit(f"the portfolio did not open {store} (is it inside $FINAUDIT_STORES?)")


def screenshots(browser, server_url: str, store: Path, target: Path) -> list[Path]:
    """The portfolio in both languages, on the bundled reports and on `store`, once its charts are drawn."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, query in (("bundled", ""), ("store", f"?store={store}")):
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.goto(f"{server_url}/voila/render/portfolio.ipynb{query}", wait_until="commit")
        page.wait_for_selector(".fap-table-html [data-state]", timeout=300_000)
        page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= 3", timeout=300_000)
        page.wait_for_timeout(2000)
        for lang in ("zh", "en"):
            if lang == "en":
                before = page.evaluate("document.querySelector('.fap-table-html [data-state]').dataset.state")
                page.locator(".fap-lang button", has_text="English").click()
                page.wait_for_function("document.querySelector('.fap-table-html [data-state]').dataset.state "
                                       f"!== '{before}'", timeout=60_000)
                page.wait_for_timeout(1500)
            path = target / f"portfolio-{name}-{lang}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        page.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--changes", type=int, default=12)
    parser.add_argument("--settle", type=float, default=30.0)
    parser.add_argument("--screenshots", help="also save screenshots (zh, en; bundled and --store) in this folder")
    args = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        sys.exit("no chromium: apt-get install chromium fonts-noto-cjk")
    store = Path(args.store).resolve()
    # the dashboard opens a ?store= only inside the folders its server names (views.portfolio.requested_store)
    os.environ["FINAUDIT_STORES"] = str(store.parent)
    results: dict = {"portfolio": [], "dashboard": []}
    loads = [os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="finaudit-bench-") as tmp, sync_playwright() as pw:
        directory = Path(tmp)
        for name in ("portfolio.ipynb", "dashboard.ipynb"):
            shutil.copy(ROOT / "notebooks" / name, directory / name)
        browser = pw.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        server = Server(directory, True, directory / "voila.log")
        try:
            time.sleep(args.settle)
            opened(browser, f"{server.url}/voila/render/portfolio.ipynb?store={store}", store)
            for _ in range(args.runs):
                for name, query in (("dashboard", ""), ("portfolio", f"?store={store}")):
                    seconds = first_chart(browser, f"{server.url}/voila/render/{name}.ipynb{query}")
                    results[name].append(round(seconds, 2))
                    print(f"{name:9} first chart {seconds:6.2f} s", flush=True)
                    time.sleep(args.settle)
            results["changes"] = changes(browser, f"{server.url}/voila/render/portfolio.ipynb?store={store}",
                                         args.changes)
            loads.append(os.getloadavg())
            if args.screenshots:
                time.sleep(args.settle)
                results["screenshots"] = [str(p) for p in screenshots(browser, server.url, store,
                                                                      Path(args.screenshots))]
        finally:
            server.stop()
            browser.close()
    print(f"store {store} ({store.stat().st_size / 2**20:.1f} MiB); load average at the start "
          f"{' '.join(f'{x:.2f}' for x in loads[0])}, after the timings {' '.join(f'{x:.2f}' for x in loads[-1])}; "
          f"{os.cpu_count()} cores")
    board, single = statistics.median(results["portfolio"]), statistics.median(results["dashboard"])
    print(f"first chart median: portfolio {board:.2f} s, dashboard {single:.2f} s, ratio {board / single:.2f} "
          f"(target ≤ 1.5)")
    table, both = [t for t, _ in results["changes"]], [c for _, c in results["changes"]]
    print(f"filter/sort change → table updated: median {statistics.median(table):.0f} ms, max {max(table):.0f} ms; "
          f"→ table and charts drawn again: median {statistics.median(both):.0f} ms, max {max(both):.0f} ms, over "
          f"{len(both)} changes (target median ≤ 300 ms)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
