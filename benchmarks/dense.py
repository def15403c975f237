"""A numbers-dense narrative (issue 27): the text sample with its 情况说明 grown by sentences full of
amounts, percentages, changes and counts, as a hostile or careless publisher might write them.

    python -m benchmarks dense [MB …]   # load + audit time of each size (default 0.25 0.5 1 2), in-process

The audit of a real report links each percentage to the amount it is a share of; done by rescanning
every earlier claim it cost 2 s at 0.25 MB and 74 s at 2 MB. The target: 1 MB within 2 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT / "sample_data" / "liujiang-govt-office-2017-final.txt"

#: Sentences as published narratives write them (subjects, amounts, shares, changes, rates, counts).
PATTERNS = (
    "{subject}支出{a}万元，占本年支出合计的{p}%，比上年增加{b}万元，增长{q}%。",
    "其中：{subject}{a}万元，占{p}%；{other}{b}万元，占{q}%。",
    "{subject}年初预算为{a}万元，支出决算为{b}万元，完成年初预算的{p}%。",
    "本年收入合计{a}万元，其中：财政拨款收入{b}万元，占比{p}%；其他收入{c}万元，占比{q}%。",
    "{subject}收、支分别减少{a}万元、{b}万元，下降了{p}%、{q}%。",
    "公务用车购置及运行费{a}万元，其中公务用车运行维护费{b}万元，年末保有车辆{n}辆；国内公务接待{n}批次，共{m}人次。",
)
SUBJECTS = ("一般公共服务", "社会保障和就业", "医疗卫生与计划生育", "住房保障", "农林水", "教育", "城乡社区",
            "节能环保", "交通运输", "公共安全")


def dense_narrative(size: int, seed: int = 0) -> str:
    """Given a size in bytes, return the text sample whose 情况说明 holds about that many bytes of extra
    sentences (deterministic for a seed)."""
    import random

    rng = random.Random(seed)
    text = TEXT.read_text(encoding="utf-8")
    anchor = "三、2017年度支出决算情况\n"
    head, tail = text.split(anchor, 1)
    sentences, total = [], 0
    while total < size:
        n = rng.randrange(len(SUBJECTS))
        sentence = rng.choice(PATTERNS).format(
            subject=SUBJECTS[n], other=SUBJECTS[(n + 1) % len(SUBJECTS)],
            a=f"{rng.randrange(1, 99999)}.{rng.randrange(100):02d}", b=f"{rng.randrange(1, 9999)}.{rng.randrange(100):02d}",
            c=f"{rng.randrange(1, 999)}.{rng.randrange(100):02d}", p=f"{rng.randrange(100)}.{rng.randrange(100):02d}",
            q=f"{rng.randrange(100)}.{rng.randrange(10)}", n=rng.randrange(1, 40), m=rng.randrange(1, 400))
        sentences.append(sentence)
        total += len(sentence.encode("utf-8"))
        if len(sentences) % 8 == 0:
            sentences.append("\n\n")
    return head + anchor + "\n" + "".join(sentences) + "\n\n" + tail


def run(sizes: list[float]) -> None:
    import tempfile

    import finaudit.read
    from finaudit.audit import audit

    with tempfile.TemporaryDirectory() as folder:
        for mb in sizes:
            path = Path(folder) / f"dense-{mb}.txt"
            path.write_text(dense_narrative(int(mb * 2**20)), encoding="utf-8")
            start, cpu = time.perf_counter(), time.process_time()
            report = finaudit.read.load(path)  # in this process, unbounded: the cost itself is measured
            loaded = time.perf_counter() - start
            result = audit(report)
            took, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"dense narrative {mb:g} MB: load {loaded:.2f} s, load + audit {took:.2f} s wall, {cpu:.2f} s CPU, "
                  f"{len(result.findings)} findings", flush=True)


if __name__ == "__main__":
    run([float(a) for a in sys.argv[1:]] or [0.25, 0.5, 1, 2])
