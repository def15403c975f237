"""A synthetic corpus (departments × years of consistent reports, a controlled share with one injected
error) and the corpus build measured against plain batch mode on the same files.

    python -m benchmarks corpus N [--years 5] [--errors 0.1] [--jobs 2] [--dir D] [--dask] [--keep]

N is the number of documents (N ÷ years departments, each with one 决算 per year). Budgets join when
``finaudit.synthetic`` generates them. Prints the build time and throughput of
``finaudit check DIR --jobs J`` and of ``finaudit corpus build DIR --jobs J`` (both whole processes,
one after the other in the same run), their ratio, the store size, a second build (nothing changed),
a build after touching one file, and with --dask the same build on a 2-worker Dask LocalCluster.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from finaudit.read.render import render_text
from finaudit.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
YEARS_FROM = 2017


_FIRST = "东南西北中安和平康宁华新春秋明光长青文武江河山林金石云海天地仁义礼智信德福寿喜乐丰泰"
_SECOND = "城乡农工商学医水电路桥园港湾田桑茶竹松梅兰菊荷柳杨桃李枫槐杉柏榆樟桂榕椿樱梨杏"
_KINDS = ("局", "委员会", "办公室", "中心", "管理处", "服务站", "事务所", "研究院", "保障处", "监督所")


def department_name(n: int) -> str:
    """A distinct department name per n below 40 × 40 × 10, without digits (as real names are)."""
    first, second = len(_FIRST), len(_SECOND)
    return f"示例区{_FIRST[n % first]}{_SECOND[n // first % second]}{_KINDS[n // (first * second) % len(_KINDS)]}"


def inject(report, rng: random.Random) -> str:
    """Change one printed amount of one coded table by 1.00 or 100.00 (outside any rounding band): a footing error."""
    tables = [t for t in report.tables.values() if t.layout == "coded" and not t.is_empty()]
    table = rng.choice(tables)
    data = table.data  # once built, the frame is what counts (and what is rendered)
    cells = [(column, row) for column in table.columns for row in range(len(data)) if data[column].notna().iat[row]]
    column, row = rng.choice(cells)
    data.at[row, column] = data.at[row, column] + rng.choice([100, 10_000])
    return f"{table.kind}/{table.value(row, 'code') or table.value(row, 'label')}/{column}"


def write_department(directory: Path, n: int, years: list[int], errors: float, seed: int) -> dict:
    """One department's reports (each document's generator and injection seeded by itself, so that a
    corpus can be written in parallel and resumed: an existing file is not written again)."""
    injected = {}
    folder = directory / f"d{n:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    for year in years:
        rng = random.Random(f"{seed}/{n}/{year}")
        path = folder / f"{year}-final.txt"
        inject_here = rng.random() < errors
        if path.exists() and not inject_here:
            continue
        report = generate(seed * 1_000_003 + n * 31 + year, year)
        report.meta.department = department_name(n)
        if inject_here:
            injected[path.relative_to(directory).as_posix()] = inject(report, rng)
        if not path.exists():
            path.write_text(render_text(report), encoding="utf-8")
    return injected


def write_corpus(directory: Path, documents: int, years: int = 5, errors: float = 0.1, seed: int = 0,
                 jobs: int = 1) -> dict:
    """`documents` text reports under directory/d<department>/<year>-final.txt; returns (and writes to
    injected.json) {path: the cell changed}."""
    directory.mkdir(parents=True, exist_ok=True)
    plan = [(n, list(range(YEARS_FROM, YEARS_FROM + years))) for n in range(math.ceil(documents / years))]
    if documents % years:
        plan[-1] = (plan[-1][0], plan[-1][1][: documents % years])
    injected: dict = {}
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            for found in pool.map(write_department, *zip(*[(directory, n, y, errors, seed) for n, y in plan]),
                                  chunksize=16):
                injected.update(found)
    else:
        for n, chosen in plan:
            injected.update(write_department(directory, n, chosen, errors, seed))
    (directory / "injected.json").write_text(json.dumps(injected, ensure_ascii=False, indent=0), encoding="utf-8")
    return injected


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks corpus")
    parser.add_argument("documents", type=int, nargs="?", default=1000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--errors", type=float, default=0.1, help="share of documents with one injected error")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dir", help="write the corpus here (kept); default a temporary folder")
    parser.add_argument("--dask", action="store_true", help="also build on a 2-worker Dask LocalCluster")
    parser.add_argument("--write-only", action="store_true", help="only write the corpus")
    args = parser.parse_args(argv)
    directory = Path(args.dir or tempfile.mkdtemp(prefix="finaudit-corpus-"))
    try:
        start = time.perf_counter()
        injected = write_corpus(directory / "reports", args.documents, args.years, args.errors, jobs=args.jobs)
        print(f"wrote {args.documents} documents ({len(injected)} with an injected error) to {directory / 'reports'} "
              f"in {time.perf_counter() - start:.0f} s")
        if args.write_only:
            return
        measure(directory, args.documents, args.jobs, args.dask)
    finally:
        if not args.dir:
            shutil.rmtree(directory, ignore_errors=True)


def measure(directory: Path, documents: int, jobs: int, dask: bool) -> None:
    reports, store = directory / "reports", directory / "corpus.duckdb"
    finaudit = [str(BIN / "finaudit")] if (BIN / "finaudit").exists() else [sys.executable, "-m", "finaudit.cli"]
    load = os.getloadavg()
    check = timed([*finaudit, "check", str(reports), "--jobs", str(jobs), "--format", "json", "--output", os.devnull])
    store.unlink(missing_ok=True)
    build = timed([*finaudit, "corpus", "build", str(reports), "--store", str(store), "--jobs", str(jobs)])
    size = store.stat().st_size
    again = timed([*finaudit, "corpus", "build", str(reports), "--store", str(store), "--jobs", str(jobs)])
    one = next(reports.rglob("*.txt"))
    one.write_text(one.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    touched = timed([*finaudit, "corpus", "build", str(reports), "--store", str(store), "--jobs", str(jobs)])
    print(f"load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {os.cpu_count()} cores")
    print(f"finaudit check --jobs {jobs}:        {check:7.1f} s  {documents / check:6.1f} documents/s")
    print(f"finaudit corpus build --jobs {jobs}: {build:7.1f} s  {documents / build:6.1f} documents/s  "
          f"ratio {check / build:.2f} (target ≥ 0.80); store {size / 2**20:.1f} MiB")
    print(f"second build, nothing changed:      {again:7.1f} s")
    print(f"build after changing one file:      {touched:7.1f} s")
    if dask:
        from dask.distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            dask_store = directory / "dask.duckdb"
            seconds = timed([*finaudit, "corpus", "build", str(reports), "--store", str(dask_store),
                             "--scheduler", cluster.scheduler_address])
        print(f"corpus build on a Dask LocalCluster (2 workers × 1 thread): {seconds:7.1f} s  "
              f"{documents / seconds:6.1f} documents/s; overhead vs --jobs {jobs}: {seconds / build - 1:+.0%}")
