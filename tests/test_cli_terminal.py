"""Nothing printed to a terminal carries raw control characters; every error is one
bounded line (issue 8, item 7)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.model import Entry, Flags, Listen, Meeting, now
from reflect.domain.settings import Settings
from reflect.domain.terminal import LIMIT, escape, one_line
from reflect.store import Journal

ESC = "\x1b[2J\x1b]0;owned\x07"


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def raw_controls(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]


def test_one_line_and_escape() -> None:
    assert one_line("a\nb\x1b[2J") == "a\\nb\\x1b[2J"
    long = one_line("x" * 10_000_000)
    assert len(long) <= LIMIT and "more characters" in long and "\n" not in long
    assert escape("one\ntwo\x9b") == "one\ntwo\\x9b"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_review_escapes_peer_names_ids_and_text(db_path: Path, fmt: str) -> None:
    """Old code: the escape sequences reached stdout raw."""
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex"))
    j.save(Entry(occurred=now() - timedelta(days=1), id=f"id{ESC}", peer=f"sam{ESC}", flags=Flags(crisis=True),
                 listen=Listen(story=f"story {ESC}"), question=f"why{ESC}?"))  # fmt: skip
    j.save_meeting(Meeting(held=now() - timedelta(days=30), since=now() - timedelta(days=44),
                           until=now() - timedelta(days=30), peer=f"sam{ESC}"))  # fmt: skip
    result = run("review", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "\\x1b[2J" in result.stdout and raw_controls(result.stdout) == []
    listed = run("meeting", "list")
    assert "\\x1b[2J" in listed.stdout and raw_controls(listed.stdout) == []


def test_errors_are_one_bounded_line_whatever_the_file_holds(tmp_path: Path) -> None:
    """Old code: a newline in a key gave two lines, a 10 MB value a 10 MB line."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"id": "a", "occurred": "2026-01-01T10:00:00+00:00", f"bad\nkey{ESC}": 1}]),
                    encoding="utf-8")  # fmt: skip
    result = run("import", str(path))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and raw_controls(result.stderr) == []
    path.write_text(json.dumps([{"id": "a", "occurred": "2026-01-01T10:00:00+00:00", "setting": "x" * 10_000_000}]),
                    encoding="utf-8")  # fmt: skip
    result = run("import", str(path))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert len(result.stderr) <= LIMIT + len("reflect: \n")
