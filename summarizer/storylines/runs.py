"""Storylines runs on files and in memory: a first run, and updates of it.

A run writes two files: the storylines JSON, and its state (``FILE.state``, :mod:`.store`)
that an update reads. Both are written to temporary files and renamed into place only
when everything has succeeded, so a failed or interrupted run never leaves a file
half-written; a storylines file and its state carry the same token, so an update never
reads a state that belongs to another file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from summarizer.errors import InputError
from summarizer.schema import Analysis
from summarizer.storylines.digest import Digest, digest
from summarizer.storylines.records import check_one_model, read_records
from summarizer.storylines.schema import MergedStory, Story, Storylines, StorylinesMetadata
from summarizer.storylines.store import StoryStore, state_path
from summarizer.storylines.stories import StorySettings, Tokens
from summarizer.storylines.update import Change, add_articles, new_token


def build_storylines(
    analyses: Sequence[tuple[str, Analysis]],
    *,
    skipped: int = 0,
    settings: StorySettings | None = None,
) -> Storylines:
    """Group ``(id, analysis)`` pairs into stories and merge their events (in memory;
    ``skipped`` counts the records the caller could not use, for the metadata)."""
    started = time.perf_counter()
    if not analyses:
        raise InputError("no analyses to group into storylines")
    _unique([i for i, _ in analyses])
    model = check_one_model(list(analyses))
    found = [digest(i, a) for i, a in analyses]
    return _in_memory(found, model, skipped, settings, started)


def storylines_from_file(path: Path | str, settings: StorySettings | None = None) -> Storylines:
    """The storylines of a batch run's records file (failed records skipped and
    counted), in memory: :func:`write_storylines` writes them with their state."""
    started = time.perf_counter()
    found = read_records(Path(path))
    _unique([d.id for d, _ in found.digests])
    return _in_memory(found.digests, found.model, found.skipped, settings, started)


def _in_memory(
    found: list[tuple[Digest, Tokens]],
    model: str | None,
    skipped: int,
    settings: StorySettings | None,
    started: float,
) -> Storylines:
    store = StoryStore()
    try:
        add_articles(store, found, _start(store, settings or StorySettings(), model))
        _count(store, skipped, started)
        return assemble(store)
    finally:
        store.close()


def write_storylines(
    records: Path | str, output: Path | str, settings: StorySettings | None = None
) -> Change:
    """A first run: the storylines of a records file, written to ``output`` and its
    state beside it (``output``.state)."""
    started = time.perf_counter()
    records, output = Path(records), Path(output)
    found = read_records(records)
    _unique([d.id for d, _ in found.digests])
    with _replacing(state_path(output)) as state:
        store = StoryStore(state, create=True)
        try:
            chosen = _start(store, settings or StorySettings(), found.model)
            change = add_articles(store, found.digests, chosen)
            _count(store, found.skipped, started)
            _export(store, output)
        finally:
            store.close()
    return change


def update_storylines(
    storylines: Path | str, records: Path | str, output: Path | str | None = None
) -> Change:
    """Add the analyses of ``records`` to the storylines file ``storylines`` and its
    state, writing the result to ``output`` (default: in place). Articles already
    held are skipped and counted."""
    started = time.perf_counter()
    storylines, records = Path(storylines), Path(records)
    output = Path(output) if output is not None else storylines
    if not storylines.is_file():
        raise InputError(f"storylines file not found: {storylines}")
    token = _token(storylines)
    found = read_records(records)
    _unique([d.id for d, _ in found.digests])
    source = state_path(storylines)
    # In place, the update is one SQLite transaction (rolled back if it fails);
    # elsewhere, a copy of the state is updated, and the original is left alone.
    with _replacing(state_path(output), copy_of=source, in_place=output == storylines) as state:
        store = StoryStore(state)
        try:
            _owned(store, token, source, storylines)
            model = store.meta("model")
            if found.model != model:
                raise InputError(
                    f"{records} holds analyses of {found.model}, the storylines are of "
                    f"{model}: group one model's analyses at a time"
                )
            settings = StorySettings(**store.meta("settings"))
            change = add_articles(store, found.digests, settings)
            store.set_meta("updates", int(store.meta("updates") or 0) + 1)
            _count(store, int(store.meta("skipped") or 0) + found.skipped, started)
            _export(store, output)
        finally:
            store.close()
    return change


def _owned(store: StoryStore, token: str, source: Path, storylines: Path) -> None:
    """Refuse a state written with another storylines file. A JSON one write behind
    its state (the last run was killed between committing the state and renaming the
    JSON) is its own: the state holds all it says and more, and the update writes the
    JSON again from the state."""
    if token not in (store.meta("token"), store.meta("previous")):
        raise InputError(
            f"{source} does not belong to {storylines} (it was written with another "
            "storylines file): run `summarizer storylines` on all the records again"
        )


def read_storylines(path: Path) -> Storylines:
    try:
        return Storylines.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path} is not a storylines file: {exc}") from exc


def assemble(store: StoryStore) -> Storylines:
    """The storylines held by ``store``."""
    return Storylines(
        metadata=_metadata(store),
        merged=[MergedStory(id=i, merged_into=m) for i, m in store.merged()],
        stories=[Story.model_validate_json(s) for s in store.ordered_stories()],
    )


def _start(store: StoryStore, settings: StorySettings, model: str | None) -> StorySettings:
    store.set_meta("settings", asdict(settings))
    store.set_meta("model", model)
    store.set_meta("updates", 0)
    return settings


def _count(store: StoryStore, skipped: int, started: float) -> None:
    store.set_meta("skipped", skipped)
    store.set_meta("latency_s", round(time.perf_counter() - started, 3))
    # The state is committed just before its JSON is renamed into place: a run killed
    # in between leaves the JSON one write behind, and the update after it must still
    # know that JSON as its own (:func:`_owned`).
    store.set_meta("previous", store.meta("token"))
    store.set_meta("token", new_token())


def _metadata(store: StoryStore) -> StorylinesMetadata:
    settings = StorySettings(**store.meta("settings"))
    return StorylinesMetadata(
        articles=store.count(),
        stories=store.story_count(),
        skipped=int(store.meta("skipped")),
        model=store.meta("model"),
        events=store.event_count(),
        kind_threshold=settings.kind_threshold,
        story_threshold=settings.story_threshold,
        method=settings.method,
        same_story=settings.same_story if settings.method != "similarity" else None,
        updates=int(store.meta("updates")),
        state=store.meta("token"),
        latency_s=store.meta("latency_s"),
    )


def _export(store: StoryStore, output: Path) -> None:
    """Write the storylines JSON, one story a line (a million stories are written as
    they are read), then commit the state: the JSON is renamed into place after."""
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write('{"metadata": ' + _metadata(store).model_dump_json() + ",\n")
            merged = [{"id": i, "merged_into": m} for i, m in store.merged()]
            out.write(' "merged": ' + json.dumps(merged) + ',\n "stories": [')
            for n, story in enumerate(store.ordered_stories()):
                out.write(("\n  " if n == 0 else ",\n  ") + story)
            out.write("\n ]}\n")
            out.flush()
            os.fsync(out.fileno())
        store.db.commit()
        os.replace(name, output)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def storylines_metadata(path: Path) -> StorylinesMetadata:
    """The metadata of a storylines file, from its first line (written first so that a
    million stories need not be read for it), else from the whole file."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            first = handle.readline()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return StorylinesMetadata.model_validate(
            json.loads(first.rstrip().rstrip(",") + "}")["metadata"]
        )
    except (ValueError, KeyError, TypeError):
        return read_storylines(path).metadata


