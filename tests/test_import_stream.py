"""`reflect import FILE` reads the file a chunk at a time and keeps each entry as its stored
JSON, never the whole text nor the entries as objects (issue 8, item 16); every promise of
the whole-text import holds: validation before the lock, errors by entry, field and kind,
the same files written, all or nothing."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cli_helpers import import_peak, one_line_error, run, snapshot
from reflect.cli import importing as cli_importing
from reflect.domain import formats
from reflect.domain.formats import write_json
from reflect.domain.model import MI, Entry, Listen, Reflect
from reflect.store import Journal

UTC = timezone.utc


def _entries(n: int, start: datetime = datetime(2023, 1, 2, 9, tzinfo=UTC)) -> list[Entry]:
    out = []
    for k in range(n):
        e = Entry(
            occurred=start + timedelta(days=3 * k, minutes=k), person="J", tags=["housing", "sleep"],
            listen=Listen(story=f"We talked about the week, number {k}; café, naïve, 🌱 and a \"quote\".\n" * 3),
            reflect=Reflect(experience="It stirred my own stuff. " * 3, feelings="tight chest"),
            competencies=["IV", "II"],  # not in order: the stored form sorts them (not the input's text)
        )  # fmt: skip
        if k % 3 == 0:
            e.mi = MI(open_questions=k % 5)
        e.recorded = e.updated = e.occurred + timedelta(hours=1)
        out.append(e)
    return out


def _document(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        write_json(out, _entries(n), exported_at=datetime(2025, 1, 1, tzinfo=UTC))
    return path


def _journal_files(parts: Path) -> dict[str, bytes]:
    """The journal's month files and index shards (stamps and backups hold file identities)."""
    return {
        str(p.relative_to(parts)): p.read_bytes()
        for p in sorted(parts.rglob("*.json"))
        if p.parent.name in ("entries", "index")
    }


def test_a_file_is_read_in_chunks_never_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Old code: the file was read whole (`_read_source`) and parsed as one text."""
    doc = _document(tmp_path / "in.json", 40)

    def whole(*_args: object, **_kw: object) -> object:
        raise AssertionError("the input was read or parsed whole")

    monkeypatch.setattr(cli_importing, "_read_source", whole)
    monkeypatch.setattr(formats, "parse_import", whole)
    monkeypatch.setattr(cli_importing, "CHUNK", 1000, raising=False)  # entries span chunks
    result = run("import", str(doc))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "imported entries: 40 added, 0 unchanged\n"
    assert Journal().count() == 40


def test_the_streamed_import_writes_what_the_record_import_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Byte for byte: month files (their entries spliced in as the bytes read) and index
    shards, against `Journal.import_records` of the same parsed entries; with chunks so
    small that every entry, and many a multi-byte character, is cut between two."""
    doc = _document(tmp_path / "in.json", 120)
    monkeypatch.setattr(cli_importing, "CHUNK", 97, raising=False)
    assert run("import", str(doc)).exit_code == 0
    streamed = _journal_files(Journal().parts)
    other = Journal(tmp_path / "other" / "journal.json")
    parsed = formats.parse_import(doc.read_text(encoding="utf-8"), default_peer=other.default_peer())
    other.import_records(parsed.entries)
    assert streamed == _journal_files(other.parts)
    assert len(streamed) > 40  # months and shards
    assert [e.to_dict() for e in Journal().entries()] == [e.to_dict() for e in other.entries()]


def test_importing_into_a_journal_merges_as_before(tmp_path: Path) -> None:
    """The same entries again: unchanged; one changed: a conflict that writes nothing, then
    replaced with --replace; entries already in a month are kept beside the new ones."""
    doc = _document(tmp_path / "in.json", 30)
    j = Journal()
    j.save(Entry(occurred=datetime(2023, 1, 3, 12, tzinfo=UTC), listen=Listen(story="already here")))
    assert run("import", str(doc)).exit_code == 0
    again = run("import", str(doc))
    assert again.exit_code == 0 and again.stderr == "imported entries: 0 added, 30 unchanged\n"
    data = json.loads(doc.read_text(encoding="utf-8"))
    data["entries"][4]["listen"]["story"] = "Told another way."
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, indent=2), encoding="utf-8")  # spaced: not the stored text
    before = snapshot(j.parts)
    refused = run("import", str(changed))
    assert refused.exit_code != 0 and "already in the journal" in refused.stderr
    assert snapshot(j.parts) == before
    replaced = run("import", "--replace", str(changed))
    assert replaced.exit_code == 0 and "1 replaced, 29 unchanged" in replaced.stderr
    assert j.get(data["entries"][4]["id"]).listen.story == "Told another way."
    assert j.count() == 31 and j.check().ok


