"""The one small-table helper behind stories, meetings (with agendas) and drafts."""

from __future__ import annotations

import json
from pathlib import Path

from reflect.store.tables import Table, next_key, split_agenda


def _table(tmp_path: Path, **kw) -> Table:
    return Table(tmp_path / "t.json", "things", backup_dir=tmp_path / "backups", keep=1, **kw)


def test_next_key_is_one_past_the_largest() -> None:
    assert next_key({}) == "1" and next_key({"2": {}, "10": {}}) == "11"


def test_put_replaces_in_place_and_keeps_the_other_tables(tmp_path: Path) -> None:
    t = _table(tmp_path)
    t.path.write_text(json.dumps({"meta": {"1": {"schema": 2}}, "things": {"3": {"id": "a", "v": 1}}}))
    t.put({"id": "b", "v": 2})
    t.put({"id": "a", "v": 3})
    data = json.loads(t.path.read_text())
    assert data == {"meta": {"1": {"schema": 2}}, "things": {"3": {"id": "a", "v": 3}, "4": {"id": "b", "v": 2}}}
    t.put({"id": "a", "v": 4}, to_end=True)  # drafts: file order is save order
    assert json.loads(t.path.read_text())["things"] == {"4": {"id": "b", "v": 2}, "5": {"id": "a", "v": 4}}
    t.remove("b")
    assert t.docs() == [{"id": "a", "v": 4}]


def test_remove_from_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    t = _table(tmp_path)
    t.remove("a")
    assert not t.path.exists()


def test_agendas_are_kept_apart_and_kept_when_none_is_given(tmp_path: Path) -> None:
    t = _table(tmp_path, agenda_path=lambda i: tmp_path / "agendas" / f"{i}.json")
    t.put({"id": "m", "agenda": {"windows": [1]}})
    assert t.docs() == [{"id": "m", "agenda": None}]
    t.put({"id": "m", "agenda": None, "notes": "later"})
    assert t.with_agendas(t.docs()) == [{"id": "m", "agenda": {"windows": [1]}, "notes": "later"}]
    assert split_agenda({"id": "m", "agenda": {"x": 1}}) == ({"id": "m", "agenda": None}, {"x": 1})
