"""store/changes.py: the entries written since a moment, reading only the months that may hold one."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reflect.domain.model import Entry, Listen
from reflect.store import Journal
from reflect.store.changes import changed_dicts, stored_dicts

UTC = timezone.utc
T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_only_months_with_a_newer_stamp_are_parsed(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    j = Journal(db_path)
    clock = iter([T0, T0 + timedelta(seconds=1), T0 + timedelta(days=2), T0 + timedelta(days=2, seconds=1)])
    monkeypatch.setattr("reflect.store.engine.now", lambda: next(clock))
    j.save(Entry(occurred=datetime(2026, 1, 5, tzinfo=UTC), id="jan-old", listen=Listen(story="a")))
    j.save(Entry(occurred=datetime(2026, 2, 5, tzinfo=UTC), id="feb-old", listen=Listen(story="b")))
    j.save(Entry(occurred=datetime(2026, 2, 6, tzinfo=UTC), id="feb-new", listen=Listen(story="c")))
    j.save(Entry(occurred=datetime(2026, 7, 6, tzinfo=UTC), id="jul-new", listen=Listen(story="d")))
    engine = j._engine
    parsed: list[str] = []
    real = engine.month_docs
    monkeypatch.setattr(engine, "month_docs", lambda m: parsed.append(m) or real(m))
    got = [d["id"] for d in changed_dicts(engine, T0 + timedelta(days=1), datetime(2026, 6, 30, tzinfo=UTC))]
    assert got == ["feb-new"]  # july is after `before`; january's stamps are all older
    assert parsed == ["2026-02"]
    assert set(stored_dicts(engine, ["jan-old", "nope"])) == {"jan-old"}


def _imported(db_path: Path, n_months: int = 6) -> Journal:
    """A journal imported in one go today, every entry recorded and changed before T0: every
    month file is newer than a meeting held at T0, none of its entries is."""
    j = Journal(db_path)
    j.import_records(
        Entry(occurred=datetime(2025, m, 3, tzinfo=UTC), id=f"e{m}", listen=Listen(story="s"),
              recorded=T0 - timedelta(days=40), updated=T0 - timedelta(days=30))
        for m in range(1, n_months + 1)
    )  # fmt: skip
    return j


def _reads(engine: object, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every month file the late-entry search reads (parsed, or scanned for its stamps)."""
    import reflect.store.changes as changes

    read: list[str] = []
    month_docs, scan = engine.month_docs, changes._newest_stamp  # type: ignore[attr-defined]
    monkeypatch.setattr(engine, "month_docs", lambda m: read.append(m) or month_docs(m))
    monkeypatch.setattr(changes, "_newest_stamp", lambda p: read.append(p.stem) or scan(p))
    return read


def test_a_journal_imported_after_its_meetings_costs_no_month_read(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Old code: every month file was newer than the meeting, so each was read for its stamps."""
    j = _imported(db_path)
    read = _reads(j._engine, monkeypatch)
    assert list(changed_dicts(j._engine, T0, datetime(2026, 6, 30, tzinfo=UTC))) == []
    assert read == []


def test_late_entries_are_found_through_the_stamps(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    j = _imported(db_path)
    # Journaled late, by import and by a save: only those months are read.
    j.import_records([Entry(occurred=datetime(2025, 2, 9, tzinfo=UTC), id="late-import", listen=Listen(story="x"),
                            recorded=T0 + timedelta(days=1), updated=T0 + timedelta(days=1))])  # fmt: skip
    monkeypatch.setattr("reflect.store.engine.now", lambda: T0 + timedelta(days=2))
    j.save(Entry(occurred=datetime(2025, 4, 9, tzinfo=UTC), id="late-save", listen=Listen(story="y")))
    read = _reads(j._engine, monkeypatch)
    got = [d["id"] for d in changed_dicts(j._engine, T0, datetime(2026, 6, 30, tzinfo=UTC))]
    assert got == ["late-import", "late-save"]
    assert read == ["2025-02", "2025-04"]


def test_a_month_not_written_by_the_engine_is_read_whatever_its_stamp_says(db_path: Path) -> None:
    """A stamp describes one file: a month restored by a repair, or written by an older
    reflect, is read in full, so a late entry in it is never skipped."""
    from reflect.store.storage import read_tables, write_json

    j = _imported(db_path)
    path = j.layout.month("2025-03")
    data = read_tables(path)
    assert data is not None
    late = Entry(occurred=datetime(2025, 3, 9, tzinfo=UTC), id="late-elsewhere", listen=Listen(story="z"),
                 recorded=T0 + timedelta(days=1), updated=T0 + timedelta(days=1)).to_dict()  # fmt: skip
    data["entries"]["99"] = late
    write_json(path, data)  # not through the engine: stamps.json still says "nothing since T0 - 30 days"
    got = [d["id"] for d in changed_dicts(j._engine, T0, datetime(2026, 6, 30, tzinfo=UTC))]
    assert got == ["late-elsewhere"]


def test_late_entries_survive_a_repair(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    j = _imported(db_path)
    monkeypatch.setattr("reflect.store.engine.now", lambda: T0 + timedelta(days=2))
    j.save(Entry(occurred=datetime(2025, 3, 9, tzinfo=UTC), id="late", listen=Listen(story="y")))
    path = j.layout.month("2025-03")
    path.write_bytes(path.read_bytes()[:40])  # damaged
    report = j.check(repair=True)
    assert report.ok, report
    got = [d["id"] for d in changed_dicts(j._engine, T0, datetime(2026, 6, 30, tzinfo=UTC))]
    assert got == ["late"]


def test_stamps_are_never_read_through_a_link(db_path: Path) -> None:
    """Like every journal file: a link planted at stamps.json is not followed (no stamps)."""
    from reflect.store import stamps

    j = _imported(db_path)
    real = j.layout.stamps.with_name("elsewhere.json")
    j.layout.stamps.rename(real)
    j.layout.stamps.symlink_to(real)
    assert stamps.read(j.layout) == {}
    assert [d["id"] for d in changed_dicts(j._engine, T0 - timedelta(days=31), datetime(2026, 6, 30, tzinfo=UTC))]
