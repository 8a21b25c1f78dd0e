# The two set-up commands: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DATA ?= ../shared/data
# Dataset evals in CI take this many articles per dataset (the whole dev sets take hours
# with the embedded model on 2 cores).
CI_LIMIT ?= 3

.PHONY: run test lint browser schemas eval eval-datasets eval-strategies meta eval-ci bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Analyse the reference article with the embedded model and print the result.
run: $(STAMP)
	$(BIN)/summarizer analyze examples/seed_article.txt

## Lint, type-check and run the whole test suite (slow tests included).
test: lint browser
	$(BIN)/pytest

# The page tests open the HTML reports in Debian's headless chromium: installed here when
# missing (as root, from Debian's packages); without it they are skipped outside CI.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get install -y -q chromium chromium-driver >/dev/null \
			|| (apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null); \
		else echo "chromium and chromium-driver are missing: the page tests will be skipped"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check summarizer tests scripts
	$(BIN)/ruff format --check summarizer tests scripts
	$(BIN)/mypy summarizer

## The fixture eval with the embedded model: our pipeline against Lead-3 and both naive
## prompts, every fixture (tables: `summarizer eval table runs/fixtures --half report`).
eval: $(STAMP)
	$(BIN)/summarizer eval evals/fixtures --out runs/fixtures

## The README's figures on the public datasets: their reporting halves, and the
## meta-evaluation of our scorers.
eval-datasets: $(STAMP)
	$(BIN)/summarizer eval --dataset summeval $(DATA) --half report --out runs/summeval
	$(BIN)/summarizer eval --dataset fnc1 $(DATA) --half report --out runs/fnc1
	$(BIN)/summarizer eval --dataset fnc1-natural $(DATA) --half report --systems pipeline,lead3,rules,constant:agree,constant:disagree,constant:discuss,constant:unrelated,gate:agree,gate:disagree,gate:discuss --out runs/fnc1-natural
	$(BIN)/summarizer eval --dataset casie $(DATA) --half report --out runs/casie
	$(BIN)/summarizer eval --dataset ecbplus-topics $(DATA) --half report --systems rules --out runs/ecbplus-topics
	$(BIN)/summarizer eval meta $(DATA)

## How defaults are chosen: every quality option as a pipeline variant, with the
## baselines, on the tuning half of the fixtures and of CASIE (variants that only change
## what is done with the answers are answered from the call cache).
# The event options act on the model's events, so those variants use extractor=model.
VARIANTS := pipeline,pipeline:summary=extractive,pipeline:summary=abstractive,pipeline:headline_guard=false,pipeline:strategy=combined,pipeline:extractor=model,pipeline:extractor=model:candidates=true,pipeline:extractor=model:grounded_fields=true,pipeline:extractor=model:verify=true,rules
eval-strategies: $(STAMP)
	$(BIN)/summarizer eval evals/fixtures --half tune --systems "$(VARIANTS),pipeline:examples=true,pipeline:repeat_penalty=1.0,naive-bounded,lead3" --out runs/tune-fixtures
	$(BIN)/summarizer eval --dataset casie $(DATA) --half tune --systems "$(VARIANTS),naive-bounded,lead3" --out runs/tune-casie

meta: $(STAMP)
	$(BIN)/summarizer eval meta $(DATA)

## CI: every fixture with the embedded model, gated against the committed reference run
## (a failed or missing item, a significant drop on any quality metric, or a changed
## setting or prompt fails it) and against floors (every item schema-valid, every span
## exact, sentence splits agreeing with the hand splits of the world-news fixtures); then a few articles of each dataset when the data folder
## is there, failing on any failed item; and the storylines of ECB+ topics (no model
## call), failing below their floors.
# The gate compares only our pipeline, so CI skips the naive baselines (3-4 times slower
# per article than the pipeline on the embedded model); `make eval` runs them all.
eval-ci: $(STAMP)
	rm -rf runs/ci-fixtures
	$(BIN)/summarizer eval evals/fixtures --systems pipeline,lead3 --out runs/ci-fixtures --no-cache --quiet --fail-under valid_rate=1 --fail-under evidence_exact=1 --fail-under split_f1=0.95
	$(BIN)/summarizer eval compare evals/reference/fixtures runs/ci-fixtures
	@if [ -d "$(DATA)" ]; then \
		for d in summeval fnc1 fnc1-natural casie; do \
			$(BIN)/summarizer eval --dataset $$d $(DATA) --limit $(CI_LIMIT) --systems pipeline,lead3 --out runs/ci-$$d --no-cache --quiet --fail-under valid_rate=1 || exit 1; \
		done; \
		$(BIN)/summarizer eval meta $(DATA); \
		$(BIN)/summarizer eval --dataset ecbplus-topics $(DATA) --half report --systems rules --out runs/ci-ecbplus-topics --fail-under stories_conll_f1=0.9 --fail-under events_gold_conll_f1=0.75 > /dev/null || exit 1; \
	else echo "no data folder at $(DATA): dataset evals skipped"; fi

## Benchmarks (speed, tokens, throughput, memory): ratios measured side by side in one run.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py

## Regenerate schemas/ from the pydantic models.
schemas: $(STAMP)
	$(BIN)/summarizer schema

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
