"""`python -m benchmarks startup`: `finaudit check` on the seed against `python -c "import pandas"`.

The seed (``sample_data/liujiang-govt-office-2017-final.txt``) is a text report: checking it should
cost little more than importing pandas (target ≤ 1.3×). Both commands are timed as whole processes,
by wall clock (median) and by CPU time of the process (user + system, best run: the figure a loaded
machine disturbs least), run from this checkout (``python -m finaudit.cli``, with the checkout first on
``PYTHONPATH``). ``--no-bytecode`` times them without cached bytecode (every module compiled from source,
as in a fresh checkout under ``PYTHONDONTWRITEBYTECODE``).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "liujiang-govt-office-2017-final.txt"
TARGET = 1.3


def timed(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """(median wall seconds, best CPU seconds of the child) over `runs` runs of `command`."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), min(cpus)


def measure(runs: int = 7, bytecode: bool = True) -> dict[str, float]:
    """The two commands' times and the ratios (wall and CPU)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for cache in (ROOT / "finaudit").rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
    python = sys.executable
    check = [python, "-m", "finaudit.cli", "check", str(SEED)]
    if bytecode:  # one run to write the bytecode
        subprocess.run(check, env=env, cwd=ROOT, capture_output=True, check=False)
    pandas_wall, pandas_cpu = timed([python, "-c", "import pandas"], env, runs)
    check_wall, check_cpu = timed(check, env, runs)
    return {"pandas_wall": pandas_wall, "check_wall": check_wall, "wall_ratio": check_wall / pandas_wall,
            "pandas_cpu": pandas_cpu, "check_cpu": check_cpu, "cpu_ratio": check_cpu / pandas_cpu}


def rows(runs: int = 7, bytecode: bool = True) -> list[tuple[str, str, str]]:
    """The benchmark table's rows: both times and the ratio, wall clock and CPU."""
    m = measure(runs, bytecode)
    how = "" if bytecode else ", no cached bytecode"
    return [
        (f"python -c 'import pandas'{how}", f"{m['pandas_wall'] * 1000:.0f} ms", f"CPU {m['pandas_cpu'] * 1000:.0f} ms"),
        (f"finaudit check (seed){how}", f"{m['check_wall'] * 1000:.0f} ms", f"CPU {m['check_cpu'] * 1000:.0f} ms"),
        (f"  ratio{how}", f"{m['wall_ratio']:.2f}×", f"CPU {m['cpu_ratio']:.2f}× (target ≤ {TARGET}×)"),
    ]


def run(args: list[str]) -> None:
    found = rows(bytecode="--no-bytecode" not in args)
    width = max(len(r[0]) for r in found)
    for name, value, note in found:
        print(f"  {name:<{width}}  {value:>10}  {note}")


if __name__ == "__main__":
    run(sys.argv[1:])
