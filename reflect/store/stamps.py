"""What reflect last wrote to each month file: its newest change, and which file that was.

`stamps.json` maps each month to `[newest, inode, size, mtime_ns]`: the newest change
stamp among its entries (`updated`, else `recorded`, else `occurred`, in UTC) and the
identity of the file written. The engine stages it in the same commit as the months it
describes, so it is crash-safe as they are. Two readers use it:

- the agenda's search for entries changed since the last meeting (`changes.py`) skips a
  month whose newest change is older, without reading it;
- a text search (`browse.py`) whose word is not in a month's text knows the file is the
  one reflect wrote (so not damaged) without parsing it.

A stamp is trusted only while the file on disk is the very file it describes (same
inode, size and modification time): a month written by anything else, restored by
`doctor --repair` or damaged in place has none, and is read as before. The stamps can
save reads, never hide a change or a damaged file. An unreadable stamps file is the same
as none: it is a cache, rebuilt month by month as months are written.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from typing import Any, Iterable

from reflect.paths import Layout
from reflect.store.storage import CorruptFile, read_bytes, write_json

Doc = dict[str, Any]
Stamps = dict[str, list[Any]]
Identity = tuple[int, int, int]

_KEYS = ("updated", "recorded", "occurred")


def change_stamp(doc: Doc) -> datetime | None:
    """When an entry was last recorded or changed: `updated`, else `recorded`, else
    `occurred` (a naive time is local); None when none reads."""
    for key in _KEYS:
        value = doc.get(key)
        if isinstance(value, str):
            try:
                dt = datetime.fromisoformat(value)
            except ValueError:
                continue
            return dt if dt.tzinfo else dt.astimezone()
    return None


def newest_change(docs: Iterable[Doc]) -> str | None:
    """The newest `change_stamp` of these entries, as UTC ISO text; None when one of them
    has none (then nobody can skip the month). Stamps of one length and UTC offset sort
    as text, so only the newest of each such group is parsed."""
    best: dict[tuple[int, str], str] = {}  # (length, separator and offset) -> newest text
    odd: list[Doc] = []
    for doc in docs:
        for key in _KEYS:
            value = doc.get(key)
            if isinstance(value, str):
                break
        else:
            return None
        group = (len(value), value[10:11] + value[-6:])
        if group[1][1:2] not in "+-" or ":" not in group[1]:
            odd.append(doc)  # "Z", no offset, or a form not sorted as text
        elif value > best.get(group, ""):
            best[group] = value
    newest: datetime | None = None
    stamps = [change_stamp({"updated": v}) for v in best.values()] + [change_stamp(d) for d in odd]
    for stamp in stamps:
        if stamp is None:
            return None
        if newest is None or stamp > newest:
            newest = stamp
    return None if newest is None else newest.astimezone(timezone.utc).isoformat()


def identity(info: os.stat_result) -> Identity:
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def read(layout: Layout) -> Stamps:
    """The stamps as recorded; {} when there are none or they do not read."""
    try:
        raw = read_bytes(layout.stamps)  # never through a link, only a regular file
        data = json.loads(raw) if raw is not None else {}
    except (OSError, ValueError, CorruptFile):
        return {}
    return data if isinstance(data, dict) else {}


def updated(old: Stamps, written: dict[str, tuple[str | None, Identity]]) -> Stamps:
    """`old` with the months just written (month -> (newest change, file identity))."""
    out = dict(old)
    for month, (newest, ident) in written.items():
        out[month] = [newest, *ident]
    return out


def _described(stamps: Stamps, month: str, info: os.stat_result) -> list[Any] | None:
    row = stamps.get(month)
    if not (isinstance(row, list) and len(row) == 4):
        return None
    return row if tuple(row[1:]) == identity(info) else None


def written_by_reflect(stamps: Stamps, month: str, info: os.stat_result) -> bool:
    """Whether the month file `info` describes is the one reflect last wrote (so it parses)."""
    return _described(stamps, month, info) is not None


def newest_of(stamps: Stamps, month: str, info: os.stat_result) -> datetime | None:
    """The month's newest change, when `info` is the file the stamp describes; else None."""
    row = _described(stamps, month, info)
    if row is None or not isinstance(row[0], str):
        return None
    try:
        dt = datetime.fromisoformat(row[0])
    except ValueError:
        return None
    return dt if dt.tzinfo else None


def forget(layout: Layout, months: Iterable[str]) -> None:
    """Drop the stamps of months whose files are gone for good (doctor, when the loss is
    acknowledged), so reads stop naming them. Exclusive lock held by the caller."""
    gone = set(months)
    old = read(layout)
    if gone & set(old):
        write_json(layout.stamps, {k: v for k, v in old.items() if k not in gone})
