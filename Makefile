# The two commands: `make demo` and `make test` (see README.md).
#
#   make demo   .venv, install, migrate SQLite, load the county demo data once, serve on
#               http://127.0.0.1:$(PORT) and print the demo accounts (Ctrl-C stops it).
#   make test   ruff, the import contracts (lint-imports), mypy, `makemigrations --check`, pytest on
#               SQLite, then pytest on PostgreSQL at $(PG_URL) when it is reachable; with
#               REQUIRE_POSTGRES=1 (CI) an unreachable PostgreSQL is a failure. PYTEST_ARGS narrows
#               both legs, e.g. PYTEST_ARGS=qiangji/orgs.
#
# Needs only Python 3.11+ and the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
REQUIRE_POSTGRES ?=
STAMP := $(VENV)/.installed

.PHONY: demo test install lint test-sqlite test-postgres _postgres-leg generate-province clean fuzz faults

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "需要 Python 3.11 或更新版本（当前：$$($(PYTHON) --version 2>&1)）；可用 make PYTHON=python3.12 …"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	PORT=$(PORT) $(BIN)/qiangji demo

# The kernel and the services packages are type-checked (mypy with django-stubs; config in pyproject.toml).
MYPY_PATHS ?= qiangji/core $(wildcard qiangji/*/services)

lint: install
	$(BIN)/ruff check qiangji
	$(BIN)/ruff format --check qiangji
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy $(MYPY_PATHS)
	$(BIN)/qiangji makemigrations --check --dry-run -v1

# pytest exits 5 when it collected nothing: fine for a narrowed run (PYTEST_ARGS), a failure for
# the whole suite, where it means the tests went missing.
define pytest_leg
	@set +e; $(1) $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:warnings --create-db $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ] && [ -n "$(strip $(PYTEST_ARGS))" ]; then echo "== no tests matched PYTEST_ARGS"; rc=0; \
	elif [ $$rc -eq 5 ]; then echo "== pytest collected no tests: the suite is missing"; fi; exit $$rc
endef

test-sqlite: install
	@echo "== SQLite leg"
	$(call pytest_leg,)

test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL leg: $(PG_URL)"; \
		$(MAKE) --no-print-directory _postgres-leg; \
	elif [ -n "$(REQUIRE_POSTGRES)" ]; then \
		echo "== PostgreSQL is not reachable at $(PG_URL) and REQUIRE_POSTGRES is set: failing"; exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_URL): PostgreSQL leg skipped (REQUIRE_POSTGRES=1 makes this fail)"; fi

_postgres-leg:
	$(call pytest_leg,QIANGJI_DATABASE_URL=$(PG_URL))

test: lint test-sqlite test-postgres

# The longer schemathesis pass (issue #13 item 1): the bounded pass of `make test`
# (qiangji/core/tests/test_api_fuzz.py) with FUZZ_EXAMPLES examples per operation, every case sent
# counted in var/fuzz-cases.log; fails on any server error or schema violation, and when fewer than
# FUZZ_MIN_CASES cases were sent. About 15-20 minutes on 2 cores (12,691 cases with 40 examples).
# On PostgreSQL: make fuzz QIANGJI_DATABASE_URL=$(PG_URL).
FUZZ_EXAMPLES ?= 40
FUZZ_MIN_CASES ?= 10000
FUZZ_LOG := var/fuzz-cases.log
fuzz: install
	@mkdir -p var && rm -f $(FUZZ_LOG)
	QIANGJI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) QIANGJI_FUZZ_LOG=$(CURDIR)/$(FUZZ_LOG) \
		$(BIN)/pytest qiangji/core/tests/test_api_fuzz.py -q -n $(PYTEST_WORKERS) -p no:warnings --create-db
	@cases=$$(wc -l < $(FUZZ_LOG)); ops=$$(cut -d' ' -f1,2 $(FUZZ_LOG) | sort -u | wc -l); \
	errors=$$(grep -c ' 5[0-9][0-9]$$' $(FUZZ_LOG)); \
	echo "== fuzz: $$cases cases over $$ops method/path pairs, $$errors server errors"; \
	if [ $$cases -lt $(FUZZ_MIN_CASES) ]; then \
		echo "== fewer than $(FUZZ_MIN_CASES) cases: raise FUZZ_EXAMPLES"; exit 1; fi

# Faults injected into scratch deployments, outcomes asserted (issue #13; qiangji/tooling/faults/run.py):
# kill -9 of a job worker mid-import, PostgreSQL unreachable under the running app, Redis down.
faults: install
	QIANGJI_FAULTS_PG=$(PG_URL) $(BIN)/python -m qiangji.tooling.faults.run

# The province-scale data set (PostgreSQL only; ~150,000 organisations, 3 million members and every
# module's history) in its own database, created when missing, then ANALYZEd. On a database that
# already has the organisations and members: `qiangji generate --scale province --history`.
# See docs/performance.md ("Province data set") for the time and size it takes.
PROVINCE_DB ?= qiangji_province
generate-province: install
	$(BIN)/python -c "import psycopg; c = psycopg.connect('$(PG_URL)', autocommit=True); \
		c.execute('CREATE DATABASE $(PROVINCE_DB)') if not c.execute('SELECT 1 FROM pg_database WHERE datname = %s', \
		['$(PROVINCE_DB)']).fetchone() else None"
	QIANGJI_DATABASE_URL=$(dir $(PG_URL))$(PROVINCE_DB) $(BIN)/qiangji migrate -v0
	QIANGJI_DATABASE_URL=$(dir $(PG_URL))$(PROVINCE_DB) $(BIN)/qiangji generate --scale province --seed 1
	$(BIN)/python -c "import psycopg; psycopg.connect('$(dir $(PG_URL))$(PROVINCE_DB)', autocommit=True).execute('ANALYZE')"

clean:
	rm -rf $(VENV) var/cache
