"""Mutations of real report text for fuzzing the loaders (shared by the test suite and the long run).

Every mutated input must end as a Report (with load warnings where something was off) or as a
ReportFormatError — never any other exception, never a hang.
"""

from __future__ import annotations

import random
import signal
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "liujiang-govt-office-2017-final.txt"
JUNK = ["\x00", "\t", "\u3000", "表一：收入支出决算总表", "合计", "-", "……", "1,2,3", "９９.９９", "（12.30）", "\ufeff",
        "单位：元", "第三部分", "注：", "201", "\r", "\x1a", "表", "栏次", "1e5", "nan", "0x1F"]


def mutate(text: str, rng: random.Random, steps: int | None = None) -> bytes:
    """Delete, duplicate or swap lines; corrupt numbers; insert junk; truncate; re-encode."""
    lines = text.split("\n")
    for _ in range(steps or rng.randint(1, 6)):
        op = rng.randrange(7)
        i = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [""]
        if op == 0:
            del lines[i : i + rng.randint(1, 20)]
        elif op == 1:
            lines[i:i] = lines[i : i + rng.randint(1, 20)]
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            line = lines[i]
            k = rng.randrange(len(line) + 1)
            lines[i] = line[:k] + rng.choice("0123456789.,-—x　 ") + line[k + 1 :]
        elif op == 4:
            lines.insert(i, rng.choice(JUNK) * rng.randint(1, 3))
        elif op == 5:
            lines = lines[: i + 1]
        else:
            line = lines[i]
            lines[i] = "\t" + line if not line.startswith("\t") else line.lstrip("\t")
    data = "\n".join(lines)
    encoding = rng.choice(["utf-8", "utf-8", "utf-8", "gb18030", "utf-16", "utf-8-sig"])
    raw = data.encode(encoding, errors="replace")
    if rng.random() < 0.1:
        k = rng.randrange(len(raw) + 1)
        raw = raw[:k] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + raw[k:]
    return raw


@contextmanager
def time_limit(seconds: float):
    """Raise TimeoutError if the block runs longer than `seconds` (POSIX main thread only)."""
    def expire(signum, frame):
        raise TimeoutError(f"input took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fuzz_once(raw: bytes, seconds: float = 10.0, audit: bool = True) -> str:
    """'report' or 'format-error'; any other exception propagates (that is a bug)."""
    from finaudit.audit import audit as run_audit
    from finaudit.model import ReportFormatError
    from finaudit.read.text import decode, parse_text

    with time_limit(seconds):
        try:
            report = parse_text(decode(raw, "<fuzz>"), "<fuzz>")
        except ReportFormatError:
            return "format-error"
        if audit:
            result = run_audit(report)
            crashed = [o for o in result.outcomes.values() if o.status == "error"]
            if crashed:
                raise AssertionError(f"rules crashed: {crashed}")
    return "report"


def run(n: int, seed: int = 0) -> dict:
    """The long run: n mutated inputs; returns how each ended."""
    text = SAMPLE.read_text(encoding="utf-8")
    rng = random.Random(seed)
    outcomes: dict = {"report": 0, "format-error": 0, "slowest_s": 0.0}
    for i in range(n):
        raw = mutate(text, rng)
        started = time.perf_counter()
        try:
            outcomes[fuzz_once(raw)] += 1
            outcomes["slowest_s"] = round(max(outcomes["slowest_s"], time.perf_counter() - started), 3)
        except Exception as error:  # report the input that broke it, then stop
            path = ROOT / "test-artifacts" / f"fuzz-failure-{seed}-{i}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(raw)
            raise RuntimeError(f"input {i} (saved to {path}) raised {type(error).__name__}: {error}") from error
    return outcomes
