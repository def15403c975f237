"""Consecutive page loads on a busy machine, right after the server starts (a script, not a test; 127.0.0.1 only;
every wait bounded).

1. Optionally make the machine busy: ``--burn N`` CPU-bound processes for the whole run (each ends by itself
   after ``--burn-seconds``), so that the load average is ~N plus what the run costs.
2. Start the dashboards' server as ``make run`` does (``python -m finaudit.views.server notebooks``), with an
   empty ``$FINAUDIT_CACHE`` (``--cold-cache``: every preheated portfolio kernel asks for the bundled reports'
   store at once) and start loading as soon as it answers (its preheated pools still filling).
3. ``--dashboards`` loads of the single-report dashboard, one after the other (a fresh browser context each:
   a new visitor): the headline chart, the treemap's sectors and the findings grid drawn, and one filter working
   (findings severity → warnings: every row shown is a warning); then ``--portfolios`` loads of the portfolio:
   its three charts and its table drawn, and one filter working ("only with errors": the table re-drawn, every
   row with errors). A load that shows the busy page waits for it to retry (counted); nothing drawn within
   ``--deadline`` seconds is a failure. Console errors from anywidget and the page's "panel could not start"
   notice are counted.

4. With ``--bombs N``: N dashboard pages upload a 3 KB form-bomb PDF at once; each must show the read's
   error, each kernel's process tree stay under the kernel ceiling, and the server live on.

Prints one line per load, the load average as it goes, and a JSON summary; PASS when every load drew everything
and every filter worked.

    .venv/bin/python benchmarks/loads.py [--dashboards 20] [--portfolios 10] [--burn 6] [--cold-cache]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
BURN = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"
ALL_WARNINGS = """() => { const rows = [...document.querySelectorAll('.fau-findings-grid tbody tr')];
  return rows.length > 0 && rows.every(r => r.innerText.trim().startsWith('警告')); }"""
ALL_ERRORS = """(before) => { const box = document.querySelector('.fap-table-box, .fap-empty');
  if (!box || box.dataset.state === before) return false;
  const rows = [...document.querySelectorAll('.fap-table tbody tr')];
  return rows.length > 0 && rows.every(r => r.querySelector('td.fap-err') !== null); }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


class Visit:
    """One visitor's page: what it asked outside 127.0.0.1, its anywidget errors, how often it met the busy page."""

    throttle = 1.0  # chromium's CPU slowed down this many times (a busy browser, deterministically)

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1366, "height": 1000})
        self.page = self.context.new_page()
        if self.throttle > 1:
            self.context.new_cdp_session(self.page).send("Emulation.setCPUThrottlingRate", {"rate": self.throttle})
        self.external, self.widget_errors, self.busy = [], [], 0
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: self.widget_errors.append(m.text) if "[anywidget]" in m.text else None)
        self.page.on("pageerror", lambda e: self.widget_errors.append(str(e)) if "[anywidget]" in str(e) else None)
        self.page.on("response", lambda r: setattr(self, "busy", self.busy + 1) if r.status == 503 else None)
        self.page.goto(url.split("/voila/")[0] + "/")  # the landing page, as a visitor comes (it names the client)
        self.page.goto(url, wait_until="commit")

    def _route(self, route):
        if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


def dashboard_load(browser, url: str, deadline: float) -> dict:
    visit, page, result = Visit(browser, f"{url}/voila/render/dashboard.ipynb"), None, {"kind": "dashboard"}
    page, start = visit.page, time.perf_counter()
    try:
        page.wait_for_selector(".fau-headline .js-plotly-plot .main-svg", timeout=deadline * 1000)
        result["headline"] = True
        page.wait_for_function("document.querySelectorAll('.fau-treemap g.slice').length >= 10", timeout=deadline * 1000)
        result["treemap"] = True
        result["drawn_s"] = round(time.perf_counter() - start, 1)
        page.locator(".fau-tabs .lm-TabBar-tab").nth(3).click()
        page.wait_for_selector(".fau-findings-grid tbody tr", timeout=deadline * 1000)
        result["grid"] = True
        page.locator(".fau-filter-severity select").select_option(label="警告")
        page.wait_for_function(ALL_WARNINGS, timeout=deadline * 1000)
        result["filter"] = True
    except Exception as error:  # a wait that ran out: reported, the next load goes on
        result["error"] = str(error).splitlines()[0][:160]
    result.update(seconds=round(time.perf_counter() - start, 1), busy=visit.busy, external=len(visit.external),
                  widget_errors=len(visit.widget_errors),
                  notice=page.locator(".fau-panel-failed").count() if not page.is_closed() else 0)
    result["ok"] = all(result.get(k) for k in ("headline", "treemap", "grid", "filter")) and not result["external"]
    visit.close()
    return result


