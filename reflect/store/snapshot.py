"""Several month files as they were at one instant, read later without the lock.

A read of several months (an export, a list of everything) must not see an entry that a
writer moved between months twice, or not at all. Every write replaces a file by renaming
a new one over it, never by changing it in place, so a file opened under the shared lock
keeps the content it had then: opening every month of the range in one lock hold gives a
consistent snapshot, read month by month afterwards while writers go on. Only the
opening happens under the lock, so a slow reader (a pipe to `less`) never blocks the app.

Open files are capped at half the process's descriptor limit (a journal of 25,000 entries
spans about ten years, 120 month files; at the usual limit of 1,024, the cap is 42 years
of months); months past the cap are read into memory under the same lock hold instead.
The cap was 64, which read 56 of those 120 months into memory to list the newest 50.
"""

from __future__ import annotations

import json
import os
import resource
from pathlib import Path
from types import TracebackType
from typing import Any

from reflect.store.storage import CorruptFile, _scan_table, check_tables, decode, parse_json, read_bytes

Doc = dict[str, Any]


def _max_open() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return 64 if soft == resource.RLIM_INFINITY else max(64, min(soft // 2, 4096))


MAX_OPEN = _max_open()
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class Snapshot:
    """Month files (month -> path) opened now; `raw(month)` gives each one's bytes as they
    were when opened (None: it did not exist). Close it (or use `with`) when done."""

    def __init__(self, files: list[tuple[str, Path]], max_open: int | None = None):
        max_open = MAX_OPEN if max_open is None else max_open
        self.paths = dict(files)
        self._fds: dict[str, int] = {}
        self._bytes: dict[str, bytes | None] = {}
        try:
            for n, (month, path) in enumerate(files):
                if n < max_open:
                    try:
                        self._fds[month] = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
                    except FileNotFoundError:
                        self._bytes[month] = None
                else:
                    self._bytes[month] = _read_or_none(path)
        except BaseException:
            self.close()
            raise

    def raw(self, month: str) -> bytes | None:
        if month in self._bytes:
            return self._bytes.pop(month)
        with os.fdopen(self._fds.pop(month), "rb") as f:
            return decode(f.read(), self.paths[month])

    def close(self) -> None:
        fds, self._fds = self._fds, {}
        for fd in fds.values():
            try:
                os.close(fd)
            except OSError:
                pass
        self._bytes.clear()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _read_or_none(path: Path) -> bytes | None:
    return read_bytes(path)


def tables_of(raw: bytes, path: Path) -> dict[str, dict[str, Doc]]:
    """A TinyDB file's bytes as parsed and checked as `storage.read_tables` does (which
    reads the file itself; this parses bytes already read, from a snapshot)."""
    return check_tables(parse_json(raw, path), path)


def table_text_of(raw: bytes, path: Path, table: str) -> list[tuple[Doc, str]]:
    """One table's documents with their canonical JSON text, from bytes already read, as
    `storage.read_table_text` gives them from the file."""
    try:
        text = raw.decode("utf-8")
        pairs, compact = _scan_table(text, table)
    except (ValueError, IndexError):
        data = tables_of(raw, path)  # raises CorruptFile with the precise reason
        return [(doc, _ENCODE(doc)) for doc in (data.get(table) or {}).values()]
    if not compact:
        return [(doc, _ENCODE(doc)) for doc, _ in pairs]
    return pairs
