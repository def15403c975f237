"""The review ledger: judgments keyed by Finding.key, atomic locked writes, new / open / resolved."""

import json
import signal
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from finaudit.audit import audit
from finaudit.ledger import Change, Ledger, LedgerError, Status, ledger_path, summary


@pytest.fixture(scope="module")
def result(sample):
    return audit(sample)


def test_ledger_lives_beside_the_report(tmp_path):
    assert ledger_path(tmp_path / "a report.pdf") == tmp_path / "a report.pdf.review.json"
    assert Ledger(tmp_path / "missing.review.json").entries == {}


@pytest.mark.parametrize("status, reason, ok", [
    ("confirmed", "", True), ("remediated", "", True), ("pending", "", True),
    ("excluded", "印刷口径不同", True), ("excluded", "  ", False), ("rejected", "", False),
])
def test_judgments_and_their_rules(tmp_path, result, status, reason, ok):
    ledger = Ledger(tmp_path / "r.txt.review.json")
    finding = result.findings[0]
    if not ok:
        with pytest.raises(LedgerError):
            ledger.judge(finding.key, status, reason=reason)
        assert not ledger.path.exists()
        return
    ledger.judge(finding.key, status, reason=reason, note="见附件", finding=finding)
    again = Ledger(ledger.path).get(finding.key)  # what a restarted kernel reads
    assert (again.status, again.reason, again.note, again.code) == (Status(status), reason.strip(), "见附件", finding.code)
    document = json.loads(ledger.path.read_text(encoding="utf-8"))
    assert document["format"] == "finaudit-review-ledger" and document["version"] == 1


def test_rerun_shows_new_open_and_resolved(tmp_path, result):
    ledger = Ledger(tmp_path / "r.txt.review.json")
    first = ledger.record(result)
    assert set(first["change"]) == {Change.NEW} and len(first) == len(result.findings)
    ledger.judge(result.findings[0].key, "confirmed")
    # a corrected re-publication: the first finding is gone, a new one appears
    fixed = replace(result, findings=[*result.findings[1:], replace(result.findings[0], code="FA-Z999")])
    second = Ledger(ledger.path).record(fixed)
    by_change = second.groupby("change")["key"].apply(set)
    assert by_change[Change.RESOLVED] == {result.findings[0].key}
    assert second.set_index("key").at[result.findings[0].key, "status"] == Status.CONFIRMED
    assert len(by_change[Change.NEW]) == 1 and len(by_change[Change.OPEN]) == len(result.findings) - 1
    table = summary(second, "en")
    assert table.at["resolved", "confirmed"] == 1 and table["total"].sum() == len(second)


def test_unreadable_ledger_is_named(tmp_path):
    path = tmp_path / "r.txt.review.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(LedgerError, match="r.txt.review.json"):
        Ledger(path)


WRITER = """
import os, sys, time
from finaudit.ledger import Ledger
path, key, signal_file = sys.argv[1:4]
real_fsync = os.fsync
def stalled_fsync(fd):
    real_fsync(fd)
    open(signal_file, "w").close()   # the new ledger is written to its temporary file: kill me now
    time.sleep(60)
os.fsync = stalled_fsync
Ledger(path).judge(key, "excluded", reason="written by the process that dies")
"""


def test_a_writer_killed_mid_write_leaves_the_previous_ledger(tmp_path, result):
    path = tmp_path / "r.txt.review.json"
    ledger = Ledger(path)
    ledger.judge(result.findings[0].key, "confirmed", note="before")
    before = path.read_bytes()
    signal_file = tmp_path / "writing"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), result.findings[1].key, str(signal_file)])
    for _ in range(300):
        if signal_file.exists() or writer.poll() is not None:
            break
        time.sleep(0.05)
    assert signal_file.exists(), "the writer never reached the write"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    assert path.read_bytes() == before  # the previous ledger, whole
    survivor = Ledger(path)
    assert survivor.get(result.findings[0].key).note == "before" and result.findings[1].key not in survivor.entries
    survivor.judge(result.findings[1].key, "remediated")  # the dead writer's lock is gone
    assert Ledger(path).get(result.findings[1].key).status == Status.REMEDIATED


JUDGE_MANY = """
import sys
from finaudit.ledger import Ledger
path, prefix = sys.argv[1:3]
for n in range(15):
    Ledger(path).judge(f"{prefix}{n}", "confirmed", note=prefix)
"""


def test_two_notebooks_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "r.txt.review.json"
    writers = [subprocess.Popen([sys.executable, "-c", JUDGE_MANY, str(path), prefix]) for prefix in ("a", "b")]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    entries = Ledger(path).entries
    assert {f"{p}{n}" for p in "ab" for n in range(15)} == set(entries)
