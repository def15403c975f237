from pathlib import Path

import pytest

import finaudit

ROOT = Path(__file__).resolve().parent.parent
#: The national sample (real budgets and finals outside Putuo): the shared/ folder beside the checkout (as CI lays
#: it), else the workplace's; the tests that read it skip where it is absent.
NATIONAL = next((p for p in (ROOT.parent / "shared" / "reports" / "national", Path("/work/shared/reports/national"))
                 if p.is_dir()), ROOT.parent / "shared" / "reports" / "national")
SAMPLE = ROOT / "sample_data" / "liujiang-govt-office-2017-final.txt"


@pytest.fixture(scope="session")
def sample():
    return finaudit.load(SAMPLE)