def test_a_bad_entry_deep_in_the_file_is_named_and_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _document(tmp_path / "in.json", 60)
    lines = doc.read_text(encoding="utf-8").split("\n")
    lines[4 + 50] = lines[4 + 50].replace('"minutes":null', '"minutes":"ten"')  # entry 50, past many chunks
    doc.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(cli_importing, "CHUNK", 4096, raising=False)
    j = Journal()
    before = snapshot(j.parts)
    result = run("import", str(doc))
    one_line_error(result, "entry 50 (line 55)", "minutes", "got a string", code=2)
    assert snapshot(j.parts) == before


def test_a_key_given_twice_in_an_entry_is_refused(tmp_path: Path) -> None:
    """The streamed read decodes without the duplicate-key hook; a key twice must still be
    refused, also when the rest of the entry is exactly as reflect writes it."""
    doc = _document(tmp_path / "in.json", 5)
    text = doc.read_text(encoding="utf-8").replace('"person":"J"', '"person":"K","person":"J"', 1)
    doc.write_text(text, encoding="utf-8")
    one_line_error(run("import", str(doc)), "'person' appears twice", code=2)
    assert Journal().count() == 0


def test_other_shapes_and_bad_text_still_read_as_before(tmp_path: Path) -> None:
    """JSON Lines, one entry, a byte order mark, an array: read whole or streamed, the
    same entries; bad UTF-8 is named by its byte."""
    entries = _entries(3)
    lines = tmp_path / "in.jsonl"
    lines.write_text("\n".join(json.dumps(e.to_dict()) for e in entries) + "\n", encoding="utf-8")
    array = tmp_path / "array.json"
    array.write_text("\ufeff" + json.dumps([e.to_dict() for e in entries]), encoding="utf-8")
    assert run("import", str(lines)).exit_code == 0
    again = run("import", str(array))
    assert again.exit_code == 0 and again.stderr == "imported entries: 0 added, 3 unchanged\n"
    bad = tmp_path / "bad.json"
    bad.write_bytes(array.read_bytes()[:40] + b"\xff" + array.read_bytes()[40:])
    one_line_error(run("import", str(bad)), "not UTF-8 text (byte 41)", code=2)


def test_reflect_import_peaks_near_the_size_of_the_document(tmp_path: Path) -> None:
    """Python's allocations over the whole command (tracemalloc, no clock): 7.9x the
    document on the old code (its text, then its entries as objects and as dicts); now
    about 3.4x: the entries' bytes once, their ids and months, and the month files being
    staged (at this size, most of them at once). The chunk is made small so its buffer
    does not stand for the document in a test this size."""
    doc = _document(tmp_path / "in.json", 600)
    size = doc.stat().st_size
    result, peak = import_peak(doc, warm=_document(tmp_path / "warm.json", 3), chunk=1 << 14)
    assert result.exit_code == 0, result.stderr
    assert peak < 4.0 * size, f"peak {peak / size:.2f}x the document"


KILLED_IMPORT = """
import sys
from reflect.cli import main
print("start", flush=True)
main(["--db", sys.argv[1], "import", sys.argv[2]])
"""


