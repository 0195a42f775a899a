"""Hostile and odd input at the command line.

Every case ends the same way: one line on stderr naming the problem, a non-zero exit,
nothing on stdout, no traceback, and every file of the journal byte-for-byte as it was.
(The plain bad-record cases live in test_cli.py and test_cli_commands.py; these are the
ones that got past them, and the cases of issue 2's list not covered there.)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

from cli_helpers import one_line_error, run, snapshot
from reflect.domain.settings import Settings

ENTRY = {"id": "aaaa1111-0000-4000-8000-000000000001", "occurred": "2026-01-10T10:00:00+00:00", "person": "JD"}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"  # left out of snapshot()
    folder.mkdir()
    return folder


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A real journal with two entries and settings; returns the folder holding it all."""
    second = dict(ENTRY, id="aaaa1111-0000-4000-8000-000000000002", occurred="2026-02-10T10:00:00+00:00")
    assert run("config", "peer", "Jamie").exit_code == 0
    assert run("import", "-", input=json.dumps([ENTRY, second])).exit_code == 0
    assert run("config", "supervisor", "Sam").exit_code == 0  # settings now have a backup
    return tmp_path


def refused(root: Path, args: list[str], *needles: str, code: int | None = 2, input: str | bytes | None = None) -> str:
    """Run, and check the one-line refusal and that nothing under `root` changed."""
    before = snapshot(root)
    line = one_line_error(run(*args, input=input), *needles, code=code)
    assert line.startswith("reflect: "), line
    assert "Traceback" not in line
    assert snapshot(root) == before
    return line


def reflect_script() -> str:
    folder = Path(sys.executable).parent
    for name in ("reflect", "reflect.exe"):
        if (folder / name).exists():
            return str(folder / name)
    pytest.fail(f"the reflect script is not installed beside {sys.executable}: pip install -e .")


# --- import: what JSON allows, or Python chokes on --------------------------------------------

HOSTILE_IMPORTS = [
    ("deep nesting", ("[" * 100_000 + "]" * 100_000).encode(), ["nested too deeply"]),
    ("deep objects", ('{"a":' * 50_000 + "1" + "}" * 50_000).encode(), ["nested too deeply"]),
    ("a 5000-digit minutes", ('{"occurred": "2026-03-01T10:00:00Z", "minutes": ' + "9" * 5000 + "}").encode(),
     ["a number too long"]),
    ("NaN", b'{"occurred": "2026-03-01T10:00:00Z", "minutes": NaN}', ["NaN is not a JSON value"]),
    ("Infinity in JSON Lines", (b'{"occurred": "2026-03-01T10:00:00Z"}\n{"occurred": "2026-03-02T10:00:00Z", '
     b'"minutes": -Infinity}\n'), ["line 2", "-Infinity is not a JSON value"]),
    ("duplicate keys", b'{"occurred": "2026-03-01T10:00:00Z", "person": "AB", "person": "CD"}',
     ["'person' appears twice"]),
    ("lone surrogate", (b'[{"occurred": "2026-03-01T10:00:00Z"}, {"occurred": "2026-03-01T10:00:00Z", '
     b'"listen": {"story": "a\\ud800b"}}]'), ["entry 2", "listen.story", "lone UTF-16 surrogate"]),
    ("date at the calendar's end", b'{"occurred": "9999-12-31T23:00:00-05:00"}', ["occurred", "out of range"]),
    ("date at the calendar's start", b'{"occurred": "0001-01-01T00:30:00+01:00"}', ["occurred", "out of range"]),
    ("UTF-16 from a Windows tool", "\ufeff[]".encode("utf-16-le"), ["UTF-16 text; save it as UTF-8"]),
]  # fmt: skip


@pytest.mark.parametrize("name,data,needles", HOSTILE_IMPORTS, ids=[c[0] for c in HOSTILE_IMPORTS])
def test_hostile_import_is_one_line_and_changes_nothing(
    journal: Path, inputs: Path, name: str, data: bytes, needles: list[str]
) -> None:
    path = inputs / "hostile.json"
    path.write_bytes(data)
    line = refused(journal, ["import", str(path)], *needles)
    assert line.startswith(f"reflect: {path}: ")


def test_a_utf8_bom_is_accepted(journal: Path, inputs: Path) -> None:
    """Notepad and PowerShell write one; the entry comes in as if it were not there."""
    path = inputs / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(dict(ENTRY, id="bbbb")).encode())
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert json.loads(run("show", "bbbb", "--json").stdout)["person"] == "JD"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_is_named(journal: Path, inputs: Path) -> None:
    path = inputs / "locked.json"
    path.write_text("[]")
    path.chmod(0)
    refused(journal, ["import", str(path)], str(path), "permission denied")


