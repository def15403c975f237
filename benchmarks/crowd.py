"""A crowd against the dashboard as ``make run`` serves it (a script, not a test; 127.0.0.1 only; bounded).

1. Start ``python -m finaudit.views.server notebooks/dashboard.ipynb`` (voila.json applies), wait until it
   answers and its preheated pool has had ``--settle`` seconds to fill.
2. Open ``--sessions`` pages at once in headless chromium (one browser context each). Per page: the time
   to its first drawn chart (``.js-plotly-plot .main-svg``) or to the busy page, whichever comes first;
   neither within ``--deadline`` seconds is a blank page.
3. Close every page, wait ``--after`` seconds, count the server's live kernels (its ipykernel children).
4. Peak memory of the server and its kernels (sampled every 0.5 s) over the run.

Pass: no blank page, every page within the deadline, kernels after close ≤ the pool size.

    .venv/bin/python benchmarks/crowd.py [--sessions 20] [--deadline 60] [--after 60] [--settle 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--renderer-process-limit=8"]
CHART = ".js-plotly-plot .main-svg"
BUSY = "text=Busy — retry in a moment"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sampler(threading.Thread):
    """Peak RSS of a process tree, sampled every half second."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root, self.peak, self.running = psutil.Process(pid), 0, True

    def tree_rss(self) -> int:
        total = 0
        for process in [self.root, *self.root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
        return total

    def run(self):
        while self.running:
            try:
                self.peak = max(self.peak, self.tree_rss())
            except psutil.Error:
                return
            time.sleep(0.5)


def kernels(pid: int) -> int:
    return sum("ipykernel" in " ".join(p.cmdline()) for p in psutil.Process(pid).children(recursive=True)
               if p.is_running())


async def session(browser, url: str, deadline: float) -> dict:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    start = time.perf_counter()
    outcome = "blank"
    try:
        await page.goto(url, timeout=deadline * 1000, wait_until="commit")
        left = max(1.0, deadline - (time.perf_counter() - start))
        chart = asyncio.ensure_future(page.wait_for_selector(CHART, timeout=left * 1000))
        busy = asyncio.ensure_future(page.wait_for_selector(BUSY, timeout=left * 1000))
        done, pending = await asyncio.wait({chart, busy}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        winner = done.pop()
        if winner.exception() is None:
            outcome = "chart" if winner is chart else "busy"
    except Exception:
        pass
    return {"outcome": outcome, "seconds": round(time.perf_counter() - start, 1), "context": context}


async def crowd(url: str, sessions: int, deadline: float, chromium: str, on_open) -> list[dict]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        results = await asyncio.gather(*(session(browser, url, deadline) for _ in range(sessions)))
        on_open()
        for result in results:
            await result.pop("context").close()
        await browser.close()
        return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--deadline", type=float, default=60)
    parser.add_argument("--after", type=float, default=60)
    parser.add_argument("--settle", type=float, default=60)
    parser.add_argument("--log", default=str(ROOT / "test-artifacts" / "crowd-voila.log"))
    options = parser.parse_args()
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("no chromium (apt-get install chromium fonts-noto-cjk)")
    port = free_port()
    Path(options.log).parent.mkdir(exist_ok=True)
    log = open(options.log, "w")
    server = subprocess.Popen([sys.executable, "-m", "finaudit.views.server", "notebooks/dashboard.ipynb",
                               "--Voila.ip=127.0.0.1", f"--port={port}", "--no-browser"],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}voila/static/voila.js", timeout=2)
                break
            except Exception:
                if server.poll() is not None:
                    sys.exit(Path(options.log).read_text()[-2000:])
                time.sleep(0.5)
        time.sleep(options.settle)
        from finaudit.views.server import machine_pool_size, machine_sessions

        pool, cap = machine_pool_size(), machine_sessions()
        before = kernels(server.pid)
        sampler = Sampler(server.pid)
        sampler.start()
        opened = {}
        started = time.perf_counter()
        results = asyncio.run(crowd(url, options.sessions, options.deadline, chromium,
                                       lambda: opened.setdefault("kernels", kernels(server.pid))))
        closed_at = time.perf_counter()
        time.sleep(options.after)
        after = kernels(server.pid)
        sampler.running = False
        outcomes = [r["outcome"] for r in results]
        charts = [r["seconds"] for r in results if r["outcome"] == "chart"]
        busy = [r["seconds"] for r in results if r["outcome"] == "busy"]
        summary = {
            "sessions": options.sessions, "pool_size": pool, "max_sessions": cap, "kernels_before": before,
            "charts": len(charts), "busy_pages": len(busy), "blank": outcomes.count("blank"),
            "first_chart_s": {"median": statistics.median(charts) if charts else None, "max": max(charts, default=None)},
            "busy_page_s": {"median": statistics.median(busy) if busy else None, "max": max(busy, default=None)},
            "kernels_with_pages_open": opened.get("kernels"),
            f"kernels_{options.after:g}s_after_close": after,
            "peak_server_and_kernels_mb": round(sampler.peak / 2**20),
            "wall_s": round(closed_at - started, 1),
            "each": [f"{r['outcome']} {r['seconds']}" for r in results],
        }
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        passed = (not summary["blank"] and all(r["seconds"] <= options.deadline for r in results if r["outcome"] != "blank")
                  and after <= pool)
        print("PASS" if passed else "FAIL")
        return 0 if passed else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
