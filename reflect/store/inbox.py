"""Entries saved while the journal is locked: a crisis recorded before the passphrase.

An encrypted journal is written with its public key alone, but saving into a month
file means reading it first, and that needs the identity. So a save made before the
identity is unlocked (the crisis panel, opened while the passphrase prompt is showing)
goes here instead: one file per entry in the journal's `inbox/` folder, written whole
(`atomic_write`, encrypted by the codec like every journal file) under the journal's
lock. The first process that opens the journal with its key files them into their
months in one atomic write (`Engine.apply`) and then removes them; a kill between the
two applies the same entries again, which changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from reflect.domain.model import Entry, now
from reflect.paths import Layout, is_temp_name
from reflect.store import codec
from reflect.store.engine import Engine
from reflect.store.lock import Gate
from reflect.store.storage import atomic_write, dumps, fsync_dir, parse_json, read_bytes


def locked(layout: Layout) -> bool:
    """Whether the journal is encrypted to a key this process has not unlocked."""
    marker = codec.marker_at(layout.encryption)
    return marker.recipient is not None and not codec.can_open(marker.recipient)


def drop(layout: Layout, gate: Gate, entry: Entry, default_peer: Callable[[], str]) -> Entry:
    """Keep a new entry in the inbox (needs only the public key); `recorded` and `updated`
    are set as a save sets them."""
    stamp = now()
    entry.recorded = entry.recorded or stamp
    entry.updated = stamp
    if not entry.peer:
        entry.peer = default_peer()
    doc = Entry.from_dict(entry.to_dict()).to_dict()  # validated, normalised
    with gate.lock.hold(True):
        atomic_write(layout.inbox / f"{entry.id}.json", dumps(doc))
    return entry


def waiting(layout: Layout) -> list[Path]:
    try:
        names = sorted(os.listdir(layout.inbox))
    except FileNotFoundError:
        return []
    return [layout.inbox / n for n in names if n.endswith(".json") and not is_temp_name(n)]


def merge(layout: Layout, engine: Engine) -> int:
    """File the inbox's entries into the journal (exclusive lock held, identity unlocked)."""
    files = waiting(layout)
    if not files:
        return 0
    docs = []
    for path in files:
        raw = read_bytes(path)
        if raw is not None:
            docs.append(Entry.from_dict(parse_json(raw, path)).to_dict())
    engine.apply(docs, [])
    for path in files:
        path.unlink(missing_ok=True)
    fsync_dir(layout.inbox)
    return len(docs)
