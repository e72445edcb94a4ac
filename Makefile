# The project's front door. Every target creates .venv and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench fuzz simulate soak translations screenshots wheel wheel-check clean

$(STAMP): pyproject.toml setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP) translations
	$(BIN)/kiosk demo

# The editable install compiles them too; run this after editing a .ts file.
translations: $(STAMP)
	for ts in ui/i18n/*.ts; do $(BIN)/pyside6-lrelease -silent $$ts -qm $${ts%.ts}.qm || exit 1; done

screenshots: $(STAMP) translations
	$(BIN)/kiosk screenshots --out screenshots

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kiosk drivers sync ui tests
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_layers.py tests/core/test_production_imports.py

simulate: $(STAMP)
	$(BIN)/kiosk simulate --customers 200 --seed 7 --report simulate-report.json

# 1,000 SIGKILLs: 250 on each protocol (each report is ok only when all 250 happened); the
# day has customers enough for the kills, and grows if it ends before the last one.
SOAK_KILLS ?= 250
soak: $(STAMP)
	$(BIN)/kiosk simulate --customers 2000 --faults all --ledger embedded --seed $${SEED:-1} --report soak-report.json
	for p in ccnet id003 ssp essp; do $(BIN)/kiosk simulate --customers 1500 --faults all --sigkill $(SOAK_KILLS) --protocol $$p --seed $${SEED:-1} --report soak-sigkill-$$p.json || exit 1; done

# Coverage-guided fuzzing (atheris) of every parser of outside input: FUZZ_SECONDS per target.
fuzz: $(STAMP)
	$(BIN)/python -m fuzz.run --seconds $${FUZZ_SECONDS:-60}

bench: $(STAMP)
	$(BIN)/python bench/core.py
	$(BIN)/python bench/acceptor.py --quick
	$(BIN)/python bench/receipt.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/simulate.py
	$(BIN)/python bench/ui.py

# The kiosk wheel (catalogues compiled in) in build/wheel; wheel-check also installs and runs it.
wheel: $(STAMP)
	rm -rf build/lib build/wheel
	$(BIN)/python -m pip wheel --quiet --no-deps -w build/wheel .
	@ls build/wheel/*.whl

wheel-check:
	.ci/wheel-check

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
