"""Browsing entries a page at a time from any point, and searching the month text.

A page is found from a cursor (the time and id of the row next to it), not an offset:
the month holding the cursor is read, then the next month over while the page is not
full, so a page costs the same at the top of a 25,000-entry journal as at its bottom,
and the oldest page is as near as the newest. A text search first tests the raw month
file, then each stored entry's JSON text, case-folded, before any object is built, and
stops as soon as the page is full: a rare word costs one substring test per month. A
month ruled out so is one whose stamp (`stamps.py`) shows it is the file reflect wrote;
any other is parsed first, so a damaged month is named, never silently left out.

Rows come newest first; ties in time are ordered by id, so every row has one place.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from reflect.paths import Layout
from reflect.store import stamps
from reflect.store.engine import ENTRIES, check_entries, read_shard
from reflect.store.errors import JournalCorrupt
from reflect.store.storage import CorruptFile, read_bytes

Doc = dict[str, Any]
Reading = Callable[[], AbstractContextManager[object]]
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# A NamedTuple, not a frozen ordered dataclass: as immutable, compared and ordered field by
# field, without the ten methods that dataclass compiled at import (about 1 ms, every start).
class Key(NamedTuple):
    """Where a row sits: its time, then its id (the order is oldest to newest)."""

    when: datetime
    id: str


def when_of(doc: Doc) -> datetime:
    dt = datetime.fromisoformat(doc["occurred"])
    return dt if dt.tzinfo else dt.astimezone()


def key_of(doc: Doc) -> Key:
    return Key(when_of(doc), doc["id"])


def month_name(when: datetime) -> str:
    """The UTC month file a time belongs to (as the engine files entries)."""
    return when.astimezone(timezone.utc).strftime("%Y-%m")


def read_month_file(path: Path) -> str | None:
    """A month file's text, or None when it is missing (tests count calls to this)."""
    try:
        raw = read_bytes(path)  # decrypted when the journal is encrypted
        return None if raw is None else raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CorruptFile(path, "not UTF-8 text") from None


def needle_of(text: str) -> str:
    """A search text as it appears in stored JSON, case-folded: a month whose folded
    JSON lacks it cannot match (JSON escapes and case folding commute)."""
    return _ENCODE(text.casefold())[1:-1]


OPENS = '{[,:'  # what precedes an opening quote in compact JSON
CLOSES = ':,]}'  # what follows a closing quote
ENTRY_START = '{"id":"'  # every stored entry begins so (`Entry.to_dict` puts the id first)


def _escaped(text: str, q: int) -> bool:
    """Whether the quote at `q` is inside a string (an odd run of backslashes before it)."""
    k = q - 1
    while k >= 0 and text[k] == "\\":
        k -= 1
    return (q - 1 - k) % 2 == 1


def _may_be_text(text: str, p: int, m: int, other: frozenset[str]) -> bool:
    """Whether the occurrence at `p` (length `m`, no quote in it) may lie in a free-text
    value, judged from the compact JSON around it alone. False only when certain: inside a
    key, outside any string, or in the value of a key in `other` (values that are not
    free text); anything unclear is True, and the parsed entry decides. (Called once per
    occurrence, so the common cases are written out.)"""
    rfind, find = text.rfind, text.find
    q = rfind('"', 0, p)
    while q > 0 and text[q - 1] == "\\" and _escaped(text, q):
        q = rfind('"', 0, q)
    e = find('"', p + m)
    while e > 0 and text[e - 1] == "\\" and _escaped(text, e):
        e = find('"', e + 1)
    if q < 1 or e < 0 or e + 1 >= len(text):
        return True
    before, after = text[q - 1], text[e + 1]
    inside = before in OPENS and after in CLOSES
    if text[q + 1] in CLOSES and text[e - 1] in OPENS or not inside:
        return inside  # outside a string (a number, a literal): not text; both: unclear
    if after == ":":
        return False  # a key
    if before == ":":
        return _key_verdict(text, q, other)
    start = q  # an item of a list: walk back over the items to the list's key
    while start > 2:
        if text[start - 1] == "[":
            return _key_verdict(text, start - 1, other)
        if text[start - 1] != "," or text[start - 2] != '"':
            return True
        start = rfind('"', 0, start - 2)
        while start > 0 and text[start - 1] == "\\" and _escaped(text, start):
            start = rfind('"', 0, start)
    return True


def _key_verdict(text: str, v: int, other: frozenset[str]) -> bool:
    """True unless the value starting at `v` (after `"key":`) belongs to a key in `other`."""
    if v < 2 or text[v - 1] != ":" or text[v - 2] != '"':
        return True
    k = text.rfind('"', 0, v - 2)
    if k < 1 or text[k - 1] == "\\":
        return True
    return text[k + 1 : v - 2] not in other


