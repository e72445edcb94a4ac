# The project's front door. Every target creates .venv and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench simulate soak translations screenshots clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP) translations
	$(BIN)/kiosk demo

translations: $(STAMP)
	for l in kk ru en; do $(BIN)/pyside6-lrelease -silent ui/i18n/$$l.ts -qm ui/i18n/$$l.qm; done

screenshots: $(STAMP) translations
	$(BIN)/kiosk screenshots --out screenshots

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy kiosk drivers

simulate: $(STAMP)
	$(BIN)/kiosk simulate --customers 200 --seed 7 --report simulate-report.json

soak: $(STAMP)
	$(BIN)/kiosk simulate --customers 2000 --faults all --ledger embedded --seed $${SEED:-1} --report soak-report.json
	for p in ccnet id003 ssp essp; do $(BIN)/kiosk simulate --customers 300 --faults all --sigkill 30 --protocol $$p --seed $${SEED:-1} --report soak-sigkill-$$p.json || exit 1; done

bench: $(STAMP)
	$(BIN)/python bench/core.py
	$(BIN)/python bench/acceptor.py --quick
	$(BIN)/python bench/receipt.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/simulate.py
	$(BIN)/python bench/ui.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
