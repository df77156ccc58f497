# kidsafe — the two commands a newcomer needs are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= test

.PHONY: demo test bench eval lint model venv clean tables packs

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

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
