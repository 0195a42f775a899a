"""`reflect list` and `reflect show` print stored text escaped (issue 8, item 7): an id,
person, setting or story holding `ESC[2J` or a newline prints as visible escapes, and a
one-line field stays on its line.

Old code: the table and the shown entry carried the escape sequences raw (the terminal
would clear the screen and retitle its window), and a newline in an id or a person in
`show` forged a line of its own."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from reflect.domain.model import Entry, Listen, now
from reflect.store import Journal
from tests.cli_helpers import run

ESC = "\x1b[2J\x1b]0;owned\x07"
ENTRY_ID = f"evil{ESC}\nforged-id"


def raw_controls(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]


def reflect_cmd() -> list[str]:
    folder = Path(sys.executable).parent
    for name in ("reflect", "reflect.exe"):
        if (folder / name).exists():
            return [str(folder / name)]
    pytest.fail(f"the reflect script is not installed beside {sys.executable}: pip install -e .")


@pytest.fixture
def hostile(db_path: Path) -> Path:
    Journal(db_path).save(Entry(
        occurred=now() - timedelta(hours=2), id=ENTRY_ID, person=f"Rae{ESC}\nforged-person",
        listen=Listen(story=f"first line {ESC}\nforged-story\nthird"),
    ))  # fmt: skip
    return db_path


def check_list(stdout: str) -> None:
    assert "\\x1b[2J" in stdout and raw_controls(stdout) == []
    lines = stdout.splitlines()
    assert len(lines) == 2, lines  # the heading and one row: nothing forged
    assert "evil\\x1b" in lines[1] and "Rae\\x1b" in lines[1] and "first line \\x1b" in lines[1]


def check_show(stdout: str) -> None:
    assert "\\x1b[2J" in stdout and raw_controls(stdout) == []
    lines = stdout.splitlines()
    assert not any(line.startswith(("forged-id", "forged-person")) for line in lines), lines
    assert any("Rae\\x1b[2J" in line and "\\nforged-person" in line for line in lines), lines
    assert any("evil\\x1b[2J" in line and "\\nforged-id" in line for line in lines), lines


def test_list_and_show_escape_stored_text(hostile: Path) -> None:
    listed = run("list")
    assert listed.exit_code == 0, listed.stderr
    check_list(listed.stdout)
    shown = run("show", ENTRY_ID)
    assert shown.exit_code == 0, shown.stderr
    check_show(shown.stdout)


def test_list_json_stays_json(hostile: Path) -> None:
    import json

    listed = run("list", "--json")
    assert json.loads(listed.stdout)[0]["id"] == ENTRY_ID


def test_the_installed_script_escapes_too(hostile: Path) -> None:
    listed = subprocess.run(reflect_cmd() + ["--db", str(hostile), "list"], capture_output=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    check_list(listed.stdout.decode("utf-8"))
    shown = subprocess.run(reflect_cmd() + ["--db", str(hostile), "show", ENTRY_ID], capture_output=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    check_show(shown.stdout.decode("utf-8"))
