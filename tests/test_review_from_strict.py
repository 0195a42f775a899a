"""`review --from` reads export documents as `import` does (issue 8, item 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect.cli import main

ENTRY = '{"id": "a", "occurred": "2026-11-25T10:00:00+00:00", "peer": "alex"}'


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def doc(entries: str = "", meetings: str = "") -> str:
    return f'{{"format": "reflect-export", "version": 1, "entries": [{entries}], "meetings": [{meetings}]}}'


@pytest.mark.parametrize(
    "text, says",
    [
        (doc('{"id": "a", "occurred": "2026-11-25T10:00:00+00:00", "question": "q1", "question": "q2"}'), "appears twice"),
        (doc(ENTRY + ", " + ENTRY.replace("25T", "26T")), "'a' appears twice"),
        (doc('{"id": "a", "occurred": "2026-11-25T10:00:00+00:00", "minutes": NaN}'), "NaN"),
        (doc(meetings='{"id": "m", "held": "2026-11-20T10:00:00+00:00", "since": "2026-11-01T10:00:00+00:00",'
                      ' "until": "2026-11-20T10:00:00+00:00"}, {"id": "m", "held": "2026-11-21T10:00:00+00:00",'
                      ' "since": "2026-11-01T10:00:00+00:00", "until": "2026-11-20T10:00:00+00:00"}'), "appears twice"),
    ],
)
def test_what_import_refuses_review_from_refuses_with_the_same_words(tmp_path: Path, text: str, says: str) -> None:
    """Old code: each of these passed `review --from` and printed an agenda."""
    path = tmp_path / "alex.json"
    path.write_text(text, encoding="utf-8")
    imported = run("import", str(path))
    reviewed = run("review", "--format", "json", "--from", str(path))
    assert imported.exit_code != 0 and reviewed.exit_code == 2
    assert says in reviewed.stderr and reviewed.stdout == ""
    assert reviewed.stderr.strip() == imported.stderr.strip()


def test_a_meeting_without_a_peer_is_the_files_owners(tmp_path: Path) -> None:
    """Old code: printed nothing and exited 0."""
    path = tmp_path / "robin.json"
    path.write_text(doc(meetings='{"id": "m1", "held": "2026-11-20T10:00:00+00:00", '
                                 '"since": "2026-11-01T10:00:00+00:00", "until": "2026-11-20T10:00:00+00:00", '
                                 '"actions": [{"id": "x", "text": "Read chapter 3"}]}'), encoding="utf-8")  # fmt: skip
    result = run("review", "--format", "json", "--from", str(path), "--until", "2026-11-30")
    assert result.exit_code == 0, result.stderr
    (agenda,) = json.loads(result.stdout)["agendas"]
    assert agenda["peer"] == "robin" and agenda["since"].startswith("2026-11-20")
    assert "Read chapter 3" in json.dumps(agenda)
