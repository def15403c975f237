# finaudit — `make run` sets up and opens the dashboard on the sample; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SAMPLE := sample_data/liujiang-govt-office-2017-final.txt
EXTRAS := pdf,dashboard,corpus,cluster,test
PORT ?= 8866
NBVAL := --nbval-lax --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg

.PHONY: setup run check test notebooks bench fuzz clean

setup: $(VENV)/.installed $(VENV)/.template

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[$(EXTRAS)]'
	touch $@

# The finaudit Voila template into the venv's Jupyter data (where `voila notebooks/<name>.ipynb`, JupyterLab's Voila
# preview and `make run` look for it): pip's editable install leaves out pyproject's data-files (setuptools #3399),
# which only a wheel install (`pip install .`) puts there.
TEMPLATE := share/jupyter/voila/templates/finaudit
$(VENV)/.template: $(VENV)/.installed $(wildcard $(TEMPLATE)/*)
	rm -rf $(VENV)/$(TEMPLATE)
	mkdir -p $(VENV)/$(TEMPLATE)
	cp $(TEMPLATE)/* $(VENV)/$(TEMPLATE)/
	touch $@

# The dashboards on 127.0.0.1:$(PORT): a landing page at / linking the single-report dashboard, the dossier board
# and the portfolio (/voila/render/{dashboard,dossier,portfolio}.ipynb). Settings in voila.json (preheated kernels,
# culling of closed pages' kernels, the finaudit template: lab without CDN requests, sources stripped) and
# finaudit/views/server.py (host allow-list, fair admission with a busy page, a memory ceiling per kernel); opens a
# browser where there is one. Ctrl-C stops it.
run: setup
	$(PY) -m finaudit.views.server notebooks --Voila.ip=127.0.0.1 --port=$(PORT)

# The audit on the command line.
check: setup
	$(VENV)/bin/finaudit check $(SAMPLE)

test: setup
	$(PY) -m pytest
	$(PY) -m pytest $(NBVAL) notebooks

# Re-execute the notebooks in place (their outputs are the nbval reference), without widget state.
notebooks: setup
	cd notebooks && $(abspath $(PY)) -c "import papermill as pm; [pm.execute_notebook(n, n, store_widget_state=False, progress_bar=False) for n in ('audit_workbook.ipynb', 'dashboard.ipynb', 'portfolio.ipynb', 'dossier.ipynb')]"

bench: setup
	$(PY) -m benchmarks

fuzz: setup
	$(PY) -m benchmarks fuzz 10000

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis
