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
