"""Reads that give what they can: one damaged or missing file is named, the rest is given.

A command collects the files it could not read in a list (`Damaged`), carries on with
everything else, names each on stderr at the end and exits 1: damage to one file costs
that file, never the whole journal (issue 8, item 9), and a read never says "ok" while
something is missing (item 8).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from reflect.store.errors import JournalCorrupt

T = TypeVar("T")
Damaged = list[Path]


def or_else(read: Callable[[], T], damaged: Damaged | None) -> T | None:
    """`read()`, or None with the file that did not read added to `damaged` (None: nobody
    collects damage, so it raises as before). Callers give what stands in: `or []`."""
    if damaged is None:
        return read()
    try:
        return read()
    except JournalCorrupt as exc:
        if exc.path not in damaged:
            damaged.append(exc.path)
        return None
