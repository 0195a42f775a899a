"""reflect.paths decides every file of a journal; the store reads no environment itself
and imports no front end."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from reflect import paths
from reflect.store import Journal

ROOT = Path(__file__).resolve().parent.parent


def test_the_layout_of_a_journal(tmp_path: Path) -> None:
    lay = paths.Layout(tmp_path / "j.json")
    d = tmp_path / "j.json.d"
    assert (lay.parts, lay.lock, lay.pending, lay.drafts, lay.meetings) == (
        d, tmp_path / "j.json.lock", d / "pending.json", d / "drafts.json", d / "meetings.json",
    )  # fmt: skip
    assert lay.month("2024-03") == d / "entries" / "2024-03.json" and lay.shard("ab") == d / "index" / "ab.json"
    assert lay.agenda("m-1").parent == d / "agendas" and lay.agenda("m-1") != lay.agenda("m-2")
    assert lay.months(["2024-03.json", ".2024-04.json.1.2.tmp", "notes.txt", "2023-12.json"]) == ["2023-12", "2024-03"]
    assert paths.backup_name(lay.main, 2) == "j.json.2"
    assert paths.corrupt_path(lay.main, "20240301T100000") == tmp_path / "j.json.corrupt-20240301T100000"
    tmp = paths.temp_path(lay.main, 12, 34)
    assert tmp.parent == tmp_path and paths.is_temp_name(tmp.name) and not paths.is_temp_name(lay.main.name)


def test_the_journal_exposes_its_layout(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.json", settings_path=tmp_path / "s.json")
    lay = paths.Layout(tmp_path / "j.json")
    assert (j.parts, j.entries_dir, j.index_dir, j.backup_dir, j.agendas_dir) == (
        lay.parts, lay.entries_dir, lay.index_dir, lay.backup_dir, lay.agendas_dir,
    )  # fmt: skip


def test_editor_temp_dir_prefers_the_runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert paths.editor_temp_dir() == tmp_path
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "missing"))
    assert paths.editor_temp_dir() == Path(tempfile.gettempdir())
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert paths.editor_temp_dir() == Path(tempfile.gettempdir())


def test_the_store_reads_no_environment() -> None:
    """REFLECT_DB and the XDG folders are paths.py's to read."""
    for module in sorted((ROOT / "reflect" / "store").glob("*.py")):
        text = module.read_text(encoding="utf-8")
        assert "environ" not in text and "getenv" not in text, module.name


def test_the_store_imports_no_front_end_nor_use_case() -> None:
    code = (
        "import sys, reflect.store, reflect.store.journal\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'click')"
        " or m.startswith(('reflect.cli', 'reflect.screens', 'reflect.usecases', 'reflect.root'))]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_only_paths_reads_reflect_db() -> None:
    """design.md: nothing but paths.py decides where the files are. Old code: click's
    `envvar="REFLECT_DB"` in cli/commands.py and a check of it in cli/kit.py."""
    import ast

    readers = []
    for module in sorted((ROOT / "reflect").rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Constant) and n.value == "REFLECT_DB" for n in ast.walk(tree)):
            readers.append(module.relative_to(ROOT).as_posix())
    assert readers == ["reflect/paths.py"]


def test_an_empty_journal_location_is_refused_by_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Given but empty is a typo (`REFLECT_DB=$TYPO`), never the person's default journal."""
    monkeypatch.setenv("REFLECT_DB", str(tmp_path / "j.json"))
    assert paths.journal_path() == tmp_path / "j.json"
    assert paths.journal_path(tmp_path / "k.json") == tmp_path / "k.json"
    with pytest.raises(paths.JournalPathError, match="--db: the journal path is empty"):
        paths.journal_path(" ")
    monkeypatch.setenv("REFLECT_DB", "  ")
    with pytest.raises(paths.JournalPathError, match="REFLECT_DB is set but empty"):
        paths.journal_path()
    assert paths.journal_path(tmp_path / "k.json") == tmp_path / "k.json"  # --db wins
    monkeypatch.delenv("REFLECT_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.journal_path() == tmp_path / "data" / "reflect" / "journal.json"
