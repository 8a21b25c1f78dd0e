"""The JSON Schema files in ``schemas/``, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from summarizer.inputs import ArticleInput
from summarizer.schema import Analysis, BatchRecord


def schemas() -> dict[str, type[BaseModel]]:
    from summarizer.evaluation.fixtures import Fixture
    from summarizer.storylines.schema import Storylines

    return {
        "analysis.schema.json": Analysis,
        "article-input.schema.json": ArticleInput,
        "batch-record.schema.json": BatchRecord,
        "fixture.schema.json": Fixture,
        "storylines.schema.json": Storylines,
    }


def render_schema(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in schemas().items():
        path = folder / name
        path.write_text(render_schema(model), encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(folder: Path) -> list[str]:
    """Names of the schema files that are missing or differ from the models."""
    return [
        name
        for name, model in schemas().items()
        if not (folder / name).is_file()
        or (folder / name).read_text(encoding="utf-8") != render_schema(model)
    ]
