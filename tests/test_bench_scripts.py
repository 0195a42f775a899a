"""The bench scripts are how speed is measured: each must at least start (its imports
follow the code they measure, and nothing else runs them between benchmark sessions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCRIPTS = sorted(p.name for p in BENCH.glob("bench_*.py"))


def test_there_are_bench_scripts() -> None:
    assert "bench_store.py" in SCRIPTS and "bench_tmux.py" in SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_bench_script_starts(script: str) -> None:
    done = subprocess.run([sys.executable, str(BENCH / script), "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage" in done.stdout.lower()


def test_the_growth_bench_is_among_them() -> None:
    """bench_growth.py (the Growth screen and the portfolio at 2,500 and 25,000 entries)."""
    assert "bench_growth.py" in SCRIPTS
