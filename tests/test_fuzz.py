"""Fuzzing the text loader (bounded here; `python -m benchmarks fuzz 10000` is the long run):
every mutated input ends as a Report or a ReportFormatError, within a time bound."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import SAMPLE, fuzz_once, mutate

TEXT = SAMPLE.read_text(encoding="utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32))
def test_mutated_sample_is_a_report_or_a_format_error(seed):
    assert fuzz_once(mutate(TEXT, random.Random(seed)), seconds=10) in ("report", "format-error")


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    assert fuzz_once(data, seconds=5) in ("report", "format-error")


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("表一二：收入支出决算总表合计栏次\t\n 　0123456789.,-单位万元第部分注")), max_size=600))
def test_arbitrary_report_like_text(text):
    assert fuzz_once(text.encode("utf-8"), seconds=5) in ("report", "format-error")