# --- where the journal is ---------------------------------------------------------------------


def test_db_that_is_a_folder(journal: Path) -> None:
    folder = journal / "afolder"
    folder.mkdir()
    refused(journal, ["--db", str(folder), "import", "-"], "is a folder; the journal is a file", input="[]")


def test_db_under_a_file(journal: Path) -> None:
    refused(journal, ["list", "--db", str(journal / "settings.json" / "j.json")], "settings.json is a file, not a folder")


def test_empty_db_option_is_refused_not_read_as_the_default(journal: Path) -> None:
    refused(journal, ["--db", "", "list"], "--db: the journal path is empty")


def test_empty_reflect_db_is_refused_not_read_as_the_default(journal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`REFLECT_DB=$TYPO reflect import` must not land in the person's own journal."""
    monkeypatch.setenv("REFLECT_DB", "")
    refused(journal, ["import", "-"], "REFLECT_DB is set but empty", input=json.dumps(ENTRY))
    assert not (journal / "home" / "data" / "reflect").exists()


@pytest.mark.parametrize("content", [b"", b"garbage{"], ids=["empty main file", "garbage main file"])
def test_a_main_file_that_does_not_parse_is_named_and_never_overwritten(
    journal: Path, content: bytes
) -> None:
    (journal / "journal.json").write_bytes(content)
    refused(journal, ["import", "-"], "journal.json does not parse", "reflect doctor", code=1, input="[]")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder (checked by hand on a ro bind mount)")
def test_a_journal_in_a_read_only_folder_is_named(journal: Path) -> None:
    folder = journal / "readonly"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        refused(journal, ["--db", str(folder / "journal.json"), "list"], "cannot use the journal", code=1)
    finally:
        folder.chmod(0o700)


# --- dates, ids, output paths ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args,needles",
    [
        (["list", "--since", "0001-01-01"], ["--since: '0001-01-01' is out of range"]),
        (["export", "--until", "9999-12-31"], ["--until: '9999-12-31' is out of range"]),
        (["review", "--format", "text", "--since", "1066-10-14"], ["--since", "out of range"]),
        (["list", "--since", "2026-02-30"], ["--since", "'2026-02-30'", "day is out of range"]),
        (["list", "--since", ""], ["--since: cannot read the date ''"]),
    ],
    ids=["year 1", "year 9999", "review", "30 February", "empty"],
)
def test_dates_outside_the_calendar_or_unreadable(journal: Path, args: list[str], needles: list[str]) -> None:
    refused(journal, args, *needles)


@pytest.mark.parametrize("command", ["show", "delete"])
@pytest.mark.parametrize("entry_id", ["", "   "], ids=["empty", "spaces"])
def test_an_empty_id_is_bad_input(journal: Path, command: str, entry_id: str) -> None:
    refused(journal, [command, entry_id, *(["--yes"] if command == "delete" else [])], "ID is empty")


@pytest.mark.parametrize(
    "where,needles",
    [
        ("", ["-o: the file name is empty"]),
        ("settings.json/out.json", ["a file stands where its folder should be"]),
        ("inputs", ["is a folder; give a file name"]),
    ],
    ids=["empty", "under a file", "a folder"],
)
def test_export_to_a_place_that_cannot_be_a_file(journal: Path, inputs: Path, where: str, needles: list[str]) -> None:
    refused(journal, ["export", "-o", str(journal / where) if where else ""], *needles)


# --- config and the settings file ------------------------------------------------------------


@pytest.mark.parametrize(
    "args,needles",
    [
        (["config", "crisis_lines", "[" * 100_000], ["crisis_lines: not a list"]),
        (["config", "crisis_lines", "Line: call\x01 now"], ["crisis_lines[0]: must be one line"]),
        (["config", "peer", "x" * 1000], ["peer: at most 200 characters"]),
    ],
    ids=["deep JSON", "control character", "a 1000-character name"],
)
def test_bad_config_values(journal: Path, args: list[str], needles: list[str]) -> None:
    refused(journal, args, *needles)