def portfolio_load(browser, url: str, deadline: float) -> dict:
    visit, result = Visit(browser, f"{url}/voila/render/portfolio.ipynb"), {"kind": "portfolio"}
    page, start = visit.page, time.perf_counter()
    try:
        page.wait_for_function("document.querySelectorAll('.fap-board .js-plotly-plot .main-svg').length >= 3",
                               timeout=deadline * 1000)
        result["charts"] = True
        page.wait_for_selector(".fap-table tbody tr", timeout=deadline * 1000)
        result["table"] = True
        result["drawn_s"] = round(time.perf_counter() - start, 1)
        before = page.locator(".fap-table-box").first.get_attribute("data-state")
        page.locator(".fap-only-errors input").check()
        page.wait_for_function(ALL_ERRORS, arg=before, timeout=deadline * 1000)
        result["filter"] = True
    except Exception as error:
        result["error"] = str(error).splitlines()[0][:160]
    errors = page.locator("text=An exception occurred at the server").count() + page.locator(
        "text=There was an error when executing cell").count()
    result.update(seconds=round(time.perf_counter() - start, 1), busy=visit.busy, external=len(visit.external),
                  server_errors=errors)
    result["ok"] = all(result.get(k) for k in ("charts", "table", "filter")) and not errors and not result["external"]
    visit.close()
    return result


