# kidsafe — the two commands a newcomer needs are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= test

.PHONY: demo test bench eval lint model venv clean tables packs golden

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS)]"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[demo]"
	$(BIN)/python -m kidsafe.demo

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

eval: $(STAMP)
	$(BIN)/python -m filters.evaluate

lint: $(STAMP)
	$(BIN)/ruff check .

model: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[train]"
	$(BIN)/python -m models.train

tables: $(STAMP)
	$(BIN)/python -m filters.tools.build_tables

# Imported word packs from the pinned public lists in filters/data/sources (offline; see its README).
packs: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[tools]"
	$(BIN)/python -m filters.tools.build_packs

# verdicts of every eval set, compared by tests/test_verdicts_unchanged.py; regenerate only when
# packs, the model, the tables or an eval set change on purpose (and review the diff)
golden: $(STAMP)
	$(BIN)/python -m filters.tools.verdict_golden

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
