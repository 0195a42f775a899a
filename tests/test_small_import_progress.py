"""`reflect import` shows progress on stderr for imports that run over a second (issue 8,
item 16), and says nothing more for a fast one; stdout stays clean.

A slow import is simulated with a clock that jumps a second at every look, never with a
wall-clock threshold. Old code: `importing.apply` took no progress callback and the
command printed no progress at all, however long it ran."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

import reflect.cli.importing as cli_importing
from reflect.cli.importing import ProgressLine
from reflect.domain.model import Entry, Listen
from reflect.store import Journal
from reflect.usecases import importing
from tests.cli_helpers import run

START = datetime(2024, 1, 1, 9, tzinfo=timezone.utc)
N = 2500  # a few of the store's progress steps (one call per 1000 entries and phase)


def jsonl(n: int) -> str:
    return "".join(
        json.dumps(Entry(occurred=START + timedelta(hours=i), id=f"e{i:06d}", listen=Listen(story=f"s {i}")).to_dict()) + "\n"
        for i in range(n)
    )


def ticking(step: float) -> Callable[[], float]:
    """A clock that moves `step` seconds at every look."""
    t = [0.0]

    def now() -> float:
        t[0] += step
        return t[0]

    return now


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_use_case_reports_progress_to_the_end() -> None:
    journal = Journal()
    doc = importing.parse(journal, jsonl(N), source="<test>")
    calls: list[tuple[int, int]] = []
    importing.apply(journal, doc, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (3 * N, 3 * N)
    assert len(calls) > 3 and [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_a_slow_import_says_how_far_it_is_on_stderr_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_importing, "clock", ticking(1.0))
    result = run("import", "-", input=jsonl(N))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == ["importing… 100%", f"imported entries: {N} added, 0 unchanged"]  # not a terminal: one line
    assert "\r" not in result.stderr
    assert Journal().count() == N


def test_a_fast_import_prints_only_its_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_importing, "clock", lambda: 0.0)
    result = run("import", "-", input=jsonl(N))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.splitlines() == [f"imported entries: {N} added, 0 unchanged"]


def test_on_a_terminal_one_line_is_rewritten_and_ended() -> None:
    out = Tty()
    line = ProgressLine(out, label="importing…", now=ticking(0.6))
    for done in (0, 30, 30, 60, 90):
        line(done, 90)
    line.close()
    assert out.getvalue() == "\rimporting… 33%\rimporting… 66%\rimporting… 100%\n"  # 0% fell in the first second


def test_elsewhere_one_final_line_and_nothing_before_a_second() -> None:
    out = io.StringIO()
    line = ProgressLine(out, label="importing…", now=ticking(0.3))
    for done in (0, 30, 60, 90):
        line(done, 90)
    line.close()
    assert out.getvalue() == "importing… 100%\n"
    quick = io.StringIO()
    line = ProgressLine(quick, label="importing…", now=lambda: 0.0)
    for done in (0, 45, 90):
        line(done, 90)
    line.close()
    assert quick.getvalue() == ""


def test_an_interrupted_import_leaves_no_progress_line() -> None:
    out = io.StringIO()
    line = ProgressLine(out, label="importing…", now=ticking(1.0))
    line(90, 90)
    line.close(final=False)
    assert out.getvalue() == ""
    tty = Tty()
    line = ProgressLine(tty, label="importing…", now=ticking(1.0))
    line(45, 90)
    line.close(final=False)
    assert tty.getvalue().endswith("\r") and tty.getvalue().rsplit("\r", 2)[-2].strip() == ""
