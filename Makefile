# The two set-up commands: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DATA ?= ../shared/data
# Dataset evals in CI take this many articles per dataset (the whole dev sets take hours
# with the embedded model on 2 cores).
CI_LIMIT ?= 3

.PHONY: run test lint schemas eval eval-datasets eval-strategies meta eval-ci bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Analyse the reference article with the embedded model and print the result.
run: $(STAMP)
	$(BIN)/summarizer analyze examples/seed_article.txt

## Lint, type-check and run the whole test suite (slow tests included).
test: lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check summarizer tests scripts
	$(BIN)/ruff format --check summarizer tests scripts
	$(BIN)/mypy summarizer

## The fixture eval with the embedded model: our pipeline against Lead-3 and a naive prompt.
eval: $(STAMP)
	$(BIN)/summarizer eval evals/fixtures --out runs/fixtures

## The public datasets in $(DATA), where present, and the meta-evaluation of our scorers.
eval-datasets: $(STAMP)
	$(BIN)/summarizer eval --dataset summeval $(DATA) --out runs/summeval
	$(BIN)/summarizer eval --dataset fnc1 $(DATA) --out runs/fnc1
	$(BIN)/summarizer eval --dataset casie $(DATA) --out runs/casie
	$(BIN)/summarizer eval meta $(DATA)

## Issue 6's comparison: every quality option as a pipeline variant, with both baselines,
## on the fixtures and three dev sets (about three hours on 2 cores; variants that only
## change what is done with the answers are answered from the call cache).
X := pipeline:summary=extractive
VARIANTS := pipeline,$(X),pipeline:summary=abstractive,$(X):headline_guard=false,$(X):grounded_fields=true
DEV := pipeline,pipeline:headline_guard=false,pipeline:grounded_fields=true,pipeline:strategy=combined,pipeline:verify=true,lead3,naive
eval-strategies: $(STAMP)
	$(BIN)/summarizer eval evals/fixtures --systems "$(VARIANTS),$(X):examples=true,$(X):strategy=combined,$(X):repeat_penalty=1.0,pipeline:verify=true,lead3,naive" --out runs/strategies-fixtures
	$(BIN)/summarizer eval --dataset summeval $(DATA) --systems "$(VARIANTS),$(X):examples=true,$(X):strategy=combined,lead3,naive" --out runs/strategies-summeval
	$(BIN)/summarizer eval --dataset casie $(DATA) --systems "$(DEV),pipeline:summary=abstractive" --out runs/strategies-casie
	$(BIN)/summarizer eval --dataset fnc1 $(DATA) --systems "$(DEV)" --out runs/strategies-fnc1

meta: $(STAMP)
	$(BIN)/summarizer eval meta $(DATA)

## CI: every fixture with the embedded model, gated against the committed reference run;
## then a few articles of each dataset when the data folder is there.
# The gate compares only our pipeline, so CI skips the naive baseline (3-4 times slower
# per article than the pipeline on the embedded model); `make eval` runs all three.
eval-ci: $(STAMP)
	rm -rf runs/ci-fixtures
	$(BIN)/summarizer eval evals/fixtures --systems pipeline,lead3 --out runs/ci-fixtures --no-cache --quiet
	$(BIN)/summarizer eval compare evals/reference/fixtures runs/ci-fixtures
	@if [ -d "$(DATA)" ]; then \
		for d in summeval fnc1 casie; do \
			$(BIN)/summarizer eval --dataset $$d $(DATA) --limit $(CI_LIMIT) --systems pipeline,lead3 --out runs/ci-$$d --no-cache --quiet || exit 1; \
		done; \
		$(BIN)/summarizer eval meta $(DATA); \
	else echo "no data folder at $(DATA): dataset evals skipped"; fi

## Benchmarks (speed, tokens, throughput, memory): ratios measured side by side in one run.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py

## Regenerate schemas/ from the pydantic models.
schemas: $(STAMP)
	$(BIN)/summarizer schema

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
