"""The installed `reflect` script in real processes: pipes, completion, and no textual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reflect.domain.model import Entry, Listen
from reflect.store import Journal

ROOT = Path(__file__).resolve().parent.parent
UTC = timezone.utc


def reflect_cmd() -> list[str]:
    """The installed console script of the environment running the tests.

    Looked for beside the interpreter, not on PATH (CI runs `.venv/bin/python -m pytest`
    without activating, and PATH could hold another install); a missing script fails the
    test rather than falling back, since testing the entry point is the point.
    """
    folder = Path(sys.executable).parent
    for name in ("reflect", "reflect.exe"):
        if (folder / name).exists():
            return [str(folder / name)]
    pytest.fail(f"the reflect script is not installed beside {sys.executable}: pip install -e .")


def seed_jsonl(n: int) -> str:
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    return "".join(
        json.dumps(
            {
                "id": f"{i:08x}-2222-4000-8000-000000000000",
                "occurred": (start + timedelta(hours=7 * i)).isoformat(),
                "person": f"P{i}",
                "visibility": "private" if i % 10 == 0 else "shared",
                "listen": {"story": f"encounter {i} " + "words " * 120},
            }
        )
        + "\n"
        for i in range(n)
    )


def test_export_piped_into_import_of_another_journal(tmp_path: Path) -> None:
    cmd = reflect_cmd()
    seeded = subprocess.run(cmd + ["import", "-"], input=seed_jsonl(30).encode(), capture_output=True, timeout=120)
    assert seeded.returncode == 0, seeded.stderr.decode()
    assert seeded.stdout == b""

    other = tmp_path / "other.json"
    exporter = subprocess.Popen(cmd + ["export", "--include-private"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    importer = subprocess.run(
        cmd + ["--db", str(other), "import", "-"], stdin=exporter.stdout, capture_output=True, timeout=120
    )
    exporter.stdout.close()
    exporter.wait(timeout=120)
    assert exporter.returncode == 0, exporter.stderr.read().decode()
    assert importer.returncode == 0, importer.stderr.decode()
    assert b"30 added" in importer.stderr
    assert list(Journal(other).entry_dicts()) == list(Journal().entry_dicts())


def test_bad_input_through_a_pipe_is_one_line_and_exit_2(tmp_path: Path) -> None:
    Journal().save(Entry(occurred=datetime(2024, 1, 1, tzinfo=UTC), listen=Listen(story="kept")))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    bad = json.dumps({"occurred": "2024-01-01T00:00:00Z", "setting": "couch"})
    result = subprocess.run(reflect_cmd() + ["import", "-"], input=bad.encode(), capture_output=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "setting: not one of one-to-one, group" in lines[0]
    assert "couch" not in lines[0]  # the field and the kind of problem, never the value
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_export_into_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    cmd = reflect_cmd()
    assert subprocess.run(cmd + ["import", "-"], input=seed_jsonl(300).encode(), capture_output=True).returncode == 0
    proc = subprocess.Popen(cmd + ["export", "--format", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert json.loads(first)["id"]
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert proc.returncode == 0


NO_TEXTUAL = r"""
import json, sys
from reflect.cli import main
src, out, entry_id = sys.argv[1:4]
for args in (
    ["import", src], ["import", "--dry-run", src], ["export", "-o", out],
    ["export", "--format", "csv", "--include-private"], ["export", "--format", "markdown"],
    ["export", "--format", "jsonl"], ["list"], ["list", "--json", "--flag", "crisis"],
    ["show", entry_id], ["show", entry_id, "--json"], ["config"], ["config", "peer", "Sam"],
    ["config", "crisis_lines", "A: call 1"], ["doctor"], ["delete", entry_id, "--yes"],
):
    main(args, standalone_mode=False)
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
sys.stderr.write("TEXTUAL=" + json.dumps(loaded) + "\n")
"""


def test_script_commands_never_import_textual(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(seed_jsonl(12), encoding="utf-8")
    entry_id = "00000001-2222-4000-8000-000000000000"
    result = subprocess.run(
        [sys.executable, "-c", NO_TEXTUAL, str(src), str(tmp_path / "out.json"), entry_id],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    marker = [line for line in result.stderr.splitlines() if line.startswith("TEXTUAL=")]
    assert marker == ["TEXTUAL=[]"], result.stderr
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["entries"]


def _complete(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = os.environ.copy()
    env.update(env_extra)
    return subprocess.run(reflect_cmd(), capture_output=True, text=True, env=env, timeout=120)


def test_bash_completion_script_and_completions() -> None:
    result = _complete({"_REFLECT_COMPLETE": "bash_source"})
    assert result.returncode == 0, result.stderr
    assert "_reflect_completion" in result.stdout and "complete " in result.stdout

    result = _complete({"_REFLECT_COMPLETE": "bash_complete", "COMP_WORDS": "reflect exp", "COMP_CWORD": "1"})
    assert "export" in result.stdout.split()[0:2] or "plain,export" in result.stdout
    result = _complete(
        {"_REFLECT_COMPLETE": "bash_complete", "COMP_WORDS": "reflect list --flag cr", "COMP_CWORD": "3"}
    )
    assert "crisis" in result.stdout


def test_entry_ids_complete_and_completion_never_creates_a_journal(tmp_path: Path) -> None:
    words = {"_REFLECT_COMPLETE": "bash_complete", "COMP_WORDS": "reflect show 0000", "COMP_CWORD": "2"}
    result = _complete(words)
    assert result.returncode == 0 and "0000" not in result.stdout
    assert not (tmp_path / "journal.json").exists()
    Journal().save(Entry(id="0000abcd-1111-4000-8000-000000000000", occurred=datetime(2024, 1, 1, tzinfo=UTC)))
    assert "0000abcd-1111-4000-8000-000000000000" in _complete(words).stdout


@pytest.mark.parametrize("shell", ["bash_source", "zsh_source", "fish_source"])
def test_completion_does_not_import_textual(shell: str) -> None:
    code = (
        "import os, sys\n"
        f"os.environ['_REFLECT_COMPLETE'] = {shell!r}\n"
        "from reflect.cli import main\n"
        "try:\n    main(prog_name='reflect')\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('TEXTUAL=%s\\n' % any(m.split('.')[0] == 'textual' for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "reflect" in result.stdout
    assert "TEXTUAL=False" in result.stderr, result.stderr
