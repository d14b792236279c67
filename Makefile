# fazhi — two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run dev test test-fast lint bench vendor lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## make run: venv, dependencies, migrations, demo accounts (DEBUG), shared data, index, server
run: install
	$(BIN)/fazhi migrate --noinput
	$(BIN)/fazhi data ensure
	$(BIN)/fazhi demo setup
	$(BIN)/fazhi collectstatic --noinput -v0
	PORT=$(PORT) $(BIN)/fazhi serve --port $(PORT)

## make dev: Django's auto-reloading development server
dev: install
	$(BIN)/fazhi migrate --noinput
	$(BIN)/fazhi runserver 127.0.0.1:$(PORT)

## make test: the whole suite (DATABASE_URL picks the database; default SQLite)
test: install
	$(BIN)/pytest -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy src

## make bench: search quality and latency benchmarks (needs `make run` data)
bench: install
	$(BIN)/python bench/run_all.py

## make vendor: refresh front-end libraries from the npm registry into static/vendor
vendor:
	rm -rf /tmp/fazhi-vendor && mkdir -p /tmp/fazhi-vendor
	cd /tmp/fazhi-vendor && npm init -y >/dev/null && npm install --silent htmx.org@2.0.11 echarts@5.6.0 axe-core@4.14.1
	cp /tmp/fazhi-vendor/node_modules/htmx.org/dist/htmx.min.js /tmp/fazhi-vendor/node_modules/echarts/dist/echarts.min.js static/vendor/
	cp /tmp/fazhi-vendor/node_modules/axe-core/axe.min.js tests/browser/

## make lock: re-pin the whole dependency tree after changing pyproject.toml
lock:
	rm -rf /tmp/fazhi-lock && $(PYTHON) -m venv /tmp/fazhi-lock
	/tmp/fazhi-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/fazhi-lock/bin/pip freeze --exclude-editable | grep -v '^fazhi' > requirements.lock

clean:
	rm -rf $(VENV) var