@pytest.mark.parametrize(
    "content,needles",
    [
        ('{"peer": 5}', ["peer: expected a string", "doctor --repair"]),
        ('{"peer": ', ["does not parse"]),
    ],
    ids=["wrong type", "malformed"],
)
def test_a_broken_settings_file_stops_commands_and_doctor_restores_it(
    journal: Path, content: str, needles: list[str]
) -> None:
    settings = journal / "settings.json"
    settings.write_text(content)
    refused(journal, ["meeting", "next"], str(settings), *needles, code=1)
    refused(journal, ["config", "peer", "Alex"], str(settings), code=1)

    report = json.loads(run("doctor", "--json").stdout)
    assert not report["ok"] and any(str(settings) in p for p in report["problems"])
    repaired = run("doctor", "--repair")
    assert repaired.exit_code == 0, repaired.stdout
    restored = Settings.from_dict(json.loads(settings.read_text()))
    # Issue 8: backup 1 is the file as last written, so repair loses nothing acknowledged
    # (it was the copy before the last write, which dropped "Sam").
    assert (restored.peer, restored.supervisor) == ("Jamie", "Sam")
    assert list(journal.glob("settings.json.corrupt-*"))  # the bad file is kept beside it


def test_an_unreadable_schedule_in_settings(journal: Path) -> None:
    """Hand-edited: `meeting next` cannot answer; the agenda still comes, with a warning."""
    settings = journal / "settings.json"
    settings.write_text(json.dumps(dict(json.loads(settings.read_text()), schedule="sometimes")))
    refused(journal, ["meeting", "next"], "the schedule in settings cannot be read", "'sometimes'", code=1)
    result = run("review", "--format", "text")
    assert result.exit_code == 0 and "Safety first" in result.stdout
    assert "the schedule in settings cannot be read" in result.stderr


# --- review ------------------------------------------------------------------------------------


def test_review_of_a_peer_with_no_entries_is_refused_not_an_empty_agenda(journal: Path, inputs: Path) -> None:
    """"Safety first: nothing to raise" for a mistyped name would mislead a supervisor."""
    refused(journal, ["review", "--format", "text", "--peer", "Jmie"], "no entries or meetings for 'Jmie'")
    export = inputs / "jamie.json"
    export.write_text(run("export").stdout)
    refused(journal, ["review", "--format", "json", "--from", str(export), "--peer", "Jmie"], str(export), "'Jmie'")
    refused(journal, ["review", "--format", "text", "--peer", " "], "--peer: the name is empty")


@pytest.mark.parametrize(
    "data,needles",
    [
        (b"", ["empty input"]),
        (b'{"name": "not an export"}', ["name: unknown field"]),
        (b"\xff\x00\x94", ["not UTF-8 text"]),
        (b"[" * 100_000, ["nested too deeply"]),
    ],
    ids=["empty", "not an export", "binary", "deep"],
)
def test_review_from_a_file_that_is_not_an_export(journal: Path, inputs: Path, data: bytes, needles: list[str]) -> None:
    path = inputs / "peer.json"
    path.write_bytes(data)
    refused(journal, ["review", "--format", "markdown", "--from", str(path)], str(path), *needles)


# --- real processes: what a person sees -------------------------------------------------------


def _script(args: list[str], **kwargs) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([reflect_script(), *args], capture_output=True, timeout=120, **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["export"], ["--help"], ["review", "--format", "markdown"]])
def test_a_full_disk_on_stdout_is_one_line(journal: Path, args: list[str]) -> None:
    """With stdout buffered, as a person's shell has it: a PYTHONUNBUFFERED in the test's
    own environment wrote each line at once, so a command that left its output in the
    buffer failed only at exit (Python's "Exception ignored", exit 120) unseen."""
    before = snapshot(journal)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "wb") as full:
        result = subprocess.run([reflect_script(), *args], stdout=full, stderr=subprocess.PIPE, timeout=120,
                                env=env)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == ["reflect: cannot write the output: No space left on device"]
    assert snapshot(journal) == before


def test_closed_stdin_and_deep_json_in_a_real_process(journal: Path) -> None:
    before = snapshot(journal)
    closed = _script(["import", "-"], stdin=subprocess.DEVNULL, pass_fds=())
    assert closed.returncode == 2 and closed.stderr.decode().strip() == "reflect: <stdin>: empty input: nothing to import"
    deep = _script(["import", "-"], input=b"[" * 200_000)
    assert deep.returncode == 2, deep.stderr
    assert deep.stderr.decode().splitlines() == ["reflect: <stdin>: nested too deeply to be an entry"]
    assert deep.stdout == b""
    assert snapshot(journal) == before


def _timed(args: list[str], env: dict[str, str], code: int = 0) -> float:
    t = time.monotonic()
    assert subprocess.run([reflect_script(), *args], capture_output=True, env=env, timeout=300).returncode == code
    return time.monotonic() - t


