"""A big import holds little more than its records once (issue 8, item 16): the document is
read one record at a time, the entries are let go as the store takes them in, the month
files are made one at a time, and the many files of a big write are staged together."""

from __future__ import annotations

import errno
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cli_helpers import import_peak, run
from reflect.domain import formats
from reflect.domain.formats import write_json
from reflect.domain.model import Entry, Listen, Reflect
from reflect.store import Journal
from reflect.store import storage

UTC = timezone.utc
N = 600  # over 20 months: more files than one write stages alone


def _document(path: Path, n: int = N) -> Path:
    start = datetime(2023, 1, 2, 9, tzinfo=UTC)
    entries = [
        Entry(occurred=start + timedelta(days=k), person="J", tags=["housing", "sleep"],
              listen=Listen(story=f"We talked for a while about the week, number {k}. " * 6, matters="the week"),
              reflect=Reflect(experience="It stirred my own stuff. " * 4, feelings="tight chest"))
        for k in range(n)
    ]  # fmt: skip
    with path.open("w", encoding="utf-8") as out:
        write_json(out, entries, exported_at=datetime(2025, 1, 1, tzinfo=UTC))
    return path


def test_an_export_document_is_never_parsed_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Old code: json.loads of the whole text, a parse tree of every record at once."""
    doc = _document(tmp_path / "in.json", 30)

    def whole(_text: str) -> object:
        raise AssertionError("the whole document was parsed at once")

    monkeypatch.setattr(formats, "_loads", whole)
    result = run("import", str(doc))
    assert result.exit_code == 0, result.stderr
    assert Journal().count() == 30


def test_the_streamed_read_gives_what_the_whole_parse_gives(tmp_path: Path) -> None:
    text = _document(tmp_path / "in.json", 30).read_text(encoding="utf-8")
    streamed = formats.parse_import(text, source="in.json")
    whole = formats._parse_document(formats._loads(text), text, "in.json", Entry.from_dict)
    assert [e.to_dict() for e in streamed.entries] == [e.to_dict() for e in whole.entries]
    assert streamed.exported_at == whole.exported_at and streamed.kind == whole.kind == "document"


def test_reflect_import_peaks_at_a_bounded_multiple_of_the_document(tmp_path: Path) -> None:
    """Python's own allocations over the whole command: 7.0x the document on the old code
    (the text, its parse tree, the entries and their stored form, every month's bytes at
    once); about 5.2x now. Measured with tracemalloc, so no clock is involved."""
    doc = _document(tmp_path / "in.json")
    size = doc.stat().st_size
    result, peak = import_peak(doc, warm=_document(tmp_path / "warm.json", 3))
    assert result.exit_code == 0, result.stderr
    assert peak < 6.0 * size, f"peak {peak / size:.2f}x the document"


def test_a_big_write_stages_its_files_on_several_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each staged file ends in an fsync; a file system commits fsyncs that wait together
    at once. Old code: every fsync of an import on the main thread, one after another."""
    doc = _document(tmp_path / "in.json")
    threads: set[str] = set()
    real = storage.os.fsync

    def fsync(fd: int) -> None:
        threads.add(threading.current_thread().name)
        real(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    assert run("import", str(doc)).exit_code == 0
    assert len({t for t in threads if t.startswith("reflect-stage")}) > 1, threads


def test_a_failure_while_many_files_are_staged_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk part-way through the staging threads: nothing in the journal, no temp file left."""
    doc = _document(tmp_path / "in.json")
    j = Journal()
    j.save(Entry(occurred=datetime(2022, 5, 1, tzinfo=UTC), listen=Listen(story="already here")))
    before = {p: p.read_bytes() for p in j.parts.rglob("*") if p.is_file()}
    calls = iter(range(10_000))
    real = storage._write_new

    def write_new(path: Path, data: bytes) -> None:
        if next(calls) == 25:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(storage, "_write_new", write_new)
    result = run("import", str(doc))
    assert result.exit_code != 0 and "No space left" in result.stderr
    after = {p: p.read_bytes() for p in j.parts.rglob("*") if p.is_file()}
    assert after == before  # no temp file, no entry, the journal as it was
    assert [e.id for e in Journal().recent()] == [e.id for e in j.recent()]
