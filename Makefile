# Every target sets up what it needs: a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PORT ?= 8000

.PHONY: run test test-moved-clock lint fmt typecheck bench lighthouse browser pdf-libraries readme clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: set up and serve the app at http://127.0.0.1:$(PORT) on the embedded SQLite database
run: $(STAMP) pdf-libraries
	$(BIN)/hipcoach serve --port $(PORT)

## browser: Debian's Chromium for the browser tests (Playwright cannot download its own here)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

## pdf-libraries: what WeasyPrint prints the handout with (Pango, HarfBuzz's subsetter, a font), from Debian
PDF_LIBRARIES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libraries:
	@missing=$$(for package in $(PDF_LIBRARIES); do dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'install ok installed' || echo $$package; done); \
	  [ -z "$$missing" ] || { echo "Installing what the handout PDF needs: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; }

## test: set up, check style and types, and run every test (core, web, CLI, browser)
test: $(STAMP) browser pdf-libraries lint typecheck
	$(BIN)/pytest $(PYTEST_ARGS)

## test-moved-clock: the tests that read the clock (web and terminal), again with the clock held at the next DST
## change (01:30 UTC on the last Sunday of March, server in Europe/London), 29 February and 31 December 23:59
# Not the backup's tests: the servers they start run in processes of their own, on the real clock.
MOVED_CLOCK_TESTS := tests/web $(filter-out tests/test_cli_backup.py,$(wildcard tests/test_cli_*.py))
test-moved-clock: $(STAMP)
	$(BIN)/python scripts/moved_clocks.py > .moved-clocks
	while read -r name zone instant; do \
	  echo "== $$name: clock held at $$instant, server time zone $$zone"; \
	  TIME_ZONE=$$zone $(BIN)/pytest -q --clock=$$instant $(MOVED_CLOCK_TESTS) || { rm -f .moved-clocks; exit 1; }; \
	done < .moved-clocks
	rm -f .moved-clocks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: measure the planner and the week as a whole, then the app's pages on SQLite and on PostgreSQL, and write bench/RESULTS.md
BENCH_DATABASE := hipcoach_bench
BENCH_PG := -h 127.0.0.1 -U postgres
bench: $(STAMP)
	$(BIN)/python bench/bench_planner.py | tee bench/RESULTS.md
	$(BIN)/python bench/bench_week.py | tee -a bench/RESULTS.md
	$(BIN)/python bench/bench_app.py | tee -a bench/RESULTS.md
	dropdb $(BENCH_PG) --if-exists $(BENCH_DATABASE) && createdb $(BENCH_PG) $(BENCH_DATABASE)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DATABASE) $(BIN)/python bench/bench_app.py > bench/.postgres.md; \
	  status=$$?; tee -a bench/RESULTS.md < bench/.postgres.md; rm -f bench/.postgres.md; \
	  dropdb $(BENCH_PG) --if-exists $(BENCH_DATABASE); exit $$status

## lighthouse: Lighthouse's mobile scores for the home page, a drill page and the player, on a server of its own, into bench/LIGHTHOUSE.md
LIGHTHOUSE_PORT := 8791
lighthouse: $(STAMP) browser
	rm -rf .data/lighthouse && mkdir -p .data/lighthouse
	HIPCOACH_DATA_DIR=.data/lighthouse $(BIN)/hipcoach serve --port $(LIGHTHOUSE_PORT) > .data/lighthouse/serve.log 2>&1 & \
	  server=$$!; for _ in $$(seq 60); do curl -sf -o /dev/null http://127.0.0.1:$(LIGHTHOUSE_PORT)/ && break; sleep 1; done; \
	  { echo '# Lighthouse (mobile)'; echo; echo 'Measured by `make lighthouse` (scripts/lighthouse.py); the bar is 95.'; echo; echo '```'; \
	    $(BIN)/python scripts/lighthouse.py http://127.0.0.1:$(LIGHTHOUSE_PORT); status=$$?; echo '```'; } > bench/LIGHTHOUSE.md; \
	  kill $$server; cat bench/LIGHTHOUSE.md; exit $${status:-1}

## readme: regenerate the README's vocabulary section from the code
readme: $(STAMP)
	$(BIN)/python scripts/update_readme.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info test-artifacts
