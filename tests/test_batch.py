"""Batch mode: many reports on several cores, deterministic, nothing lost."""

import json

from finaudit.batch import check_one
from finaudit.read.sources import discover
from finaudit.cli import main
from finaudit.read.render import render_text
from finaudit.synthetic import generate


def make_reports(folder, count=6):
    for seed in range(count):
        (folder / f"r{seed}.txt").write_text(render_text(generate(seed)), encoding="utf-8")
    text = (folder / "r0.txt").read_text(encoding="utf-8")
    (folder / "r_bad_total.txt").write_text(text.replace("\t合计\n\t", "\t合计\n\t9", 1), encoding="utf-8")


def test_jobs_do_not_change_the_output(tmp_path, capsys):
    make_reports(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.json"
        assert main(["check", str(tmp_path), "--jobs", jobs, "--format", "json", "--output", str(out)]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    entries = json.loads(outputs[0])
    assert [e["file"] for e in entries] == [str(p) for p in discover([tmp_path]).documents]
    for entry in entries:  # nothing lost under load: each equals a single-report run
        assert entry == check_one(tmp_path / entry["file"].split("/")[-1])
    assert sum(e["counts"]["error"] for e in entries) >= 1


def test_unreadable_file_is_listed_and_exit_code_is_2(tmp_path, capsys):
    make_reports(tmp_path, 2)
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["check", str(tmp_path), "--jobs", "2"]) == 2
    out = capsys.readouterr().out
    assert "empty.txt" in out and "1 unreadable" in out


def test_fail_on_in_batch(tmp_path, capsys):
    make_reports(tmp_path, 2)
    (tmp_path / "r_bad_total.txt").unlink()
    assert main(["check", str(tmp_path), "--fail-on", "error"]) == 0
