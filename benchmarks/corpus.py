"""A synthetic corpus (departments × years of consistent budgets and finals, both scopes; a controlled share
with one injected error) and the corpus build measured against plain batch mode on the same files.

    python -m benchmarks corpus N [--years 5] [--errors 0.1] [--jobs 2] [--dir D] [--dask] [--write-only]

N is the number of documents. Each department publishes, every year, a 部门预算 and a 部门决算 that agree
(the final's "三公" 预算数 are the budget's), and every fourth department also the 单位预算 of its one unit
(the department says it is one unit). Departments follow one another until N documents are written (about
N ÷ (2.25 × years) departments); every fifth department's name holds digits ("示例区第9中学"). A share
`errors` of the finals has one footing error (``injected.json``: path → the cell changed) and a share
`errors` of the budget-final pairs has 1.00 万元 of the final's "三公" 预算数 moved between 因公出国（境）费 and
公务接待费 (the final still adds up; two of its cells differ from the budget's: ``injected-cross.json``,
final's path → the cells).

Prints the load average, the build time and throughput of ``finaudit check DIR --jobs J`` and of
``finaudit corpus build DIR --jobs J`` (both whole processes, one after the other in the same run), their
ratio, the store size, the build's own account of its dossier pass, a second build (nothing changed), a
build after touching one file, and with --dask the same build on a 2-worker Dask LocalCluster.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from finaudit.read.render import render_text
from finaudit.synthetic import budget_final_pair, department_unit_set

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
YEARS_FROM = 2017
#: What a department publishes each year, in this order; every UNITS-th department also a 单位预算.
KINDS = ("budget", "final", "unit-budget")
UNITS = 4


_FIRST = "东南西北中安和平康宁华新春秋明光长青文武江河山林金石云海天地仁义礼智信德福寿喜乐丰泰"
_SECOND = "城乡农工商学医水电路桥园港湾田桑茶竹松梅兰菊荷柳杨桃李枫槐杉柏榆樟桂榕椿樱梨杏"
_KINDS = ("局", "委员会", "办公室", "中心", "管理处", "服务站", "事务所", "研究院", "保障处", "监督所")


def department_name(n: int) -> str:
    """A distinct department name per n below 40 × 40 × 10; every fifth holds digits, as "第3中学" does."""
    if n % 5 == 4:
        return f"示例区第{n}中学"
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


def misstate(final) -> str:
    """Move 1.00 万元 of the "三公" 预算数 from the larger of 因公出国（境）费 and 公务接待费 to the other: the final
    adds up, two of its 预算数 differ from the budget document's."""
    table = final.tables["three_public"]
    keys, budget = table.values["key"], table.values["budget"]
    rows = sorted((keys.index("abroad"), keys.index("reception")), key=lambda row: budget[row] or 0)
    budget[rows[0]] = (budget[rows[0]] or 0) + 100
    budget[rows[1]] -= 100
    table._frames.clear()
    return "three_public/abroad,reception/budget"


def plan(documents: int, years: int) -> list[tuple[int, int, list[str]]]:
    """(department, year, what it publishes that year) until `documents` documents are listed."""
    out, left, n = [], documents, 0
    while left > 0:
        for year in range(YEARS_FROM, YEARS_FROM + years):
            kinds = list(KINDS if n % UNITS == 0 else KINDS[:2])[:left]
            if kinds:
                out.append((n, year, kinds))
                left -= len(kinds)
        n += 1
    return out


def write_year(directory: Path, n: int, year: int, kinds: list[str], errors: float, seed: int) -> tuple[dict, dict]:
    """One department's documents of one year (seeded by themselves, so that a corpus can be written in
    parallel and resumed: existing files are not written again). Returns (injected, injected across documents)."""
    folder = directory / f"d{n:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {kind: folder / f"{year}-{kind}.txt" for kind in kinds}
    rng = random.Random(f"{seed}/{n}/{year}")
    footing, across = rng.random() < errors, rng.random() < errors
    key = lambda kind: paths[kind].relative_to(directory).as_posix()  # noqa: E731
    injected = {key("final"): None} if footing and "final" in paths else {}
    crossed = {key("final"): None} if across and "final" in paths else {}
    if all(p.exists() for p in paths.values()) and not injected and not crossed:
        return {}, {}
    name, number = department_name(n), seed * 1_000_003 + n * 31 + year
    department, unit, _ = department_unit_set(number, year)
    _, final, _ = budget_final_pair(number, year)
    reports = {"budget": department, "final": final, "unit-budget": unit}
    for kind, report in reports.items():
        report.meta = replace(report.meta, department=name, unit_name=name if kind == "unit-budget" else None)
    if injected:
        injected[key("final")] = inject(final, rng)
    if crossed:
        crossed[key("final")] = misstate(final)
    for kind, path in paths.items():
        if not path.exists() or kind == "final" and (injected or crossed):
            path.write_text(render_text(reports[kind]), encoding="utf-8")
    return injected, crossed


