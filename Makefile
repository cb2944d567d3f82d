# The two commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
STAMP := $(VENV)/.installed

.PHONY: demo test install lint test-sqlite test-postgres clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	PORT=$(PORT) $(BIN)/qiangji demo

lint: install
	$(BIN)/ruff check qiangji
	$(BIN)/qiangji makemigrations --check --dry-run -v0

test-sqlite: install
	$(BIN)/pytest -n 2 -p no:warnings --create-db

test-postgres: install
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL leg: $(PG_URL)"; \
		QIANGJI_DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -p no:warnings --create-db; \
	else echo "== PostgreSQL not reachable at $(PG_URL): PostgreSQL leg skipped"; fi

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var/cache
