"""Import at scale (issue 8, item 16, the store's half): each id hashed once, each file
written once, the work that needs no journal done before the lock, progress reported."""

from __future__ import annotations

from collections import Counter
from typing import Any
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reflect.domain.model import Entry, Listen, ValidationError
from reflect.store import Journal, JournalBusy, JournalError
from reflect.store import engine as engine_module

UTC = timezone.utc
N = 2500  # over 12 months: every index shard is touched, each many times


def entries(n: int = N) -> list[Entry]:
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    return [Entry(occurred=start + timedelta(hours=3 * k + k % 7), listen=Listen(story=f"entry {k}")) for k in range(n)]


def journal(root: Path, **kw: float) -> Journal:
    return Journal(root / "journal.json", settings_path=root / "settings.json", **kw)


def test_an_import_hashes_each_id_a_bounded_number_of_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Was once per id per shard touched: 2,500 ids x 256 shards."""
    j = journal(tmp_path)
    j.save(Entry(occurred=datetime(2023, 5, 1, tzinfo=UTC), listen=Listen(story="already here")))
    hashed: Counter[str] = Counter()
    real = engine_module.shard_of

    def counting(entry_id: str) -> str:
        hashed[entry_id] += 1
        return real(entry_id)

    monkeypatch.setattr(engine_module, "shard_of", counting)
    batch = entries()
    result = j.import_records(batch)
    assert len(result.added) == N
    assert max(hashed[e.id] for e in batch) <= 3, hashed.most_common(1)


def test_an_import_writes_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    j = journal(tmp_path)
    written: Counter[Path] = Counter()
    real = engine_module.write_json

    def counting(path: Path, data: object, **kw: object) -> None:
        written[Path(path)] += 1
        real(path, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_module, "write_json", counting)
    j.import_records(entries())
    assert written and max(written.values()) == 1, written.most_common(2)
    assert j.count() == N


def test_progress_is_reported_and_the_lock_is_free_while_the_input_is_made_ready(tmp_path: Path) -> None:
    j = journal(tmp_path)
    other = journal(tmp_path, lock_timeout=0.2)
    other.save(Entry(occurred=datetime(2023, 5, 1, tzinfo=UTC), listen=Listen(story="already here")))
    calls: list[tuple[int, int]] = []
    free_while_preparing: list[bool] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if 0 < done < total // 3:  # making the input ready: another process may still write
            try:
                other.save(Entry(occurred=datetime(2023, 6, 1, tzinfo=UTC), listen=Listen(story=f"during {done}")))
                free_while_preparing.append(True)
            except JournalBusy:
                free_while_preparing.append(False)

    j.import_records(entries(), progress=progress)
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] > 0
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)  # never goes back
    assert len({t for _, t in calls}) == 1
    assert free_while_preparing and all(free_while_preparing)
    assert j.count() == N + 1 + len(free_while_preparing)


def test_a_date_no_month_can_hold_is_refused_before_the_lock_with_nothing_written(tmp_path: Path) -> None:
    j = journal(tmp_path, lock_timeout=0.2)
    j.count()  # the journal exists and is ready
    batch = entries(10)
    batch[7].occurred = datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=5)))  # no UTC month
    other = journal(tmp_path)
    with other._gate.writing():  # another process is writing: the lock is not to be had
        with pytest.raises(ValidationError):  # not JournalBusy: refused without asking for it
            j.import_records(batch)
    assert other.count() == 0


def test_an_import_from_an_iterator_is_made_ready_as_it_comes(tmp_path: Path) -> None:
    j = journal(tmp_path)
    batch = entries(1200)
    calls: list[tuple[int, int]] = []
    result = j.import_records(iter(batch + batch[:5]), progress=lambda d, t: calls.append((d, t)))
    assert len(result.added) == 1200 and j.count() == 1200
    assert calls[0] == (0, 0) and (1000, 0) in calls  # the total is not known yet
    assert calls[-1] == (3 * 1205, 3 * 1205)


def test_an_import_is_one_commit_entries_stories_and_meetings_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while the meetings file is written used to leave the import's entries
    in place although the command said it failed: now nothing of it is there."""
    import errno

    import os

    from reflect.domain.model import Meeting, Story

    j = Journal(tmp_path / "journal.json", settings_path=tmp_path / "settings.json")
    real_open = os.open

    def full_for_meetings(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        """The disk fills as the meetings file is written: creating its new copy fails."""
        if "meetings.json" in os.fspath(path) and flags & os.O_CREAT:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", full_for_meetings)
    entries = [Entry(occurred=datetime(2024, 3, d, 10, tzinfo=timezone.utc)) for d in range(1, 4)]
    with pytest.raises(JournalError, match="No space left"):
        j.import_records(entries, [Story(title="A part")], [Meeting(held=datetime(2024, 3, 5, tzinfo=timezone.utc), since=datetime(2024, 3, 1, tzinfo=timezone.utc), until=datetime(2024, 3, 5, tzinfo=timezone.utc), peer="alex")])
    monkeypatch.undo()
    fresh = Journal(tmp_path / "journal.json", settings_path=tmp_path / "settings.json")
    assert list(fresh.entries()) == [] and fresh.stories() == [] and fresh.meetings() == []