def _token(storylines: Path) -> str:
    token = storylines_metadata(storylines).state
    if token is None:
        raise InputError(
            f"{storylines} has no state to update (written by an older summarizer, or by "
            "the API): run `summarizer storylines` on all the records once"
        )
    return token


@contextmanager
def _replacing(path: Path, copy_of: Path | None = None, in_place: bool = False) -> Iterator[Path]:
    """A temporary file beside ``path`` (a copy of ``copy_of``) that replaces it if the
    block succeeds, and is removed if it fails; ``in_place``: ``path`` itself."""
    if in_place:
        if not path.is_file():
            raise InputError(
                f"no state for these storylines ({path} is missing): run "
                "`summarizer storylines` on all the records once"
            )
        yield path
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        if copy_of is not None:
            if not copy_of.is_file():
                raise InputError(
                    f"no state for these storylines ({copy_of} is missing): run "
                    "`summarizer storylines` on all the records once"
                )
            _copy_state(copy_of, temporary)
        else:
            temporary.unlink()
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _copy_state(source: Path, target: Path) -> None:
    try:
        with sqlite3.connect(str(source)) as a, sqlite3.connect(str(target)) as b:
            a.backup(b)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{source} is not a storylines state: {exc}") from exc


def _unique(ids: list[str]) -> None:
    if len(set(ids)) != len(ids):
        twice = next(i for i, n in Counter(ids).items() if n > 1)
        raise InputError(f"article id {twice!r} occurs twice")