def test_ctrl_c_during_a_long_import_leaves_all_of_it_or_none(journal: Path, inputs: Path) -> None:
    """SIGINT at any moment of an import: one line, and the journal as it was or with the
    whole import, never part of it, with no write left waiting for the next open.

    The moments are spread over this machine's own timings (start-up, then the whole
    import), so a slow or a fast machine interrupts before and during the write alike."""
    n = 6000
    entries = [
        {"id": f"{i:08x}-3333-4000-8000-000000000000", "occurred": f"20{10 + i % 15}-{1 + i % 12:02d}-0{1 + i % 9}T10:00:00Z",
         "listen": {"story": "words " * 20}}
        for i in range(n)
    ]  # fmt: skip
    path = inputs / "many.json"
    path.write_text(json.dumps(entries))
    spoilt = inputs / "spoilt.json"  # the same, with the last entry refused: read and checked, then stops
    spoilt.write_text(json.dumps(entries[:-1] + [dict(entries[-1], setting="sofa")]))
    seed = snapshot(journal)

    def fresh(k: int) -> tuple[Path, dict[str, str]]:
        folder = journal / "runs" / str(k)
        shutil.copytree(journal, folder, ignore=shutil.ignore_patterns("runs", "inputs", "home"))
        return folder, dict(os.environ, REFLECT_DB=str(folder / "journal.json"), REFLECT_CONFIG=str(folder / "settings.json"))

    # Timings measured on a loaded machine can place every moment after the import ended;
    # then measure again (up to three times): each interrupted run is checked in full.
    outcomes: list[str] = []
    for attempt in range(3):
        folder, env = fresh(100 * (attempt + 1))
        started = _timed(["--version"], env)
        checked = _timed(["import", str(spoilt)], env, code=2)  # up to the moment the store is called
        whole = _timed(["import", str(path)], env)
        moments = [started + (checked - started) * f for f in (0.6, 0.9)]
        moments += [checked + (whole - checked) * f for f in (0.1, 0.4, 0.7, 0.9)]
        for k, moment in enumerate(moments, 1):
            folder, env = fresh(100 * (attempt + 1) + k)
            proc = subprocess.Popen(
                [reflect_script(), "import", str(path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # a background job ignores it
            )
            time.sleep(moment)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=300)
            lines = err.decode().splitlines()
            assert out == b""
            assert not (folder / "journal.json.d" / "pending.json").exists()
            state = snapshot(folder)
            listed = run("--db", str(folder / "journal.json"), "list", "--json", "--include-private")
            count = len(json.loads(listed.stdout))
            if proc.returncode == 0:  # finished before the signal came
                assert count == n + 2 and lines[-1].startswith("imported"), err
                outcomes.append("finished")
                continue
            if proc.returncode == -signal.SIGINT:
                # The signal came after the summary, as the interpreter was exiting: the
                # process ends by SIGINT itself, which a shell reports as 130 too.
                assert lines == [lines[0]] and lines[0].startswith("imported") and count == n + 2, err
                outcomes.append("whole")
                continue
            assert proc.returncode == 130, err
            if len(lines) == 2 and lines[0].startswith("imported"):
                # The signal came just after the summary: the import is whole, and the
                # interruption says nothing more was written, which is so.
                assert lines[1] == "reflect: interrupted; nothing more was written" and count == n + 2, err
                outcomes.append("whole")
                continue
            assert len(lines) == 1, err
            if lines[0].startswith("imported"):  # the signal came as the summary was written
                assert count == n + 2
                outcomes.append("whole")
                continue
            assert lines[0].startswith("reflect: interrupted"), err
            if "finished first" in lines[0]:
                assert count == n + 2
                outcomes.append("whole")
            else:
                assert count == 2 and state == seed, lines[0]
                outcomes.append("none")
        if {"whole", "none"} & set(outcomes):
            break
    assert {"whole", "none"} & set(outcomes), outcomes  # the signal did come while it ran


def test_ctrl_c_before_the_command_runs_is_the_same_one_line(journal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the options were read (or the store imported) escaped to click as a
    blank line and "Aborted!" with exit 1; it is the one line and exit 130 as anywhere else.
    (Seen as a flaky test_ctrl_c_during_a_long_import_leaves_all_of_it_or_none under load.)"""

    def interrupted(self: click.Command, ctx: click.Context, args: list[str]) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(click.Command, "parse_args", interrupted)  # a subcommand's; the group has its own
    result = run("list", "--json")
    assert (result.exit_code, result.stderr, result.stdout) == (130, "reflect: interrupted; nothing more was written\n", "")
