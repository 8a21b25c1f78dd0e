"""A storylines run's state, kept next to its JSON so that the run can be updated.

One SQLite file (the standard library's; one file, transactions, and rows read by key,
so an update reads only what it touches):

- ``articles``: each article in the order it came, its story, publication day, tokens
  and digest (:mod:`.digest`), compressed;
- ``frequencies``: how many articles have each token (``family:token``), for TF-IDF;
- ``keys``: each article's rarest tokens, to find the articles a new one may join;
- ``stories``: each story's JSON, as the storylines file carries it;
- ``merged``: ids of stories merged into another, and which, so that links still lead
  somewhere;
- ``meta``: settings, model, counts, and the token of the JSON this state belongs to.

Everything an update changes is one transaction: an update that fails leaves the state
as it was.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from summarizer.errors import InputError
from summarizer.storylines.digest import Digest
from summarizer.storylines.stories import WEIGHTED, Tokens

STATE_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    serial INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, story TEXT NOT NULL,
    published INTEGER, tokens BLOB NOT NULL, digest BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS articles_story ON articles (story);
CREATE TABLE IF NOT EXISTS frequencies (token TEXT PRIMARY KEY, df INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keys (token TEXT NOT NULL, serial INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS keys_token ON keys (token);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY, size INTEGER NOT NULL, first INTEGER NOT NULL,
    events INTEGER NOT NULL, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS stories_order ON stories (size DESC, first);
CREATE TABLE IF NOT EXISTS merged (id TEXT PRIMARY KEY, merged_into TEXT NOT NULL);
"""
# SQLite takes at most this many parameters in one statement (999 in old builds).
_BATCH = 900


def state_path(storylines: Path) -> Path:
    """Where the state of the storylines file ``storylines`` is kept."""
    return storylines.with_name(storylines.name + ".state")