def text_hits(text: str, folded: str, needle: str, other: frozenset[str]) -> list[int] | None:
    """The offsets of the stored entries of a month's compact JSON `text` that hold
    `needle` (case-folded, as in `folded`, which lines up with `text`) in a value that may
    be free text; None when the layout is not the one reflect writes (parse it all)."""
    if not text.startswith('{"entries":{') or '"' in needle or "\\" in needle or not needle:
        return None
    starts: list[int] = []
    m = len(needle)
    # Occurrences inside a key (`...needle...":`, keys hold no quote nor backslash) are
    # skipped by the pattern itself, in C: a word that names a field costs no more than a
    # rare one.
    search = re.compile(re.escape(needle) + r'(?![^"\\]*":)').search
    found = search(folded)
    while found is not None:
        i = found.start()
        if _may_be_text(text, i, m, other):
            s = text.rfind(ENTRY_START, 0, i)
            if s == -1:
                return None
            starts.append(s)
            nxt = text.find(ENTRY_START, i)
            if nxt == -1:
                break
            found = search(folded, nxt)
        else:
            found = search(folded, i + 1)
    return starts


def fold(text: str) -> str:
    """`str.casefold`, through the quicker `lower` where they agree (ASCII text)."""
    return text.lower() if text.isascii() else text.casefold()


class Match(NamedTuple):
    """What a row must satisfy: a time range, a raw text needle, and a full test of the
    stored document (the filter's own rule) run only on rows that pass the cheap ones."""

    since: datetime | None = None
    until: datetime | None = None
    needle: str = ""  # case-folded JSON form of the search text; "" tests nothing
    test: Callable[[Doc], bool] | None = None
    other: frozenset[str] = frozenset()  # keys whose values are not free text (the needle there is no match)
    raw: tuple[str, ...] = ()  # exact JSON snippets every matching entry holds (`"crisis":true`)

    def row(self, doc: Doc, key: Key) -> bool:
        if self.since is not None and key.when < self.since:
            return False
        if self.until is not None and key.when > self.until:
            return False
        return self.test is None or self.test(doc)

    def months(self, have: list[str]) -> list[str]:
        lo = month_name(self.since) if self.since else None
        hi = month_name(self.until) if self.until else None
        return [m for m in have if (lo is None or m >= lo) and (hi is None or m <= hi)]


class Page(NamedTuple):
    """Rows newest first, and whether nothing lies beyond them on either side."""

    docs: list[Doc]
    newest: bool  # nothing newer matches
    oldest: bool  # nothing older matches
    months_read: int = 0


def _decode_month(path: Path, text: str) -> list[Doc]:
    try:
        data = json.loads(text)
    except ValueError:
        raise CorruptFile(path, "not valid JSON") from None
    table = data.get(ENTRIES) if isinstance(data, dict) else None
    if table is None:
        return []
    if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
        raise CorruptFile(path, f"table {ENTRIES!r} is not an object of documents")
    return list(table.values())


_DECODER = json.JSONDecoder()


def _decode_at(path: Path, text: str, starts: list[int]) -> list[Doc]:
    out: list[Doc] = []
    for s in dict.fromkeys(starts):
        try:
            doc, _end = _DECODER.raw_decode(text, s)
        except ValueError:
            raise CorruptFile(path, "not valid JSON") from None
        if not isinstance(doc, dict):
            raise CorruptFile(path, f"table {ENTRIES!r} is not an object of documents")
        out.append(doc)
    return out