def test_a_streamed_import_killed_at_any_moment_is_all_or_nothing(tmp_path: Path) -> None:
    """Real processes killed at a random moment of `reflect import FILE` (reading, staging,
    committing, renaming): the next open finds the journal as it was or with all of it."""
    root = Path(__file__).resolve().parent.parent
    doc = _document(tmp_path / "in.json", 400)
    ids = {e["id"] for e in json.loads(doc.read_text(encoding="utf-8"))["entries"]}
    rng = random.Random(16)
    seen = set()
    for n in range(6):
        db = tmp_path / f"j{n}" / "journal.json"
        j = Journal(db)
        first = j.save(Entry(occurred=datetime(2023, 2, 1, tzinfo=UTC), listen=Listen(story="before")))
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_IMPORT, str(db), str(doc)], cwd=root,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert child.stdout is not None and child.stdout.readline().strip() == "start"
        time.sleep(rng.uniform(0.0, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait()
        after = Journal(db)
        stored = {e.id for e in after.entries()}
        assert stored in ({first.id}, ids | {first.id}), len(stored)
        assert after.check().ok
        seen.add(len(stored))
    assert seen  # (which outcomes a run saw depends on the machine's speed; each is whole)


def test_orjson_writes_the_bytes_json_writes() -> None:
    """The store's month files hold `storage.dumps` bytes; an entry encoded by orjson must
    be the same bytes, for every character a text may hold and every value an entry has."""
    import orjson

    from reflect.domain import import_stream
    from reflect.store.storage import dumps

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    values = [every, {"a": [1, 0, -7, 2**63 - 1, True, False, None, "", {}], "é\n\"\\": {"x": []}}]
    for value in values:
        assert orjson.dumps(value) == dumps(value)
        assert import_stream._to_bytes(value) == dumps(value)
    for encode in (import_stream._to_bytes, import_stream._json_bytes):  # a lone surrogate is not text
        with pytest.raises((TypeError, ValueError)):
            encode({"story": "\ud800"})


def test_without_orjson_the_streamed_import_writes_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment installed before orjson was a dependency reads and writes with json."""
    from reflect.domain import import_stream

    doc = _document(tmp_path / "in.json", 50)
    assert run("import", str(doc)).exit_code == 0
    with_orjson = _journal_files(Journal().parts)
    monkeypatch.setattr(import_stream, "_to_bytes", import_stream._json_bytes)
    monkeypatch.setattr(import_stream, "_measure", import_stream._json_bytes)
    monkeypatch.setattr(import_stream, "_line_loads", None)
    monkeypatch.setattr(import_stream, "orjson", None)
    other = tmp_path / "other" / "journal.json"
    result = run("--db", str(other), "import", str(doc))
    assert result.exit_code == 0, result.stderr
    assert _journal_files(Journal(other).parts) == with_orjson


def test_an_encrypted_journal_takes_a_streamed_import_sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The packed entries go through the same staging, so through the codec: every month
    file and backup written is an age file, and the entries read back."""
    from age_helpers import install_identity

    from reflect.store.codec import AGE_HEADER

    install_identity(tmp_path, monkeypatch)
    Journal().save(Entry(occurred=datetime(2023, 1, 3, tzinfo=UTC), listen=Listen(story="first")))
    assert run("encrypt").exit_code == 0
    doc = _document(tmp_path / "in.json", 30)
    result = run("import", str(doc))
    assert result.exit_code == 0, result.stderr
    j = Journal()
    months = [p for p in j.parts.rglob("*.json*") if p.parent.name in ("entries", "backups", "index")]
    assert len(months) > 20 and all(p.read_bytes().startswith(AGE_HEADER) for p in months)
    assert b"We talked" not in b"".join(p.read_bytes() for p in j.parts.rglob("*") if p.is_file())
    assert j.count() == 31 and j.get(json.loads(doc.read_text(encoding="utf-8"))["entries"][7]["id"]).person == "J"


def test_a_named_pipe_is_read_once_whole(tmp_path: Path) -> None:
    """`reflect import <(gunzip -c export.json.gz)` names a pipe: it can be read only once,
    so it is not opened for a look at its start and then again for the chunks."""
    import os
    import threading

    doc = _document(tmp_path / "in.json", 20)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as out:
            out.write(doc.read_bytes())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    reflect = Path(sys.executable).parent / "reflect"  # the installed command, in its own process
    try:  # a second open of the pipe would wait for a writer for ever: the old code hung here
        result = subprocess.run([str(reflect), "import", str(fifo)], capture_output=True, text=True, timeout=120)
    finally:
        if writer.is_alive():  # unblock the writer when the command never read
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    writer.join()
    assert result.returncode == 0, result.stderr
    assert result.stderr == "imported entries: 20 added, 0 unchanged\n"
    assert Journal().count() == 20


def test_a_separator_other_than_a_comma_is_refused(tmp_path: Path) -> None:
    """After an entry, or a member of the document: anything but `,` or the closing bracket
    is refused (by the streamed read too, which leaves the error to the whole-text parse)."""
    doc = _document(tmp_path / "in.json", 3)
    good = doc.read_text(encoding="utf-8")
    at_entry = good.replace("},\n    {", "};\n    {", 1)  # after the first entry
    at_member = good.replace('"version": 1,', '"version": 1;', 1)  # after the document's version
    for bad, line in ((at_entry, "line 6 column"), (at_member, "line 3 column 15")):
        assert bad != good
        doc.write_text(bad, encoding="utf-8")
        one_line_error(run("import", str(doc)), f"not valid JSON at {line}", "Expecting ',' delimiter", code=2)
        assert Journal().count() == 0