def bomb_uploads(browser, url: str, count: int, server_pid: int, deadline: float) -> dict:
    """`count` dashboard pages, each uploading a 3 KB form bomb (tests/test_hostile.form_bomb: 2 million painted
    paths) at once: each page shows the read's error, every kernel's process tree (proportional set size: the
    forked read workers share the kernel's pages) stays under the kernel ceiling (sampled every 0.2 s), and the
    server still answers."""
    import threading

    import psutil

    sys.path.insert(0, str(ROOT / "tests"))
    from test_hostile import form_bomb

    folder = Path(tempfile.mkdtemp(prefix="finaudit-bombs-"))
    bomb = folder / "bomb.pdf"
    bomb.write_bytes(form_bomb())
    visits = [Visit(browser, f"{url}/voila/render/dashboard.ipynb") for _ in range(count)]
    for visit in visits:
        visit.page.wait_for_selector(".fau-headline .js-plotly-plot .main-svg", timeout=deadline * 1000)
    peaks, running = {}, [True]

    def sample():
        while running[0]:
            for kernel in psutil.Process(server_pid).children():
                try:
                    tree = [kernel, *kernel.children(recursive=True)]
                    peaks[kernel.pid] = max(peaks.get(kernel.pid, 0), sum(p.memory_full_info().pss for p in tree))
                except psutil.Error:
                    pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for visit in visits:
        with visit.page.expect_file_chooser() as chooser:
            visit.page.locator(".fau-upload").first.click()
        chooser.value.set_files(str(bomb))
    messages = []
    for visit in visits:
        message = visit.page.locator(".fau-report-message .fau-msg-error")
        message.wait_for(timeout=deadline * 1000)
        messages.append(message.inner_text()[:200])
    running[0] = False
    sampler.join()
    limits = [p.rlimit(psutil.RLIMIT_AS)[0] for p in psutil.Process(server_pid).children()]
    ceiling = min((limit for limit in limits if limit > 0), default=0) // 2**20 or None  # views.ceiling's RLIMIT_AS
    for visit in visits:
        visit.close()
    lives = urllib.request.urlopen(f"{url}/voila/static/voila.js", timeout=30).status == 200
    shutil.rmtree(folder, ignore_errors=True)
    peak = round(max(peaks.values(), default=0) / 2**20)
    return {"bytes": len(form_bomb()), "messages": messages, "stopped": len(messages),
            "peak_kernel_tree_mb": peak, "ceiling_mb": ceiling, "server_lives": lives,
            "passed": len(messages) == count and lives and ceiling is not None and peak < ceiling}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dashboards", type=int, default=20)
    parser.add_argument("--portfolios", type=int, default=10)
    parser.add_argument("--deadline", type=float, default=300, help="seconds a load may take to draw and filter")
    parser.add_argument("--burn", type=int, default=0, help="CPU-bound processes beside the run")
    parser.add_argument("--burn-seconds", type=float, default=3600)
    parser.add_argument("--cold-cache", action="store_true", help="start with an empty $FINAUDIT_CACHE")
    parser.add_argument("--cpu-throttle", type=float, default=1.0,
                        help="slow chromium's CPU down this many times (DevTools emulation)")
    parser.add_argument("--interleave", action="store_true",
                        help="a portfolio load first, then one after every two dashboard loads")
    parser.add_argument("--bombs", type=int, default=0,
                        help="then upload a 3 KB form-bomb PDF in this many dashboard pages at once")
    parser.add_argument("--jupyter-path", default=str(ROOT / "share" / "jupyter"),
                        help="where the finaudit template is (another copy: to compare templates)")
    parser.add_argument("--log", default=str(ROOT / "test-artifacts" / "loads-server.log"))
    options = parser.parse_args()
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("no chromium (apt-get install chromium fonts-noto-cjk)")
    Visit.throttle = options.cpu_throttle
    burners = [subprocess.Popen([sys.executable, "-c", BURN.format(seconds=options.burn_seconds)])
               for _ in range(options.burn)]
    cache = tempfile.mkdtemp(prefix="finaudit-cache-") if options.cold_cache else None
    port = free_port()
    Path(options.log).parent.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_PATH": options.jupyter_path,
           **({"FINAUDIT_CACHE": cache} if cache else {})}
    server = None
    try:
        if options.burn:
            time.sleep(60)  # let the load average climb
        print(f"load before the server starts: {load_average()}", flush=True)
        with open(options.log, "w") as log:
            server = subprocess.Popen([sys.executable, "-m", "finaudit.views.server", "notebooks",
                                       "--Voila.ip=127.0.0.1", f"--port={port}", "--no-browser"],
                                      cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/voila/static/voila.js", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit(Path(options.log).read_text()[-2000:])
                time.sleep(0.5)
        results, loads = [], []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
            plan = [dashboard_load] * options.dashboards + [portfolio_load] * options.portfolios
            if options.interleave:  # a portfolio first (its store is built as the server starts), then spread
                dashboards, portfolios = [dashboard_load] * options.dashboards, [portfolio_load] * options.portfolios
                plan = []
                while dashboards or portfolios:
                    plan += portfolios[:1] + dashboards[:2]
                    portfolios, dashboards = portfolios[1:], dashboards[2:]
            for number, run in enumerate(plan, 1):
                result = run(browser, url, options.deadline)
                loads.append(os.getloadavg()[0])
                results.append(result)
                print(f"{number:3} {json.dumps(result, ensure_ascii=False)}  load {load_average()}", flush=True)
            if options.bombs:
                bombs = bomb_uploads(browser, url, options.bombs, server.pid, options.deadline)
                print(json.dumps(bombs, ensure_ascii=False), flush=True)
            browser.close()
        summary = {kind: {"loads": sum(r["kind"] == kind for r in results),
                          "all_drawn_and_filtered": sum(r["ok"] for r in results if r["kind"] == kind),
                          "met_busy_page": sum(bool(r["busy"]) for r in results if r["kind"] == kind),
                          "drawn_s_max": max((r.get("drawn_s", 0) for r in results if r["kind"] == kind), default=None)}
                   for kind in ("dashboard", "portfolio")}
        summary["anywidget_errors"] = sum(r.get("widget_errors", 0) for r in results)
        summary["panel_notices"] = sum(r.get("notice", 0) for r in results)
        if options.bombs:
            summary["bombs"] = {k: bombs[k] for k in ("stopped", "peak_kernel_tree_mb", "ceiling_mb", "server_lives")}
        summary["load_1min"] = {"min": round(min(loads), 1), "max": round(max(loads), 1)} if loads else None
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        passed = all(r["ok"] for r in results) and (not options.bombs or bombs["passed"])
        print("PASS" if passed else "FAIL")
        return 0 if passed else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
        for burner in burners:
            burner.kill()
        if cache:
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
