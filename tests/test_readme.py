"""What the README quotes is what the tool does: the bundled reports' finding counts, the files it names."""

import re

import pytest
from conftest import ROOT

from finaudit.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def said(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("file, phrases", [
    ("liujiang-govt-office-2017-final.txt", ["Liujiang 2017 report: {error} errors (", "{warning} warnings and {info} notes"]),
    ("shanghai-putuo-wanli-street-2024-dept-budget.pdf", ["{error} errors and {warning} warnings on Wanli 2024"]),
    ("shanghai-putuo-wanli-street-2025-dept-budget.pdf", ["{error} errors and {warning} warning on Wanli 2025"]),
    ("shanghai-putuo-commerce-2025-dept-budget.pdf", ["none on the two Commerce budgets"]),
    ("shanghai-putuo-commerce-2025-unit-budget.pdf", ["none on the two Commerce budgets"]),
])
def test_the_counts_the_readme_quotes_are_what_check_prints(file, phrases, capsys):
    import json

    main(["check", str(ROOT / "sample_data" / file), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    for phrase in phrases:
        if phrase.startswith("none"):
            assert counts["error"] == counts["warning"] == 0, (file, counts)
        assert said(phrase.format(**counts)) in said(README), (file, counts)


def test_the_sample_files_the_readme_names_exist():
    named = set(re.findall(r"sample_data/[\w.\-]+\.(?:txt|pdf)", README))
    named |= {f"sample_data/{name}" for name in re.findall(r"\?report=([\w.\-]+\.(?:txt|pdf))", README)}
    assert named and all((ROOT / path).is_file() for path in named), named
    assert "../REPORT" not in README  # a path from the repository's root, where the commands are run