class StoryStore:
    """The state of one storylines run (``path`` None: in memory, for the API)."""

    def __init__(self, path: Path | None = None, *, create: bool = False) -> None:
        if path is not None and not create and not path.is_file():
            raise InputError(
                f"no state for these storylines ({path} is missing): they were written "
                "before updates existed or the file was moved alone; run "
                "`summarizer storylines` on all the records once"
            )
        self.path = path
        self.db = sqlite3.connect(":memory:" if path is None else str(path))
        try:
            self.db.executescript(_SCHEMA)
            version = self.meta("version")
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{path} is not a storylines state: {exc}") from exc
        if version is None:
            self.set_meta("version", STATE_VERSION)
        elif version != STATE_VERSION:
            raise InputError(
                f"{path} is the state of another version of summarizer (state version "
                f"{version}, this one reads {STATE_VERSION}): run `summarizer storylines` "
                "on all the records again"
            )

    def close(self) -> None:
        self.db.close()

    def _where_in(self, query: str, values: Iterable[Any], *after: Any) -> Iterator[Any]:
        """The rows of ``query``, whose ``{marks}`` is the list of ``values`` (taken a
        part at a time), followed by the parameters ``after``."""
        for part in _parts(list(values)):
            marks = ",".join("?" * len(part))
            yield from self.db.execute(query.format(marks=marks), [*part, *after])

    # --- meta -------------------------------------------------------------------

    def meta(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_meta(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value))
        )

    # --- articles -----------------------------------------------------------------

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def next_serial(self) -> int:
        row = self.db.execute("SELECT MAX(serial) FROM articles").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    def held(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` the state already has."""
        query = "SELECT id FROM articles WHERE id IN ({marks})"
        return {r[0] for r in self._where_in(query, ids)}

    def add_articles(
        self, rows: Iterable[tuple[int, Digest, Tokens, str]], keys: Iterable[tuple[str, int]]
    ) -> None:
        """Store articles (serial, digest, tokens, story) and their key tokens."""
        self.db.executemany(
            "INSERT INTO articles (serial, id, story, published, tokens, digest) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    serial,
                    d.id,
                    story,
                    d.published.toordinal() if d.published else None,
                    _pack(tokens),
                    zlib.compress(d.model_dump_json().encode("utf-8")),
                )
                for serial, d, tokens, story in rows
            ),
        )
        self.db.executemany("INSERT INTO keys (token, serial) VALUES (?, ?)", keys)

    def set_stories(self, stories: dict[int, str]) -> None:
        """Move articles (by serial) to stories."""
        self.db.executemany(
            "UPDATE articles SET story = ? WHERE serial = ?",
            ((story, serial) for serial, story in stories.items()),
        )

    def tokens(self, serials: Sequence[int]) -> dict[int, tuple[Tokens, int | None, str]]:
        """Each article's tokens, publication day (an ordinal) and story."""
        query = "SELECT serial, tokens, published, story FROM articles WHERE serial IN ({marks})"
        return {
            serial: (_unpack(packed), published, story)
            for serial, packed, published, story in self._where_in(query, serials)
        }

    def digests(self, serials: Sequence[int]) -> dict[int, Digest]:
        query = "SELECT serial, digest FROM articles WHERE serial IN ({marks})"
        return {
            serial: Digest.model_validate_json(zlib.decompress(packed))
            for serial, packed in self._where_in(query, serials)
        }

    def members(self, stories: Iterable[str]) -> dict[str, list[int]]:
        """The articles (serials, in order) of each of ``stories``."""
        found: dict[str, list[int]] = {}
        query = "SELECT story, serial FROM articles WHERE story IN ({marks}) ORDER BY serial"
        for story, serial in self._where_in(query, sorted(set(stories))):
            found.setdefault(story, []).append(serial)
        return found

    def story_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM stories ORDER BY first")]

    def all_serials(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT serial FROM articles ORDER BY serial")]

    def ids(self, serials: Sequence[int]) -> dict[int, str]:
        query = "SELECT serial, id FROM articles WHERE serial IN ({marks})"
        return dict(self._where_in(query, serials))

    # --- token frequencies and keys -------------------------------------------

    def add_frequencies(self, tokens: Iterable[Tokens]) -> None:
        counts: Counter[str] = Counter()
        for found in tokens:
            for family in WEIGHTED:
                counts.update(f"{family}:{t}" for t in set(found[family]))
        self.db.executemany(
            "INSERT INTO frequencies (token, df) VALUES (?, ?) "
            "ON CONFLICT (token) DO UPDATE SET df = df + excluded.df",
            counts.items(),
        )

    def frequencies(self, family: str, tokens: Sequence[str]) -> NDArray[np.float64]:
        """How many articles held have each token of ``family`` (0 where none)."""
        keyed = [f"{family}:{t}" for t in tokens]
        query = "SELECT token, df FROM frequencies WHERE token IN ({marks})"
        known: dict[str, int] = dict(self._where_in(query, keyed))
        return np.array([known.get(k, 0) for k in keyed], dtype=np.float64)

    def sharing(self, tokens: Sequence[str], most: int, recent: int) -> Iterator[tuple[str, int]]:
        """(token, serial) of the latest ``recent`` articles held whose keys include
        each of ``tokens``, skipping a token that more than ``most`` articles have (it
        finds no story)."""
        query = (
            "SELECT token, serial FROM (SELECT k.token, k.serial, ROW_NUMBER() OVER "
            "(PARTITION BY k.token ORDER BY k.serial DESC) AS latest FROM keys k JOIN "
            "frequencies f ON f.token = k.token WHERE k.token IN ({marks}) AND f.df <= ?) "
            "WHERE latest <= ?"
        )
        yield from self._where_in(query, sorted(set(tokens)), most, recent)

    # --- stories ----------------------------------------------------------------

    def story_json(self, ids: Iterable[str]) -> dict[str, str]:
        query = "SELECT id, json FROM stories WHERE id IN ({marks})"
        return dict(self._where_in(query, sorted(set(ids))))

    def splits(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The story each of ``ids`` was split from (None if none), read from its JSON
        without the rest of the story: a large story's events take most of an update's
        reading otherwise."""
        return {
            story: _SplitFrom.model_validate_json(found).split_from
            for story, found in self.story_json(ids).items()
        }

    def put_stories(self, rows: Iterable[tuple[str, int, int, int, str]]) -> None:
        """Store stories: (id, size, first serial, events, JSON)."""
        self.db.executemany(
            "INSERT OR REPLACE INTO stories (id, size, first, events, json) VALUES (?, ?, ?, ?, ?)",
            rows,
        )

    def drop_stories(self, ids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM stories WHERE id = ?", ((i,) for i in ids))

    def merge(self, merged: dict[str, str]) -> None:
        """Record stories merged into others (id -> the story it is now part of); a link
        that led to an earlier merged story now leads to the same place."""
        for old, into in merged.items():
            self.db.execute("UPDATE merged SET merged_into = ? WHERE merged_into = ?", (into, old))
            self.db.execute(
                "INSERT OR REPLACE INTO merged (id, merged_into) VALUES (?, ?)", (old, into)
            )
        # A story that was merged away and now stands again is no longer merged.
        self.db.execute("DELETE FROM merged WHERE id IN (SELECT id FROM stories)")

    def ordered_stories(self) -> Iterator[str]:
        """Every story's JSON, larger stories first, then by first article."""
        for (found,) in self.db.execute("SELECT json FROM stories ORDER BY size DESC, first"):
            yield found

    def merged(self) -> list[tuple[str, str]]:
        return self.db.execute("SELECT id, merged_into FROM merged ORDER BY id").fetchall()

    def event_count(self) -> int:
        return int(self.db.execute("SELECT COALESCE(SUM(events), 0) FROM stories").fetchone()[0])

    def story_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0])


class _SplitFrom(BaseModel):
    """Of a story's JSON, only where it was split from (its other fields are skipped)."""

    model_config = ConfigDict(extra="ignore")
    split_from: str | None = None


def _parts(values: Sequence[Any]) -> Iterator[list[Any]]:
    """``values`` in parts small enough for one statement's parameters."""
    items = list(values)
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _pack(tokens: Tokens) -> bytes:
    return zlib.compress(json.dumps(tokens, separators=(",", ":")).encode("utf-8"))


def _unpack(packed: bytes) -> Tokens:
    found: Tokens = json.loads(zlib.decompress(packed))
    return found
