"""Entries written since a moment: what a review has not seen yet, whenever it happened.

An agenda covers the entries of its window and those recorded or changed after the last
meeting, however long before it they happened. Reading every month for those would make
an agenda cost the whole journal. A month file's modification time says whether it was
written since; of those, the month's recorded newest change (`stamps.py`, written in the
same commit as the month) says whether anything in it changed since, so a journal
imported in one go after its meetings costs one small read, not every month. Only a
month without a trusted stamp (written by an older reflect, restored by a repair) is
scanned for its newest stamp. The facade reaches this through
`Journal.changed_dicts(after, before)`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from reflect.store import stamps
from reflect.store.engine import Doc, Engine, aware
from reflect.store.storage import CorruptFile, read_bytes

# File systems keep modification times coarsely (FAT: 2 s); read a month written a little
# before `after` too: the stamps inside decide.
SLACK_SECONDS = 5.0


def changed_months(engine: Engine, after: datetime, before: datetime) -> list[tuple[str, bool]]:
    """The months up to `before`'s whose files were written after `after` (give or take
    SLACK_SECONDS) and whose recorded newest change, where the stamp describes the file
    on disk, is not before `after`; oldest first, each with whether its stamp told."""
    after_a = aware(after)
    assert after_a is not None
    limit = after_a.timestamp() - SLACK_SECONDS
    last = aware(before).astimezone(timezone.utc).strftime("%Y-%m")  # type: ignore[union-attr]
    recorded: stamps.Stamps | None = None
    out = []
    for month in engine.months():
        if month > last:
            continue
        try:
            info = os.stat(engine.layout.month(month))
        except FileNotFoundError:
            continue
        if info.st_mtime < limit:
            continue
        if recorded is None:
            recorded = stamps.read(engine.layout)
        newest = stamps.newest_of(recorded, month, info)
        if newest is not None and newest < after_a:
            continue  # written since, but nothing in it changed since (the stamp says so)
        out.append((month, newest is not None))
    return out


_UPDATED = re.compile(rb'"updated":"([^"\\]{10,40})"')
_OCCURRED = re.compile(rb'"occurred":"')


def _newest_stamp(path: Path) -> datetime | None:
    """The newest `updated` stamp in a month file, read from its bytes without parsing
    the entries (a quote inside a JSON string is escaped, so the pattern meets keys
    only); None when it cannot tell (an entry without the stamp, a stamp unread), and
    then the month is read in full. Stamps with one UTC offset sort as text; each
    offset's newest is parsed."""
    try:
        raw = read_bytes(path)
    except (OSError, CorruptFile):
        return None
    if raw is None:
        return None
    stamps = _UPDATED.findall(raw)
    if len(stamps) != len(_OCCURRED.findall(raw)):
        return None
    newest: dict[bytes, bytes] = {}
    for stamp in stamps:
        tail = stamp[-6:]
        if stamp > newest.get(tail, b""):
            newest[tail] = stamp
    try:
        parsed = [datetime.fromisoformat(s.decode("ascii")) for s in newest.values()]
    except (UnicodeDecodeError, ValueError):
        return None
    if any(p.tzinfo is None for p in parsed):
        return None
    return max(parsed, default=datetime.min.replace(tzinfo=timezone.utc))


def changed_dicts(
    engine: Engine, after: datetime, before: datetime, *, skip_damaged: list[Path] | None = None
) -> Iterator[Doc]:
    """Stored entries recorded or changed after `after` (their `updated` stamp, else
    `recorded`) that happened before `before`, month by month, oldest month first. With
    `skip_damaged` (a list), a month file that is missing or does not read is named in it
    and left out; without, it raises."""
    after_a, before_a = aware(after), aware(before)
    assert after_a is not None and before_a is not None
    with engine.gate.reading():
        months = changed_months(engine, after_a, before_a)
    for month, stamped in months:
        with engine.gate.reading():
            if not stamped:
                newest = _newest_stamp(engine.layout.month(month))
                if newest is not None and newest < after_a:
                    continue  # written since (a repair, an older reflect), but nothing in it changed
            try:
                docs = engine.month_docs(month)
            except CorruptFile as exc:
                if skip_damaged is None:
                    raise
                skip_damaged.append(exc.path)
                continue
        for doc in docs:
            stamp = stamps.change_stamp(doc)
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
