"""`python -m benchmarks` (or `make bench`): finaudit's speed figures as a table.

    python -m benchmarks            # all figures
    python -m benchmarks fuzz N     # the long fuzz run: N mutated inputs (e.g. 10000)
    python -m benchmarks corpus N   # a synthetic corpus of N documents: corpus build vs check (see benchmarks/corpus.py)
    python -m benchmarks startup    # finaudit check on the seed against import pandas (see benchmarks/startup.py)
    python -m benchmarks dense [MB …]  # load + audit of a numbers-dense narrative (benchmarks/dense.py)
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from finaudit.read.render import render_text

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT / "sample_data" / "liujiang-govt-office-2017-final.txt"
PDF = ROOT / "sample_data" / "shanghai-putuo-finance-bureau-2024-final.pdf"
BIN = Path(sys.executable).parent


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process_time(command: list[str], runs: int = 5) -> float:
    return median_time(lambda: subprocess.run(command, check=False, capture_output=True, cwd=ROOT), runs)


def in_process(path: Path, runs: int) -> float:
    import finaudit
    from finaudit.audit import audit

    audit(finaudit.load(path))  # warm caches (code lists, templates, imports)
    return median_time(lambda: audit(finaudit.load(path)), runs)


def batch(count: int = 1000, jobs: int = 2) -> tuple[float, bool, bool]:
    """Reports per second for `count` synthetic reports with --jobs; and whether the JSON is
    byte-identical to a --jobs 1 run and equal, report by report, to single-report runs."""
    from finaudit.synthetic import generate

    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        for seed in range(count):
            (folder / f"r{seed:05d}.txt").write_text(render_text(generate(seed)), encoding="utf-8")
        out2, out1 = folder / "jobs2.json", folder / "jobs1.json"
        command = [str(BIN / "finaudit"), "check", str(folder), "--format", "json"]
        start = time.perf_counter()
        subprocess.run([*command, "--jobs", str(jobs), "--output", str(out2)], check=False, cwd=ROOT)
        rate = count / (time.perf_counter() - start)
        subprocess.run([*command, "--jobs", "1", "--output", str(out1)], check=False, cwd=ROOT)
        identical = out1.read_bytes() == out2.read_bytes()
        entries = json.loads(out2.read_text(encoding="utf-8"))
        from finaudit.batch import check_one

        same = all(check_one(Path(e["file"])) == e for e in entries[:: max(1, count // 50)])
    return rate, identical, same


def main() -> None:
    if sys.argv[1:2] == ["corpus"]:
        from benchmarks.corpus import run as corpus

        corpus(sys.argv[2:])
        return
    if sys.argv[1:2] == ["startup"]:
        from benchmarks.startup import run as startup

        startup(sys.argv[2:])
        return
    if sys.argv[1:2] == ["dense"]:
        from benchmarks.dense import run as dense

        dense([float(a) for a in sys.argv[2:]] or [0.25, 0.5, 1, 2])
        return
    if sys.argv[1:2] == ["fuzz"]:
        from benchmarks.fuzz import run

        n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
        start = time.perf_counter()
        outcomes = run(n)
        print(f"fuzz: {n} inputs in {time.perf_counter() - start:.0f} s: {outcomes}; no other exception, no hang")
        return
    python = sys.executable
    rows = []
    floor = process_time([python, "-c", "import pandas"])
    importing = process_time([python, "-c", "import finaudit"])
    rows.append(("python -c 'import pandas' (the floor)", f"{floor * 1000:.0f} ms", ""))
    rows.append(("python -c 'import finaudit'", f"{importing * 1000:.0f} ms", ""))
    probe = "import time; t = time.perf_counter(); import finaudit; print(time.perf_counter() - t)"
    inside = statistics.median(float(subprocess.run([python, "-c", probe], capture_output=True, text=True).stdout)
                               for _ in range(5))
    rows.append(("import finaudit, in-process", f"{inside * 1000:.0f} ms", ""))
    from benchmarks.startup import rows as startup

    rows.extend(startup(runs=5))
    rows.append(("load + full audit, text sample, in-process", f"{in_process(TEXT, 20) * 1000:.1f} ms", "target ≤ 50 ms"))
    if PDF.exists():
        from benchmarks import pdf_load

        rows.extend(pdf_load.rows())
    rate, identical, same = batch()
    rows.append(("batch of 1000 synthetic reports, --jobs 2", f"{rate:.0f} reports/s",
                 f"target ≥ 100; JSON identical to --jobs 1: {identical}; equal to single runs: {same}"))
    print(f"finaudit benchmarks — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>14}  {note}")


if __name__ == "__main__":
    main()
