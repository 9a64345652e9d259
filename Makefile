PY := .venv/bin/python

.venv:
	python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'

run: .venv
	$(PY) manage.py migrate && $(PY) manage.py load_demo && { $(PY) manage.py db_worker & } && $(PY) manage.py runserver 127.0.0.1:8000

test: .venv
	.venv/bin/pytest

lint: .venv
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports

migrations-check: .venv
	$(PY) manage.py makemigrations --check --dry-run

.PHONY: run test lint migrations-check