def write_corpus(directory: Path, documents: int, years: int = 5, errors: float = 0.1, seed: int = 0,
                 jobs: int = 1) -> dict:
    """`documents` text reports under directory/d<department>/<year>-<kind>.txt; returns (and writes to
    injected.json) {path: the cell changed}; the cross-document injections go to injected-cross.json."""
    directory.mkdir(parents=True, exist_ok=True)
    work = [(directory, n, year, kinds, errors, seed) for n, year, kinds in plan(documents, years)]
    injected: dict = {}
    crossed: dict = {}
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(write_year, *zip(*work), chunksize=16))
    else:
        results = [write_year(*item) for item in work]
    for one, two in results:
        injected.update(one)
        crossed.update(two)
    (directory / "injected.json").write_text(json.dumps(injected, ensure_ascii=False, indent=0), encoding="utf-8")
    (directory / "injected-cross.json").write_text(json.dumps(crossed, ensure_ascii=False, indent=0), encoding="utf-8")
    return injected


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks corpus")
    parser.add_argument("documents", type=int, nargs="?", default=1000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--errors", type=float, default=0.1, help="share of finals (and of budget-final pairs) with "
                                                                  "one injected error")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="time check and build this many times each, "
                                                              "alternating (medians reported)")
    parser.add_argument("--dir", help="write the corpus here (kept, and reused: existing files are not rewritten); "
                                      "default a temporary folder")
    parser.add_argument("--dask", action="store_true", help="also build on a 2-worker Dask LocalCluster")
    parser.add_argument("--write-only", action="store_true", help="only write the corpus")
    args = parser.parse_args(argv)
    directory = Path(args.dir or tempfile.mkdtemp(prefix="finaudit-corpus-"))
    try:
        start = time.perf_counter()
        injected = write_corpus(directory / "reports", args.documents, args.years, args.errors, jobs=args.jobs)
        print(f"wrote {args.documents} documents ({len(injected)} with an injected error) to {directory / 'reports'} "
              f"in {time.perf_counter() - start:.0f} s", flush=True)
        if args.write_only:
            return
        measure(directory, args.documents, args.jobs, args.dask, args.repeat)
    finally:
        if not args.dir:
            shutil.rmtree(directory, ignore_errors=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def measure(directory: Path, documents: int, jobs: int, dask: bool, repeat: int = 1) -> None:
    """Everything timed in one run, then printed together (the lead re-runs it on a quiet machine)."""
    import statistics

    import duckdb

    reports, store = directory / "reports", directory / "corpus.duckdb"
    finaudit = [str(BIN / "finaudit")] if (BIN / "finaudit").exists() else [sys.executable, "-m", "finaudit.cli"]
    build_command = [*finaudit, "corpus", "build", str(reports), "--store", str(store), "--jobs", str(jobs)]
    lines = [f"{documents} documents, {os.cpu_count()} cores; {load()} at the start"]
    checks, builds = [], []
    for _ in range(repeat):
        checks.append(timed([*finaudit, "check", str(reports), "--jobs", str(jobs), "--format", "json",
                             "--output", os.devnull]))
        store.unlink(missing_ok=True)
        builds.append(timed(build_command))
    check, build = statistics.median(checks), statistics.median(builds)
    size = store.stat().st_size
    with duckdb.connect(str(store), read_only=True) as connection:
        dossiers, dossier_seconds = connection.execute(
            "SELECT dossiers, dossier_seconds FROM builds ORDER BY finished_at DESC LIMIT 1").fetchone()
        counts = connection.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM cells), "
                                    "(SELECT count(*) FROM findings), (SELECT count(*) FROM cross_findings)").fetchone()
    lines.append(f"{load()} after the first builds")
    again = timed(build_command)
    one = next(reports.rglob("*.txt"))
    one.write_text(one.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    touched = timed(build_command)
    lines += [
        f"finaudit check --jobs {jobs}:        {check:7.1f} s  {documents / check:6.1f} documents/s  (runs: "
        f"{', '.join(f'{t:.1f}' for t in checks)})",
        f"finaudit corpus build --jobs {jobs}: {build:7.1f} s  {documents / build:6.1f} documents/s  (runs: "
        f"{', '.join(f'{t:.1f}' for t in builds)})",
        f"  throughput ratio build/check: {check / build:.2f} (target ≥ 0.80)",
        f"  of which the dossier pass: {dossier_seconds:.1f} s for {dossiers} dossiers",
        f"  store {size / 2**20:.1f} MiB: {counts[0]} documents, {counts[1]} cells, {counts[2]} findings, "
        f"{counts[3]} cross-document findings",
        f"second build, nothing changed:      {again:7.1f} s",
        f"build after changing one file:      {touched:7.1f} s (the file read again, its dossier audited again)",
    ]
    if dask:
        from dask.distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            dask_store = directory / "dask.duckdb"
            dask_store.unlink(missing_ok=True)
            seconds = timed([*finaudit, "corpus", "build", str(reports), "--store", str(dask_store),
                             "--scheduler", cluster.scheduler_address])
        lines.append(f"corpus build on a Dask LocalCluster (2 workers × 1 thread): {seconds:7.1f} s  "
                     f"{documents / seconds:6.1f} documents/s; overhead vs --jobs {jobs}: {seconds / build - 1:+.0%}")
    lines.append(f"{load()} at the end")
    print("\n".join(lines), flush=True)
