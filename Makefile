# kidsafe — the two commands a newcomer needs are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= test

.PHONY: demo test bench eval lint model venv clean tables packs golden image image-check image-smoke image-pins image-boot

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

# the tools extra (jieba, pypinyin, wordfreq) gives the ordinary-vocabulary flag rates, which are enforced
eval: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[tools]"
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
	# tables generated from the packs and rules: re-made so they stay in step (`make golden` after, and review)
	$(BIN)/python -m filters.tools.homophone_reopen --write
	$(BIN)/python -m filters.tools.english_typos --write
	$(BIN)/python -m filters.tools.chaizi --write

# verdicts of every eval set, compared by tests/test_verdicts_unchanged.py; regenerate only when
# packs, the model, the tables or an eval set change on purpose (and review the diff)
golden: $(STAMP)
	$(BIN)/python -m filters.tools.verdict_golden
	$(BIN)/python -m filters.tools.version_ledger --write  # a pack or rule file changed under its version stops here

# arm64 device image (firmware_images/README.md): needs root, mmdebstrap, qemu-user-static, genimage
image: $(STAMP)
	PYTHON=$(abspath $(BIN)/python) firmware_images/build.sh

# build the root twice and compare package set + sha256 of every kidsafe file
image-check: $(STAMP)
	PYTHON=$(abspath $(BIN)/python) firmware_images/build.sh --stage root --check

# kidsafe check/classify inside the built arm64 root (qemu-user) vs this machine, on ../shared/eval/dev.jsonl
image-smoke: $(STAMP)
	PYTHON=$(abspath $(BIN)/python) firmware_images/build.sh smoke

# optional, slow: boot the image under qemu-system-aarch64 and ask its device service (hostfwd);
# KIDSAFE_BOOT_PORTAL=local also runs a parent portal here, so the booted image shows a pairing code
image-boot: $(STAMP)
	PYTHON=$(abspath $(BIN)/python) firmware_images/qemu_boot.sh

# the pinned aarch64 wheels download with their hashes (PyPI)
image-pins: $(STAMP)
	$(BIN)/python firmware_images/pins.py verify

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
