"""Entries written since a moment: what a review has not seen yet, whenever it happened.

An agenda covers the entries of its window and those recorded or changed after the last
meeting, however long before it they happened. Reading every month for those would make
an agenda cost the whole journal; a month file's modification time says whether it was
written since, so only those months are read. The facade reaches this through
`Journal.changed_dicts(after, before)`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timezone

from reflect.store.engine import Doc, Engine, aware

# File systems keep modification times coarsely (FAT: 2 s); read a month written a little
# before `after` too: the stamps inside decide.
SLACK_SECONDS = 5.0


def _stamp(doc: Doc) -> datetime | None:
    for key in ("updated", "recorded", "occurred"):
        value = doc.get(key)
        if isinstance(value, str):
            try:
                dt = datetime.fromisoformat(value)
            except ValueError:
                continue
            return dt if dt.tzinfo else dt.astimezone()
    return None


def changed_months(engine: Engine, after: datetime, before: datetime) -> list[str]:
    """The months up to `before`'s whose files were written after `after` (give or take
    SLACK_SECONDS), oldest first."""
    limit = aware(after).timestamp() - SLACK_SECONDS  # type: ignore[union-attr]
    last = aware(before).astimezone(timezone.utc).strftime("%Y-%m")  # type: ignore[union-attr]
    out = []
    for month in engine.months():
        if month > last:
            continue
        try:
            if os.stat(engine.layout.month(month)).st_mtime >= limit:
                out.append(month)
        except FileNotFoundError:
            continue
    return out


def changed_dicts(engine: Engine, after: datetime, before: datetime) -> Iterator[Doc]:
    """Stored entries recorded or changed after `after` (their `updated` stamp, else
    `recorded`) that happened before `before`, month by month, oldest month first."""
    after_a, before_a = aware(after), aware(before)
    assert after_a is not None and before_a is not None
    with engine.gate.reading():
        months = changed_months(engine, after_a, before_a)
    for month in months:
        with engine.gate.reading():
            docs = engine.month_docs(month)
        for doc in docs:
            stamp = _stamp(doc)
            if stamp is None or stamp < after_a:
                continue
            try:
                occurred = datetime.fromisoformat(doc["occurred"])
            except (KeyError, TypeError, ValueError):
                continue
            occurred = occurred if occurred.tzinfo else occurred.astimezone()
            if occurred < before_a:
                yield doc


def stored_dicts(engine: Engine, ids: list[str]) -> dict[str, Doc]:
    """The stored documents of these ids (those that exist), each shard and month read
    once. The facade reaches this through `Journal.entry_dicts_by_id(ids)`."""
    with engine.gate.reading():
        return engine.lookup(ids)
