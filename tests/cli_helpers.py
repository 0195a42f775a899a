"""Helpers shared by the CLI tests: run a command, hash the journal's files, one-line errors."""

from __future__ import annotations

import hashlib
import tracemalloc
from pathlib import Path

from click.testing import CliRunner, Result

from reflect.cli import main


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def import_peak(doc: Path, warm: Path) -> tuple[Result, int]:
    """`reflect import doc` and the peak of Python's allocations while it ran (tracemalloc,
    so no clock is involved), after `warm`, a small document, was imported outside the
    measure so that every module the import uses is loaded (a fresh worker's first import)."""
    assert run("import", str(warm)).exit_code == 0
    tracemalloc.start()
    try:
        result = run("import", str(doc))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every file under root except an `inputs` folder: the journal's whole state."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and "inputs" not in p.relative_to(root).parts:
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def one_line_error(result: Result, *needles: str, code: int | None = None) -> str:
    """The command failed with one line on stderr holding every needle, and printed no data."""
    assert result.exit_code != 0, result.stderr
    if code is not None:
        assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]
