# Two commands matter: `make report` (build everything) and `make test` (run the tests).
# Both create .venv with plain python3 + pip on first use; no conda, no root. Another interpreter or folder:
# `make PYTHON=/usr/bin/python3 VENV=.venv-system test` (how CPython was built changes the speed: README, Scale).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
RAW := data/raw
OUT := data/processed
JOBS ?=
AGENCY ?=

export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.PHONY: report data notebooks test bench screenshots profile clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dask]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

## data/processed from data/raw
data: $(STAMP)
	$(PY) -m helpers build $(RAW) --out $(OUT) $(if $(JOBS),--jobs $(JOBS))

## everything: processed tables, executed notebooks as HTML, charts
report: data
	$(PY) -m helpers render --processed $(OUT) --out reports

## one agency profile on demand: make profile AGENCY=衡水市交通运输局
profile: $(STAMP)
	$(PY) -m helpers render --processed $(OUT) --out reports --profile "$(AGENCY)"

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/bench.py

## screenshots of the rendered HTML in headless Chromium (a development tool; needs Debian's chromium)
screenshots:
	bash scripts/screenshots.sh reports/html reports/screenshots

clean:
	rm -rf reports $(OUT)/*.csv $(OUT)/*.parquet $(OUT)/parquet $(OUT)/README.md .cache
