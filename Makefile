# finaudit — `make run` sets up and runs the main job; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SAMPLE := sample_data/liujiang-govt-office-2017-final.txt
EXTRAS := pdf,test

.PHONY: setup run test bench fuzz clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[$(EXTRAS)]'
	touch $@

run: setup
	$(VENV)/bin/finaudit check $(SAMPLE)

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) -m benchmarks

fuzz: setup
	$(PY) -m benchmarks fuzz 10000

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis
