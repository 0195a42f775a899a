"""The store under the faults issue #2 names: kills, concurrent writers, stale instances,
corrupt files, a full disk, loose permissions, old and new schemas.

Every test works on real files in tmp_path, and other processes are real processes.
"""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from tinydb import TinyDB

from reflect.domain.model import Entry, Listen, Story
from reflect.store import Journal, JournalCorrupt, JournalError, JournalTooNew
from reflect.store import migrate, storage

UTC = timezone.utc
ROOT = Path(__file__).resolve().parent.parent


def entry(day: int = 1, month: int = 3, text: str = "they talked about the week", **kw) -> Entry:
    return Entry(occurred=datetime(2024, month, day, 10, 0, tzinfo=UTC), listen=Listen(story=text), **kw)


def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.json", settings_path=tmp_path / "settings.json")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root (lock file aside: it holds no data) by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def run_child(code: str, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, text=True, **popen
    )


# --- SIGKILL while saving ---------------------------------------------------------------

SAVER = r"""
import sys
from datetime import datetime, timedelta, timezone
from reflect.domain.model import Entry, Listen
from reflect.store import Journal

j = Journal(sys.argv[1], settings_path=sys.argv[2])
seed = int(sys.argv[3])
base = datetime(2024, 1, 1, 9, tzinfo=timezone.utc)
mine = []
i = 0
while True:
    i += 1
    if mine and i % 3 == 0:
        # an edit that moves an acknowledged entry to another month (two month files)
        e = j.get(mine[(i * 7) % len(mine)])
        e.occurred = base + timedelta(days=(i * 13 + seed) % 120, minutes=i)
        e.listen.story += " and more"
    else:
        e = Entry(occurred=base + timedelta(days=(i * 11 + seed) % 120, minutes=i),
                  listen=Listen(story="they talked about the week " * 40))
    j.save(e)
    mine.append(e.id)
    print(e.id, flush=True)  # acknowledged: save() returned
"""


def test_sigkill_while_saving_never_loses_an_acknowledged_entry(tmp_path: Path) -> None:
    db, settings = tmp_path / "journal.json", tmp_path / "settings.json"
    rng = random.Random(2024)
    acknowledged: set[str] = set()
    for round_ in range(36):
        child = run_child(SAVER, str(db), str(settings), str(round_), stdout=subprocess.PIPE)
        assert child.stdout is not None
        first = child.stdout.readline()  # it is saving now
        assert first.strip(), "the saver died before its first save"
        acknowledged.add(first.strip())
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        assert child.returncode == -signal.SIGKILL
        acknowledged.update(line.strip() for line in rest.splitlines() if line.strip())
        # The next process opens it: every acknowledged entry is there.
        j = Journal(db, settings_path=settings)
        missing = [i for i in acknowledged if not j.exists(i)]
        assert not missing, f"round {round_}: {len(missing)} acknowledged entries lost"
    j = Journal(db, settings_path=settings)
    stored = {e.id for e in j.entries()}
    assert acknowledged <= stored
    assert len(stored) == j.count()
    report = j.check()
    assert report.ok, report.problems
    assert report.entries == len(stored)


# --- two processes at once ----------------------------------------------------------------

IMPORTER = r"""
import sys
from datetime import datetime, timedelta, timezone
from reflect.domain.model import Entry, Listen
from reflect.store import Journal

j = Journal(sys.argv[1], settings_path=sys.argv[2])
who = sys.argv[3]
base = datetime(2024, 5, 1, 9, tzinfo=timezone.utc)
for i in range(200):
    e = Entry(occurred=base + timedelta(days=i % 45, minutes=i), listen=Listen(story=f"{who} {i}"),
              tags=[who])
    if i % 2:
        j.save(e)
    else:
        j.import_records([e])
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db, settings = tmp_path / "journal.json", tmp_path / "settings.json"
    children = [run_child(IMPORTER, str(db), str(settings), who, stderr=subprocess.PIPE) for who in ("a", "b")]
    for child in children:
        _, err = child.communicate(timeout=240)
        assert child.returncode == 0, err
    j = Journal(db, settings_path=settings)
    stored = list(j.entries())
    assert len(stored) == 400
    assert sorted(e.listen.story for e in stored) == sorted(f"{w} {i}" for w in "ab" for i in range(200))
    report = j.check()
    assert report.ok, report.problems
    for path in [db, *(tmp_path / "journal.json.d").rglob("*.json")]:
        json.loads(path.read_bytes())  # every file readable


# --- a long-lived instance after another process's insert --------------------------------

INSERT_ONE = r"""
import sys
from datetime import datetime, timedelta, timezone
from reflect.domain.model import Entry, Listen, Story
from reflect.store import Journal

j = Journal(sys.argv[1], settings_path=sys.argv[2])
j.save(Entry(id="from-other", occurred=datetime(2024, 3, 2, 9, tzinfo=timezone.utc), listen=Listen(story="other")))
j.save_story(Story(title="other's story", id="story-other"))
"""


def test_long_lived_instance_saves_after_another_process_inserted(tmp_path: Path) -> None:
    j = journal(tmp_path)
    j.save(entry(1, id="mine-1"))
    j.save_story(Story(title="first", id="story-1"))
    assert j.recent(5) and j.stories()  # the instance has read everything once
    child = run_child(INSERT_ONE, str(j.path), str(j.settings_path), stderr=subprocess.PIPE)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    j.save(entry(3, id="mine-2"))  # same month file as the other process's entry
    j.save_story(Story(title="second", id="story-2"))
    assert {e.id for e in j.entries()} == {"mine-1", "from-other", "mine-2"}
    assert {s.id for s in j.stories()} == {"story-1", "story-other", "story-2"}
    assert j.check().ok


# --- threads -------------------------------------------------------------------------------


def test_threads_save_through_one_instance(tmp_path: Path) -> None:
    j = journal(tmp_path)
    errors: list[BaseException] = []

    def work(who: str) -> None:
        try:
            for i in range(60):
                j.save(entry(1 + i % 28, text=f"{who} {i}"))
                j.recent(3)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert sorted(e.listen.story for e in j.entries()) == sorted(f"{w} {i}" for w in "abc" for i in range(60))
    assert j.check().ok


# --- corrupt files -------------------------------------------------------------------------


def _garble(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "garbled":
        path.write_bytes(raw[:10] + b"\x00\xff{{not json" + raw[20:])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "wrong-shape":
        path.write_bytes(b"[1, 2, 3]")


@pytest.fixture
def filled(tmp_path: Path) -> Journal:
    """A journal with entries in two months, each month saved several times (backups)."""
    j = journal(tmp_path)
    for day in range(1, 5):
        j.save(entry(day, month=3, id=f"march-{day}"))
        j.save(entry(day, month=4, id=f"april-{day}"))
    j.save_story(Story(title="a story", id="story-1"))
    j.save_story(Story(title="another", id="story-2"))
    return j


def _target(j: Journal, kind: str) -> Path:
    if kind == "main":
        return j.path
    if kind == "month":
        return j.entries_dir / "2024-04.json"
    from reflect.store.engine import shard_of as _shard

    return j.index_dir / f"{_shard('april-2')}.json"


@pytest.mark.parametrize("how", ["truncated", "garbled", "empty", "wrong-shape"])
@pytest.mark.parametrize("kind", ["main", "month", "index"])
def test_a_corrupt_file_is_reported_left_untouched_and_restored(filled: Journal, kind: str, how: str) -> None:
    bad = _target(filled, kind)
    _garble(bad, how)
    before = bad.read_bytes()
    fresh = Journal(filled.path, settings_path=filled.settings_path)

    def read() -> None:
        if kind == "index":
            fresh.get("april-2")
        else:
            fresh.recent(10)

    for attempt in (read, lambda: fresh.save(entry(9, month=4, id="april-2"))):
        with pytest.raises(JournalCorrupt) as caught:
            attempt()
        assert str(bad) in str(caught.value)
        assert "left untouched" in str(caught.value)
        assert bad.read_bytes() == before
    assert not fresh.pending_path.exists()  # a refused write leaves no intent behind

    report = fresh.check()
    assert not report.ok
    # Named relative to the journal's folder (issue 8, item 10).
    assert any(p.startswith(f"{bad.relative_to(filled.path.parent)}: ") for p in report.problems)
    assert bad.read_bytes() == before  # checking changes nothing

    repaired = fresh.check(repair=True)
    assert repaired.ok, repaired.problems
    assert repaired.repaired
    assert [p.read_bytes() for p in bad.parent.glob(bad.name + ".corrupt-*")] == [before]
    after = Journal(filled.path, settings_path=filled.settings_path)
    assert after.check().ok
    ids = {e.id for e in after.entries()}
    # The newest backup is the file as last written: nothing acknowledged is lost (issue 8).
    assert ids == {f"{m}-{d}" for m in ("march", "april") for d in range(1, 5)}
    assert after.get("april-2").id == "april-2"
    if kind == "main":
        assert {s.id for s in after.stories()} == {"story-1", "story-2"}
    after.save(entry(20, month=4, id="april-20"))
    assert after.exists("april-20")


def test_a_corrupt_pending_intent_is_reported_and_set_aside_by_repair(filled: Journal) -> None:
    filled.pending_path.write_bytes(b'{"puts": [{"id": "x", "occ')
    before = snapshot(filled.path.parent)
    fresh = Journal(filled.path, settings_path=filled.settings_path)
    with pytest.raises(JournalCorrupt) as caught:
        fresh.recent(5)
    assert "pending.json" in str(caught.value)
    assert snapshot(filled.path.parent) == before
    assert any("pending.json" in p for p in fresh.check().problems)
    report = fresh.check(repair=True)
    assert report.ok, report.problems
    assert not filled.pending_path.exists()
    assert list(filled.parts.glob("pending.json.corrupt-*"))
    assert len(fresh.recent(50)) == 8


# --- a full disk -----------------------------------------------------------------------------


class _FullDisk:
    """os, as the storage module sees it, on a disk that fills up: the first `after`
    files opened for writing are written whole, then only `room` more bytes fit. A fault injected at the
    OS boundary, not a mocked store."""

    def __init__(self, room: int, after: int = 0):
        self.room, self.after, self.calls = room, after, 0

    def __getattr__(self, name: str):
        return getattr(os, name)

    def open(self, path, flags, *args, **kwargs):
        if flags & os.O_WRONLY:  # a file opened to be written (not the lock, not a folder)
            self.calls += 1
        return os.open(path, flags, *args, **kwargs)

    def write(self, fd: int, data) -> int:
        if self.calls <= self.after:
            return os.write(fd, data)
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = os.write(fd, bytes(data[: min(len(data), self.room, 1000)]))
        self.room -= n
        return n


def test_atomic_write_on_a_full_disk_leaves_the_original_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "disk").mkdir()
    target = tmp_path / "disk" / "data.json"
    target.write_bytes(b'{"old": true}')
    monkeypatch.setattr(storage, "os", _FullDisk(room=3000))
    with pytest.raises(OSError) as caught:
        storage.atomic_write(target, b"x" * 100_000)
    assert caught.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert target.read_bytes() == b'{"old": true}'
    assert sorted(p.name for p in target.parent.iterdir()) == ["data.json"]


@pytest.mark.parametrize("after", [0, 1, 2])
def test_save_on_a_full_disk_fails_cleanly_and_loses_nothing(filled: Journal, monkeypatch, after: int) -> None:
    """after=0: the disk is full from the intent on; 1, 2: it fills mid-way through the
    set of files a save writes. Nothing already stored is harmed either way."""
    root = filled.path.parent
    month = filled.entries_dir / "2024-04.json"
    month_before = month.read_bytes()
    before = snapshot(root)
    monkeypatch.setattr(storage, "os", _FullDisk(room=0, after=after))
    new = entry(25, month=4, id="april-25", text="x " * 2000)
    with pytest.raises(JournalError) as caught:
        filled.save(new)
    assert "No space left" in str(caught.value)
    monkeypatch.undo()
    assert month.read_bytes() == month_before
    assert not [p for p in root.rglob("*") if storage.is_temp_name(p.name)]
    # A failed save leaves nothing (issue 8, item 11: every file is staged before the
    # intent commits the set), so it can never come back later.
    assert snapshot(root) == before
    j = Journal(filled.path, settings_path=filled.settings_path)
    ids = {e.id for e in j.entries()}
    assert ids == {f"{m}-{d}" for m in ("march", "april") for d in range(1, 5)}
    assert j.check().ok


# --- permissions --------------------------------------------------------------------------


def test_files_are_private_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        j = Journal(tmp_path / "data" / "journal.json", settings_path=tmp_path / "config" / "settings.json")
        for day in (1, 2, 3):
            j.save(entry(day))
        j.save_story(Story(title="s"))
        j.save_story(Story(title="t"))
        from reflect.domain.model import Draft

        j.save_draft(Draft(entry={"listen": {"story": "half"}}))
        j.save_settings(j.settings())
        j.save_settings(j.settings())
    finally:
        os.umask(old)
    seen_files = seen_dirs = 0
    for root in (tmp_path / "data", tmp_path / "config"):
        for p in [root, *root.rglob("*")]:
            mode = stat.S_IMODE(p.stat().st_mode)
            if p.is_dir():
                seen_dirs += 1
                assert mode == 0o700, f"{p}: {mode:o}"
            else:
                seen_files += 1
                assert mode == 0o600, f"{p}: {mode:o}"
    assert (tmp_path / "data" / "journal.json.lock").exists()
    assert (tmp_path / "data" / "journal.json.d" / "backups").is_dir()
    assert (tmp_path / "config" / "backups").is_dir()
    assert seen_files > 10 and seen_dirs >= 6
    assert j.check().ok


# --- schema versions ---------------------------------------------------------------------


def _v0(path: Path, docs: list[dict]) -> None:
    """A journal as plain TinyDB writes it: one file, an `entries` table."""
    db = TinyDB(path)  # TinyDB's own JSONStorage
    db.table("entries").insert_multiple(docs)
    db.table("stories").insert(Story(title="old story", id="s-old").to_dict())
    db.close()
    os.chmod(path, 0o644)


def test_a_version_0_journal_opens_migrated_after_a_backup(tmp_path: Path) -> None:
    j = journal(tmp_path)
    docs = [entry(d, month=m, id=f"{m}-{d}").to_dict() for m in (1, 2, 3) for d in (5, 6)]
    _v0(j.path, docs)
    original = j.path.read_bytes()
    assert [e.id for e in j.recent(10)] == ["3-6", "3-5", "2-6", "2-5", "1-6", "1-5"]
    assert json.loads(j.path.read_bytes())["meta"]["1"]["schema"] == migrate.CURRENT
    assert "entries" not in json.loads(j.path.read_bytes())
    assert sorted(p.stem for p in j.entries_dir.glob("*.json")) == ["2024-01", "2024-02", "2024-03"]
    backups = list(tmp_path.glob("journal.json.backup-schema0-*"))
    assert len(backups) == 1
    assert (backups[0] / "journal.json").read_bytes() == original
    assert stat.S_IMODE((backups[0] / "journal.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(j.path.stat().st_mode) == 0o600
    assert [s.id for s in j.stories()] == ["s-old"]
    assert j.get("2-5").listen.story == "they talked about the week"
    assert j.check().ok


def test_a_newer_journal_is_refused_and_left_untouched(tmp_path: Path) -> None:
    j = journal(tmp_path)
    newer = migrate.CURRENT + 1
    j.path.write_text(json.dumps({"meta": {"1": {"schema": newer}}, "stories": {}}))
    before = snapshot(tmp_path)
    for attempt in (lambda: j.recent(5), lambda: j.save(entry())):
        with pytest.raises(JournalTooNew) as caught:
            attempt()
        assert f"schema {newer}" in str(caught.value) and str(j.path) in str(caught.value)
    assert snapshot(tmp_path) == before
    assert not j.parts.exists()


def test_a_version_0_journal_with_a_bad_entry_is_not_upgraded(tmp_path: Path) -> None:
    j = journal(tmp_path)
    good = entry(1, id="good").to_dict()
    bad = dict(entry(2, id="bad").to_dict(), minutes="lots")
    _v0(j.path, [good, bad])
    original = j.path.read_bytes()
    with pytest.raises(JournalError) as caught:
        j.recent(5)
    message = str(caught.value)
    assert "cannot upgrade" in message and "entries[1].minutes" in message
    assert j.path.read_bytes() == original
    assert not list(j.entries_dir.glob("*.json")) if j.entries_dir.exists() else True
    assert not j.index_dir.exists()


def test_a_version_1_journal_moves_meetings_out_of_the_main_file(tmp_path: Path) -> None:
    """Schema 2 keeps meetings (and each agenda snapshot) apart from the main file."""
    from reflect.domain.model import ActionItem, Meeting

    j = journal(tmp_path)
    held = datetime(2026, 3, 3, 10, tzinfo=timezone.utc)
    meeting = Meeting(
        held=held,
        since=held.replace(month=2),
        until=held,
        peer="sam",
        notes="talked",
        actions=[ActionItem(text="read the chapter", owner="sam")],
        agenda={"peer": "sam", "sections": []},
    )
    j.path.parent.mkdir(parents=True, exist_ok=True)
    j.path.write_text(
        json.dumps({"meta": {"1": {"schema": 1}}, "meetings": {"1": meeting.to_dict()}}), encoding="utf-8"
    )
    assert [m.id for m in j.meetings()] == [meeting.id]
    main = json.loads(j.path.read_bytes())
    assert main["meta"]["1"]["schema"] == 2 and "meetings" not in main
    assert j.meetings()[0].agenda is None  # not read unless asked for
    assert j.meetings(with_agenda=True)[0].to_dict() == meeting.to_dict()
    assert j.get_meeting(meeting.id).agenda == {"peer": "sam", "sections": []}
    assert list(tmp_path.glob("journal.json.backup-schema1-*"))


def test_doctor_reads_an_agenda_as_an_agenda_and_restores_a_damaged_one(tmp_path: Path) -> None:
    """Agenda files are plain JSON objects, not TinyDB files: a clean journal with a
    recorded meeting is clean, and a damaged agenda comes back from its backup."""
    from reflect.domain.model import Meeting

    j = journal(tmp_path)
    held = datetime(2026, 3, 3, 10, tzinfo=timezone.utc)
    m = Meeting(held=held, since=held.replace(day=1), until=held, peer="sam", agenda={"peer": "sam", "sections": []})
    j.save_meeting(m)
    j.save_meeting(Meeting.from_dict(dict(m.to_dict(), agenda={"peer": "sam", "sections": [{"key": "safety"}]})))
    report = j.check()
    assert report.ok, report.problems
    (agenda_file,) = j.agendas_dir.glob("*.json")
    agenda_file.write_text('{"peer": "sa', encoding="utf-8")
    assert not j.check().ok
    repaired = j.check(repair=True)
    assert repaired.ok, repaired.problems
    # the version last saved: backup 1 equals the file as last written (issue 8)
    assert j.get_meeting(m.id).agenda == {"peer": "sam", "sections": [{"key": "safety"}]}


def test_doctor_sets_aside_an_intent_replay_would_refuse(tmp_path: Path) -> None:
    """Doctor and replay read pending.json alike: an intent whose records lack ids is
    reported and set aside by repair, so the journal opens again."""
    j = journal(tmp_path)
    j.save(entry())
    j.pending_path.write_text(json.dumps({"puts": [{"x": 1}], "deletes": []}), encoding="utf-8")
    report = j.check()
    assert any("pending.json" in p for p in report.problems), report.problems
    assert j.check(repair=True).ok
    assert not j.pending_path.exists()
    assert len(j.recent(5)) == 1
