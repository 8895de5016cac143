# Two commands for a newcomer: `make run` and `make test`. Everything they need
# (virtual environment, locked dependencies, CSS) is built on first use and
# reused afterwards.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV := DJANGO_DEBUG=1

.PHONY: run test check lint format lock bench css install clean

$(BIN)/.installed: requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/css/main.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build:css

install: $(BIN)/.installed node_modules/.installed
css: static/css/main.css

run: install css
	$(DEV) $(BIN)/python manage.py migrate --no-input -v 0
	$(DEV) $(BIN)/python manage.py load_content
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL names one. It runs
# on TEST_WORKERS processes (pytest-xdist), each with its own test database; tests that
# share servers started once for their module (marked xdist_group) stay on one worker.
TEST_WORKERS ?= 2
test: install css
	$(DEV) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

check: install
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV) DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run

# Re-pin the locks after editing pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -o requirements.txt --python-version 3.11 --no-header -q
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements-dev.txt --python-version 3.11 --no-header -q

bench: install css
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules static/css staticfiles db.sqlite3
