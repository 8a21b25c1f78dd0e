# The two set-up commands: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint schemas clean

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
	$(BIN)/ruff check summarizer tests
	$(BIN)/ruff format --check summarizer tests
	$(BIN)/mypy summarizer

## Regenerate schemas/ from the pydantic models.
schemas: $(STAMP)
	$(BIN)/summarizer schema

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
