# The two commands: `make site` builds the public site, `make test` runs the tests.
# `make bench` compares photo renditions with pelican-image-process (BENCH_PHOTOS=50), then the
# whole publish with plain Pelican at 1,000 and 10,000 articles; `make bench N=1000` runs only
# the site benchmark at that size (BENCH_REPEAT=3 runs of each measurement).
# Both install everything they need into .venv (and Debian packages for the tests).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages that the tests use: a real browser, and the fonts of the placeholder photo.
DEBIAN_PACKAGES := chromium fonts-dejavu-core
PYTEST_ARGS ?= -n 2
# The benchmark's rival, pelican-image-process, lives in its own virtualenv so its pins stay apart.
BENCH_VENV := .cache/bench-venv
BENCH_PHOTOS ?= 50
BENCH_REPEAT ?= 3
N ?=

.PHONY: site test serve preview lint format system-packages clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# A sample editor approves the sample articles through the real commands, then publishes.
site: $(STAMP)
	$(BIN)/python tools/approve_samples.py

preview: $(STAMP)
	$(BIN)/pelican content -s pelicanconf.py

serve:
	@test -e output || { echo "Chưa có output/: hãy chạy 'make site' trước."; exit 2; }
	$(PYTHON) -m http.server --directory output --bind 127.0.0.1 8000

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test: system-packages $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(BENCH_VENV)/.installed:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet pelican-image-process markdown
	touch $@

ifeq ($(N),)
bench: $(STAMP) $(BENCH_VENV)/.installed
	$(BIN)/python benchmarks/photos_bench.py --photos $(BENCH_PHOTOS)
	$(BIN)/python benchmarks/site_bench.py --repeat $(BENCH_REPEAT)
else
bench: $(STAMP)
	$(BIN)/python benchmarks/site_bench.py --articles $(N) --repeat $(BENCH_REPEAT)
endif

clean:
	rm -rf preview releases output .pytest_cache .preview-* .building-preview-*
