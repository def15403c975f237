"""Time the Voila dashboard in headless chromium (a script, not a test).

1. Page request → first plotly chart drawn (``.js-plotly-plot .main-svg``), for notebooks/dashboard.ipynb and
   for a trivial one-cell notebook (one plotly bar chart), served by the same Voila in the same run, cold
   (no preheated kernels) and preheated (voila.json: a pool of preheated kernels per notebook).
   Target: dashboard ≤ 1.5 × trivial with preheat.
2. Treemap click → updated detail table, measured in the page (mousedown → the detail's DOM mutation).
   Target ≤ 300 ms.

    .venv/bin/python benchmarks/dashboard.py [--runs 3] [--settle 30]

Needs the dashboard extra, playwright and Debian's chromium (no Playwright browser download).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
CHART = ".js-plotly-plot .main-svg"
SECTORS = ["201 一般公共服务支出", "208 社会保障和就业支出", "212 城乡社区支出", "221 住房保障支出", "210 医疗卫生与计划生育支出"]

#: Installed in the page: the time from a mousedown to the next change of the detail's node.
WATCH = """() => {
  window.__fa = {down: null, times: []};
  document.addEventListener('mousedown', () => { window.__fa.down = performance.now(); }, true);
  const detail = document.querySelector('.fau-detail');
  let last = detail.querySelector('.fau-node') && detail.querySelector('.fau-node').dataset.node;
  new MutationObserver(() => {
    const node = detail.querySelector('.fau-node');
    const now = node && node.dataset.node;
    if (now !== last && window.__fa.down !== null) { window.__fa.times.push([now, performance.now() - window.__fa.down]); }
    last = now;
  }).observe(detail, {childList: true, subtree: true, characterData: true});
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notebooks(directory: Path) -> None:
    shutil.copy(ROOT / "notebooks" / "dashboard.ipynb", directory / "dashboard.ipynb")
    trivial = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}})
    trivial.cells = [nbformat.v4.new_code_cell(
        'import plotly.graph_objects as go\ngo.Figure(go.Bar(x=["a", "b"], y=[1, 2])).show()')]
    nbformat.write(trivial, directory / "trivial.ipynb")


class Server:
    def __init__(self, directory: Path, preheat: bool, log: Path):
        self.port = free_port()
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "voila", str(directory), "--no-browser", f"--port={self.port}",
             f"--VoilaConfiguration.preheat_kernel={preheat}", "--show_tracebacks=True"],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,  # cwd: voila.json applies
            env={**os.environ, "JUPYTER_PATH": str(ROOT / "share" / "jupyter")})  # the finaudit template
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{self.url}/voila/static/voila.js", timeout=1)
                return
            except Exception:
                time.sleep(0.5)
        raise RuntimeError("voila did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def first_chart(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(CHART, timeout=180_000)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def clicks(browser, url: str) -> list[tuple[str, float]]:
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    page.goto(url, wait_until="commit")
    page.wait_for_selector(".fau-treemap g.slice", timeout=180_000)
    page.wait_for_selector('.fau-detail .fau-node[data-node="root"]', timeout=60_000)
    page.wait_for_timeout(1500)
    page.evaluate(WATCH)
    for label in SECTORS:
        sector = page.locator(".fau-treemap g.slice").filter(has_text=label).first
        sector.hover(position={"x": 12, "y": 6})
        page.wait_for_timeout(600)  # a person points, then clicks (see tests/test_dashboard_e2e.py)
        sector.click(position={"x": 12, "y": 6})
        code = label.split()[0]
        page.wait_for_selector(f'.fau-detail .fau-node[data-node="{code}"]', timeout=30_000)
        page.wait_for_timeout(800)
        page.locator(".fau-crumb").first.click()  # back to the root (also timed)
        page.wait_for_selector('.fau-detail .fau-node[data-node="root"]', timeout=30_000)
        page.wait_for_timeout(1200)  # the treemap's zoom transition
    times = page.evaluate("window.__fa.times")
    page.close()
    return [(node, round(ms, 1)) for node, ms in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--settle", type=float, default=30.0, help="seconds to let the kernel pools (re)fill")
    args = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        sys.exit("no chromium: apt-get install chromium fonts-noto-cjk")
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="finaudit-bench-") as tmp, sync_playwright() as pw:
        directory = Path(tmp)
        notebooks(directory)
        browser = pw.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        for mode, preheat in (("cold", False), ("preheated", True)):
            server = Server(directory, preheat, directory / f"voila-{mode}.log")
            try:
                time.sleep(args.settle if preheat else 2)
                for name in ("trivial", "dashboard"):
                    results.setdefault(mode, {})[name] = []
                for _ in range(args.runs):
                    for name in ("trivial", "dashboard"):
                        seconds = first_chart(browser, f"{server.url}/voila/render/{name}.ipynb")
                        results[mode][name].append(round(seconds, 2))
                        print(f"{mode:9} {name:9} first chart {seconds:6.2f} s", flush=True)
                        if preheat:
                            time.sleep(args.settle)  # let the pool refill, as between real visitors
                if preheat:
                    results["clicks"] = clicks(browser, f"{server.url}/voila/render/dashboard.ipynb")
            finally:
                server.stop()
        browser.close()
    print()
    for mode in ("cold", "preheated"):
        trivial, board = (statistics.median(results[mode][n]) for n in ("trivial", "dashboard"))
        print(f"{mode:9}: first chart median trivial {trivial:.2f} s, dashboard {board:.2f} s, "
              f"ratio {board / trivial:.2f} (runs: {results[mode]})")
    ms = [t for _, t in results["clicks"]]
    print(f"click → detail updated: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms "
          f"over {len(ms)} clicks (sector and breadcrumb): {results['clicks']}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
