"""A big import read one record at a time, each entry kept as the JSON the store will write.

`formats.parse_import` takes the whole text and gives `Entry` objects: a 25,000-entry
document then sits in memory as its text, and as objects, and as the store's dicts. Here
the input comes in chunks (a file read piece by piece), each entry is decoded from a
sliding buffer, validated by `Entry.from_dict`, shown to `observe` (the identifier scan,
future dates) in small batches, and kept only as its stored form: compact UTF-8 JSON bytes
(`Packed`). The store splices those bytes into the month files without encoding them again.

Only the path where all is well: anything this reader does not take (another shape, bad
JSON, a bad record, an id twice, a lone surrogate) makes `stream_import` return None, and
the caller parses the whole text with `parse_import`, which says what is wrong (entry
position, field, kind) exactly as ever, or reads a shape this reader leaves to it.
Pure: no disk; the chunks come from the caller.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reflect.domain import formats
from reflect.domain.formats import FORMAT, ImportDoc
from reflect.domain.model import Entry

try:  # in C: encoding an entry takes 1 us, not the 16 us of json in Python 3.11
    import orjson
except ImportError:  # an environment installed before it was a dependency: json, slower
    orjson = None  # type: ignore[assignment]

# A plain decoder for the fast path (the C scanner, no Python call per object); an entry
# whose text is not exactly its canonical encoding is decoded again strictly (`_STRICT`).
_PLAIN = json.JSONDecoder().raw_decode
_STRICT = formats._STRICT
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False).encode


def _json_bytes(value: Any) -> bytes:
    """`value` as compact UTF-8 JSON, as the store writes it (`storage.dumps`)."""
    return _ENCODE(value).encode("utf-8")


# orjson writes the bytes json.dumps(ensure_ascii=False, separators=(",", ":")) gives for
# the values an entry holds (strings, whole numbers, booleans, null; tests/test_import_stream.py
# checks every character), and refuses a lone surrogate as encoding json's text does. (A
# float, which it writes otherwise, never gets this far: no field of an entry holds one.)
def _orjson_bytes(value: Any) -> bytes:
    """orjson's bytes, copied to their size: its buffer keeps the room it grew (about
    8 KB for an entry of 1.4 KB), and an import keeps 25,000 of them until the write."""
    return bytes(memoryview(orjson.dumps(value)))


_to_bytes: Callable[[Any], bytes] = _orjson_bytes if orjson is not None else _json_bytes
_measure: Callable[[Any], bytes] = orjson.dumps if orjson is not None else _json_bytes  # only its length is used
_line_loads: Callable[[str], Any] | None = orjson.loads if orjson is not None else None
_WS = " \t\n\r"
BATCH = 50  # entries shown to `observe` at a time: few objects alive (8 KB each), few calls

Observe = Callable[[list[Entry], int], None]  # a batch of entries, the 0-based position of its first
Progress = Callable[[int], None]  # characters read so far


@dataclass
class Packed:
    """Validated entries as the store will write them, not as objects: by position, the
    id, `occurred` and `updated` as stored (ISO text), and the compact JSON document as
    UTF-8 bytes. `unstamped`: ids that came without `recorded` (stamped at the import)."""

    ids: list[str] = field(default_factory=list)
    occurred: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    texts: list[bytes] = field(default_factory=list)
    unstamped: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Streamed:
    """An input read by `stream_import`: its entries packed, the rest (stories, meetings,
    the header) as `parse_import` gives them, in `doc` (whose `entries` is empty)."""

    doc: ImportDoc
    entries: Packed


class _Refused(Exception):
    """Something this reader leaves to the whole-text parse."""


class _Buffer:
    """A sliding window over text that arrives in chunks: `text[pos:]` is what is unread."""

    def __init__(self, chunks: Iterable[str], progress: Progress | None) -> None:
        self.chunks: Iterator[str] = iter(chunks)
        self.text = ""
        self.pos = 0
        self.eof = False
        self.read = 0  # characters taken from the chunks
        self.progress = progress

    def more(self) -> bool:
        """Append the next chunk (dropping what was read); False at the end of the input."""
        if self.eof:
            return False
        for chunk in self.chunks:
            if chunk:
                self.text = self.text[self.pos :] + chunk
                self.pos = 0
                self.read += len(chunk)
                if self.progress is not None:
                    self.progress(self.read)
                return True
        self.eof = True
        return False

    def peek(self) -> str:
        """The next character that is not blank ("" at the end), the cursor on it."""
        while True:
            text, i = self.text, self.pos
            n = len(text)
            while i < n and text[i] in _WS:
                i += 1
            self.pos = i
            if i < n:
                return text[i]
            if not self.more():
                return ""

    def expect(self, c: str) -> None:
        if self.peek() != c:
            raise _Refused
        self.pos += 1

    def next(self, close: str) -> bool:
        """After a value in an array or object: step past `,` (False: another follows) or
        `close` (True); anything else is refused. `jsonscan.Scanner._next` is its twin over
        a whole text (no chunks to wait for)."""
        c = self.peek()
        self.pos += 1
        if c == close:
            return True
        if c != ",":
            raise _Refused
        return False

    def decode(self, decoder: Callable[[str, int], tuple[Any, int]]) -> tuple[Any, int, int]:
        """The value at the cursor, with where its text starts and ends in `self.text`. A
        value cut off by the end of the buffer is tried again with more text."""
        self.peek()
        while True:
            start = self.pos
            try:
                value, end = decoder(self.text, start)
            except RecursionError:
                raise _Refused from None
            except ValueError:
                if not self._grow():
                    raise _Refused from None
                continue
            if end == len(self.text) and not self.eof and self.text[end - 1] not in "]}\"":
                if self._grow():  # a number may go on in the next chunk
                    continue
            self.pos = end
            return value, start, end

    def line_value(self, loads: Callable[[str], Any]) -> tuple[Any, str] | None:
        """The object at the cursor when it is the rest of its line, less a comma after it
        (how an export writes each entry), decoded by `loads`, with its text; None (the
        cursor where it was) otherwise."""
        self.peek()
        while True:
            text, pos = self.text, self.pos
            nl = text.find("\n", pos)
            if nl < 0 and self.more():
                continue
            line = text[pos : len(text) if nl < 0 else nl].rstrip(_WS)
            if line.endswith(","):
                line = line[:-1]
            try:
                value = loads(line)
            except ValueError:
                return None
            if not isinstance(value, dict):
                return None
            self.pos = pos + len(line)
            return value, line

    def _grow(self) -> bool:
        """More text after a cut-off value: as much again as is held, so a big value is
        retried a few times, not once per chunk."""
        want = max(len(self.text) - self.pos, 1)
        got = 0
        while got < want:
            before = len(self.text) - self.pos
            if not self.more():
                return got > 0
            got += len(self.text) - self.pos - before
        return True


def stream_import(
    chunks: Iterable[str],
    *,
    default_peer: str = "",
    imported_at: datetime,
    observe: Observe | None = None,
    progress: Progress | None = None,
) -> Streamed | None:
    """An export document or a JSON array of entries, read from `chunks` (text, in
    order) one entry at a time, validated as `parse_import` validates it; None for
    anything else, or any problem (then parse the whole text for the error). An entry
    without a peer takes `default_peer`; one without `recorded` is stamped `imported_at`.
    `observe(batch, first)` sees the validated entries a batch at a time (they are let go
    after); `progress(characters)` hears how much of the input has been read."""
    buf = _Buffer(chunks, progress)
    try:
        if buf.more() and buf.text.startswith("\ufeff"):  # a byte order mark, as parse_import allows
            buf.pos = 1
        head = buf.peek()
        packer = _Packer(default_peer, imported_at, observe)
        if head == "[":
            _entries(buf, packer)
            if buf.peek() != "":
                return None
            packer.flush()
            return Streamed(ImportDoc(kind="array"), packer.packed)
        if head != "{":
            return None
        data: dict[str, Any] = {}
        have_entries = False
        buf.pos += 1
        if buf.peek() == "}":
            return None  # an empty object: the whole-text parse says what it is
        while True:
            key, _start, _end = buf.decode(_STRICT)
            if not isinstance(key, str) or key in data or (key == "entries" and have_entries):
                return None
            buf.expect(":")
            if key == "entries" and buf.peek() == "[":
                _entries(buf, packer)
                have_entries = True
            else:
                data[key], _start, _end = buf.decode(_STRICT)
            if buf.next("}"):
                break
        if buf.peek() != "" or data.get("format") != FORMAT:
            return None
        packer.flush()

        def entry(raw: Any) -> Entry:
            return Entry.from_dict(raw, default_peer=default_peer)

        doc = formats._parse_document(data, "", "", entry, True)  # the header and the other lists, as ever
    except Exception:  # noqa: BLE001 - whatever it is, the whole-text parse names it
        return None
    if doc.entries:  # "entries" given twice would have been refused; never here
        return None
    return Streamed(doc, packer.packed)


def _entries(buf: _Buffer, packer: _Packer) -> None:
    """The array of entries at the cursor, each decoded, validated and packed."""
    buf.expect("[")
    if buf.peek() == "]":
        buf.pos += 1
        return
    lines = _line_loads  # an entry a line, as exports write them: orjson decodes it
    while True:
        got = None if lines is None else buf.line_value(lines)
        if got is None:  # another layout (or a value orjson leaves to json): json from here on
            lines = None
            raw, start, end = buf.decode(_PLAIN)
            got = raw, buf.text[start:end]
        packer.add(*got)
        if buf.next("]"):
            return


class _Packer:
    """Entries validated and packed one at a time; objects kept only for one batch."""

    def __init__(self, default_peer: str, imported_at: datetime, observe: Observe | None) -> None:
        self.default_peer = default_peer
        self.imported_at = imported_at
        self.observe = observe
        self.packed = Packed()
        self.seen: set[str] = set()
        self.batch: list[Entry] = []
        self.first = 0

    def add(self, raw: Any, text: str) -> None:
        """One entry: `raw` as decoded (no check for a key given twice yet), `text` its JSON."""
        entry = Entry.from_dict(raw, default_peer=self.default_peer)  # refuses a date out of range too
        if entry.id in self.seen:
            raise _Refused
        self.seen.add(entry.id)
        packed = self.packed
        if entry.recorded is None:  # new to any journal: an agenda must see it (late)
            entry.recorded = self.imported_at
            packed.unstamped.add(entry.id)
        doc = entry.to_dict()
        encoded = _to_bytes(doc)  # a lone surrogate cannot be encoded: refused
        given = text.encode("utf-8")
        if encoded != given and len(_measure(raw)) != len(given):
            # Not the canonical text (a default filled in, a list put in order) nor the
            # input's own values written compactly: spacing, or a key given twice that the
            # plain decoder let through (every other way to write a value is as long as
            # the compact one or longer, so only then is the text longer than its values).
            # Decoded again strictly: a key twice is refused.
            _STRICT(text, 0)
        packed.ids.append(doc["id"])
        packed.occurred.append(doc["occurred"])
        packed.updated.append(doc["updated"])
        packed.texts.append(encoded)
        if self.observe is not None:
            self.batch.append(entry)
            if len(self.batch) >= BATCH:
                self.flush()

    def flush(self) -> None:
        if self.observe is not None and self.batch:
            self.observe(self.batch, self.first)
            self.first += len(self.batch)
            self.batch = []
