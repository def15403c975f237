from pathlib import Path

import pytest

import finaudit

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "liujiang-govt-office-2017-final.txt"


@pytest.fixture(scope="session")
def sample():
    return finaudit.load(SAMPLE)
