# Newsroom: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1:8000
# The audit tools' npm packages (Nu Html Checker, axe-core, Lighthouse), installed like the venv.
AUDIT_TOOLS := audit/node_modules/.installed

.PHONY: run test lint format audit bench clean

$(BIN)/.installed-app: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed: $(BIN)/.installed-app requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(AUDIT_TOOLS): audit/package-lock.json
	@if command -v npm >/dev/null; then \
		echo "cd audit && npm ci --no-audit --no-fund --loglevel=error"; \
		cd audit && npm ci --no-audit --no-fund --loglevel=error && touch ../$@; \
	else \
		echo "npm is missing: the Nu Html Checker and axe-core tests will skip (apt-get install -y npm)"; \
	fi

.env:
	sed "s|^SECRET_KEY=.*|SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')|" .env.example > .env

run: $(BIN)/.installed-app .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(HOST)

test: $(BIN)/.installed $(AUDIT_TOOLS) .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	DEBUG=False SECRET_KEY=check-deploy-$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		SECURE_SSL_REDIRECT=True SECURE_HSTS_SECONDS=31536000 CACHE_URL=redis://127.0.0.1:6379/0 \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The web's own checkers (Nu Html Checker, axe-core, Lighthouse) on a production-like server.
audit: $(BIN)/.installed .env
	bash audit/run

# Throughput and latency with wrk against gunicorn + PostgreSQL + the cache, written to bench/results/.
bench: $(BIN)/.installed .env
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles
