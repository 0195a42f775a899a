"""Helpers shared by the CLI tests: run a command, hash the journal's files, one-line errors."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from click.testing import CliRunner, Result

from reflect.cli import main


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


# `reflect import` run twice in a fresh interpreter (as a person runs it): a small document
# first, outside the measure, then the one measured with tracemalloc.
_PEAK = """
import json, sys, tracemalloc
from click.testing import CliRunner
from reflect.cli import importing
from reflect.cli import main
warm, doc, chunk = sys.argv[1:4]
if chunk:
    importing.CHUNK = int(chunk)
def run(path):
    return CliRunner().invoke(main, ["import", path], catch_exceptions=False)
assert run(warm).exit_code == 0
tracemalloc.start()
result = run(doc)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({"exit_code": result.exit_code, "stderr": result.stderr, "peak": peak}))
"""


class PeakRun(NamedTuple):
    exit_code: int
    stderr: str


def import_peak(doc: Path, warm: Path, *, chunk: int | None = None) -> tuple[PeakRun, int]:
    """`reflect import doc` and the peak of Python's allocations while it ran (tracemalloc,
    so no clock is involved), after `warm`, a small document, was imported outside the
    measure so that every module the import uses is loaded. In an interpreter of its own:
    measured in the test's, the peak moved with what earlier tests had left behind (the
    suite's collector thresholds, the interned names of other tests' folders), 2.7x the
    document after one order of tests and 5.7x after another. `chunk` sets how much of the
    file the command reads at a time."""
    done = subprocess.run([sys.executable, "-c", _PEAK, str(warm), str(doc), str(chunk or "")],
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return PeakRun(out["exit_code"], out["stderr"]), out["peak"]


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