class _Known:
    """The months' stamps, read once per search or page when first needed."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._stamps: stamps.Stamps | None = None

    def check(self, month: str, path: Path, text: str, info: os.stat_result) -> None:
        """A month whose text cannot match is known to be whole: CorruptFile otherwise."""
        if self._stamps is None:
            self._stamps = stamps.read(self.layout)
        if not stamps.written_by_reflect(self._stamps, month, info):
            check_entries(path, _decode_month(path, text))  # CorruptFile names it
        return None


class Browser:
    """Cursor paging and search over one journal's month files, under its read lock."""

    def __init__(self, layout: Layout, reading: Reading = nullcontext) -> None:
        self.layout = layout
        self.reading = reading

    def months(self) -> list[str]:
        try:
            return self.layout.months(os.listdir(self.layout.entries_dir))
        except FileNotFoundError:
            return []

    def _month(self, month: str, match: Match, known: _Known) -> list[tuple[Key, Doc]] | None:
        """The rows of one month that match, oldest first; None when the raw text rules
        the whole month out. A file that does not parse is JournalCorrupt, as every read
        of the journal says it, whether or not it holds the search's text: a month ruled
        out unparsed is one its stamp shows reflect wrote (`stamps.py`); any other is
        parsed first, so a damaged month is named, never silently left out."""
        try:
            return self._month_rows(month, match, known)
        except CorruptFile as exc:
            raise JournalCorrupt(exc.path, exc.reason) from None

    def _month_rows(self, month: str, match: Match, known: _Known) -> list[tuple[Key, Doc]] | None:
        path = self.layout.month(month)
        with self.reading():
            text = read_month_file(path)
            info = os.stat(path) if text is not None else None
        if text is None or info is None:
            return None
        if not all(snippet in text for snippet in match.raw):
            known.check(month, path, text, info)
            return None
        docs = None
        if match.needle:
            folded = fold(text)
            if match.needle not in folded:
                known.check(month, path, text, info)
                return None
            if len(folded) == len(text):  # the offsets line up: parse only the entries hit
                starts = text_hits(text, folded, match.needle, match.other)
                if starts is not None:
                    docs = _decode_at(path, text, starts)
        if docs is None:
            docs = _decode_month(path, text)
        check_entries(path, docs)
        rows = [(key_of(d), d) for d in docs]
        rows.sort(key=lambda r: r[0])
        return [(k, d) for k, d in rows if match.row(d, k)]

    def older(self, after: Key | None, limit: int, match: Match | None = None, *, inclusive: bool = False) -> Page:
        """Up to `limit` rows older than `after` (None: from the newest; `inclusive`: the
        row at `after` too), newest first."""
        match = match or Match()
        months = match.months(self.months())
        if after is not None:
            months = [m for m in months if m <= month_name(after.when)]
        out: list[Doc] = []
        read = 0
        full = False
        known = _Known(self.layout)
        for month in reversed(months):
            rows = self._month(month, match, known)
            read += 1
            for key, doc in reversed(rows or []):
                if after is not None and (key > after if inclusive else key >= after):
                    continue
                if len(out) >= limit:
                    full = True
                    break
                out.append(doc)
            if full:
                break
        return Page(out, newest=after is None, oldest=not full, months_read=read)

    def newer(self, before: Key | None, limit: int, match: Match | None = None) -> Page:
        """Up to `limit` rows newer than `before` (None: from the oldest), newest first."""
        match = match or Match()
        months = match.months(self.months())
        if before is not None:
            months = [m for m in months if m >= month_name(before.when)]
        out: list[Doc] = []
        read = 0
        full = False
        known = _Known(self.layout)
        for month in months:
            rows = self._month(month, match, known)
            read += 1
            for key, doc in rows or []:
                if before is not None and not before < key:
                    continue
                if len(out) >= limit:
                    full = True
                    break
                out.append(doc)
            if full:
                break
        out.reverse()
        return Page(out, newest=not full, oldest=before is None, months_read=read)

    def search(self, match: Match, limit: int | None) -> Iterator[Doc]:
        """Every matching row, newest first, at most `limit` (None: all), month by month."""
        n = 0
        known = _Known(self.layout)
        for month in reversed(match.months(self.months())):
            for _key, doc in reversed(self._month(month, match, known) or []):
                if limit is not None and n >= limit:
                    return
                n += 1
                yield doc

    def total(self) -> int:
        """How many entries the journal holds, from the id index (no month is read)."""
        return sum(len(ids) for ids in self._shards())

    def ids_starting(self, prefix: str) -> list[str]:
        """Every stored id that starts with `prefix` (any length), from the id index."""
        return sorted(i for ids in self._shards() for i in ids if i.startswith(prefix))

    def _shards(self) -> Iterator[dict[str, str]]:
        folder = self.layout.index_dir
        try:
            names = sorted(os.listdir(folder))
        except FileNotFoundError:
            return
        for name in names:
            if name.endswith(".json") and not name.startswith("."):
                with self.reading():
                    yield read_shard(folder / name)


Stamp = tuple[tuple[str, int, int, int], ...]


def stamp(layout: Layout, extra: Iterable[Path] = ()) -> Stamp:
    """What changes when another process writes: each month file's, the drafts' and
    `extra` files' identity, time and size (one listing and a stat each, no reading)."""
    out: list[tuple[str, int, int, int]] = []
    try:
        with os.scandir(layout.entries_dir) as it:
            for item in it:
                if item.name.endswith(".json") and not item.name.startswith("."):
                    st = item.stat()
                    out.append((item.name, st.st_ino, st.st_mtime_ns, st.st_size))
    except FileNotFoundError:
        pass
    out.sort()
    for path in (layout.drafts, layout.meetings, *extra):
        try:
            st = path.stat()
            out.append((str(path), st.st_ino, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            out.append((str(path), 0, 0, 0))
    return tuple(out)


__all__ = ["Browser", "Key", "Match", "Page", "Stamp", "key_of", "needle_of", "stamp"]
