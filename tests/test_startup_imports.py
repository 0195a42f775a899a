"""`reflect` alone opens home without importing what home does not use (issue 9, item 18).

Each module imported before the first frame is time a person waits for: the command
modules (click's lazy group loads one only when it runs), the store's doctor and import
code, the declarations' derived readers and writers. `--help` still lists every command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from reflect.cli.commands import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent

# `reflect` with no command, run_app replaced by a note of what was imported by then.
NO_COMMAND = r"""
import json, sys
import reflect.screens.app as app

def run_app(db=None, *, start="home"):
    loaded = sorted(m for m in sys.modules if m.startswith(("reflect.", "dateutil", "pyrage", "hashlib", "getpass", "shlex")))
    from reflect.domain import dates
    import re
    cached = {key[1] for cache in (getattr(re, "_cache", {}), getattr(re, "_cache2", {})) for key in cache}
    loaded += [f"compiled {name}" for name, value in vars(dates).items()
               if isinstance(value, re.Pattern) or (isinstance(value, str) and value in cached)]
    sys.stderr.write("LOADED=" + json.dumps(loaded) + "\n")

app.run_app = run_app
from reflect.cli import main
main([], standalone_mode=False)
"""


def _loaded_at_start() -> list[str]:
    result = subprocess.run([sys.executable, "-c", NO_COMMAND], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    marker = [line for line in result.stderr.splitlines() if line.startswith("LOADED=")]
    assert len(marker) == 1, result.stderr
    loaded: list[str] = json.loads(marker[0].removeprefix("LOADED="))
    return loaded


def test_reflect_alone_imports_no_command_module() -> None:
    loaded = _loaded_at_start()
    cli = [m for m in loaded if m.startswith("reflect.cli.")]
    assert cli == ["reflect.cli.commands", "reflect.cli.kit", "reflect.cli.opening"], cli


def test_reflect_alone_imports_neither_the_doctor_nor_the_importer() -> None:
    loaded = set(_loaded_at_start())
    unused = {"reflect.store.health", "reflect.store.importer", "reflect.store.growth", "reflect.store.trainings",
              "reflect.store.tallies", "reflect.store.review_drafts", "reflect.domain.growth",
              "reflect.domain.training", "reflect.domain.worked", "reflect.domain.portfolio"}  # fmt: skip
    assert sorted(unused & loaded) == []


def test_reflect_alone_on_a_plain_journal_imports_neither_dateutil_nor_pyrage() -> None:
    """A schedule or a phrase is read after home's first frame, and a plain journal never
    seals or opens a file: about 11 ms of a start go to neither."""
    loaded = _loaded_at_start()
    assert [m for m in loaded if m.startswith(("dateutil", "pyrage"))] == []


def test_reflect_alone_leaves_what_home_does_not_use_for_later() -> None:
    """The id index's hash (hashlib loads OpenSSL), the user name (getpass, with termios),
    the search line's quoting (shlex) and the date phrases' patterns: about 5 ms of a start,
    none of it used before a search, a save or a new journal."""
    loaded = _loaded_at_start()
    assert [m for m in loaded if m.startswith(("hashlib", "getpass", "shlex", "compiled"))] == []


def test_reflect_alone_builds_neither_an_imports_packed_entries_nor_the_agendas_crisis_notes() -> None:
    """Classes only `reflect import` and the agenda use, in modules of their own: each
    dataclass a module declares is compiled as it is imported (1.5 to 2 ms each)."""
    loaded = set(_loaded_at_start())
    assert sorted({"reflect.store.packed", "reflect.domain.private_crisis"} & loaded) == []


def test_the_store_package_still_gives_its_report_types() -> None:
    from reflect.store import HealthReport, ImportResult
    from reflect.store.health import HealthReport as Report
    from reflect.store.importer import ImportResult as Result

    assert (HealthReport, ImportResult) == (Report, Result)


def test_help_lists_every_command_with_its_short_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:\n", 1)[1]
    for name in [*COMMANDS, "new"]:
        command = main.get_command(click.Context(main), name)
        assert command is not None, name
        assert f"  {name} " in listed, name
        assert command.get_short_help_str(45)[:20] in listed, name


def test_each_lazy_command_is_the_command_its_name_says() -> None:
    ctx = click.Context(main)
    for name, spec in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert isinstance(command, click.Command), spec
        assert command.name == name, (name, command.name)
        if not isinstance(command, click.Group):
            assert any(p.name == "db" for p in command.params), f"{name} has no --db"
    assert main.list_commands(ctx) == sorted({*COMMANDS, "new"})


def test_meeting_subcommands_come_with_the_group() -> None:
    result = CliRunner().invoke(main, ["meeting", "--help"])
    assert result.exit_code == 0, result.output
    for sub in ("add", "attest", "list", "next", "show"):
        assert f"  {sub} " in result.output, sub


def test_installed_reflect_help_is_whole() -> None:
    exe = Path(sys.executable).with_name("reflect")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for name in COMMANDS:
        assert f"  {name} " in result.stdout, name


# `reflect` with no command, run_app replaced by a note of the garbage collector's state.
GC_STATE = r"""
import gc, sys
import reflect.screens.app as app

def run_app(db=None, *, start="home"):
    sys.stderr.write(f"DURING={gc.isenabled()}\n")
    raise RuntimeError("the app failed")

app.run_app = run_app
from reflect.cli import main
for args in ([], ["new"]):
    try:
        main(args, standalone_mode=False)
    except SystemExit:  # the failure said in one line, as for any command
        pass
    sys.stderr.write(f"AFTER={gc.isenabled()}\n")
"""


def test_the_collector_waits_while_the_app_starts_and_is_back_however_it_ends() -> None:
    result = subprocess.run([sys.executable, "-c", GC_STATE], capture_output=True, text=True, cwd=ROOT, timeout=120)
    states = [line for line in result.stderr.splitlines() if line.startswith(("DURING", "AFTER"))]
    assert states == ["DURING=False", "AFTER=True"] * 2, result.stderr


# `reflect` as the installed command starts it (reflect.cli.start:run), run_app noted.
ENTRY = r"""
import gc, json, sys
import reflect.screens.app as app
FAIL = sys.argv[-1] == "fail"

def run_app(db=None, *, start="home"):
    sys.stderr.write("CALLED=" + json.dumps([db, start, gc.isenabled(), "click" in sys.modules]) + "\n")
    if FAIL:
        raise RuntimeError("the app failed")

app.run_app = run_app
from reflect.cli.start import run
sys.argv = sys.argv[:1]
run()
"""


def _entry(tmp_path: Path, *extra: str, db: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFLECT_DB": db if db is not None else str(tmp_path / "journal.json")}
    return subprocess.run([sys.executable, "-c", ENTRY, *extra], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=env)  # fmt: skip


def test_reflect_alone_opens_the_app_without_click(tmp_path: Path) -> None:
    result = _entry(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "CALLED=" + json.dumps([None, "home", False, False]) in result.stderr


def test_reflect_alone_refuses_a_bad_location_as_the_click_group_does(tmp_path: Path) -> None:
    fast = _entry(tmp_path, db=str(tmp_path))  # a folder
    via_click = CliRunner().invoke(main, [], env={"REFLECT_DB": str(tmp_path)})
    assert fast.returncode == via_click.exit_code == 2
    assert fast.stderr.strip() == via_click.stderr.strip() == f"reflect: {tmp_path}: is a folder; the journal is a file (e.g. {tmp_path / 'journal.json'})"
    empty = _entry(tmp_path, db="")
    assert empty.returncode == 2 and empty.stderr.startswith("reflect: REFLECT_DB is set but empty"), empty.stderr


def test_an_app_that_fails_is_one_line_as_through_the_click_group(tmp_path: Path) -> None:
    result = _entry(tmp_path, "fail")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("CALLED=")]
    assert lines == ["reflect: internal error (RuntimeError: the app failed); please report it (REFLECT_DEBUG=1 shows where)"]


def test_the_installed_reflect_alone_checks_its_journal_before_the_app(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("reflect")
    env = {**os.environ, "REFLECT_DB": str(tmp_path)}
    result = subprocess.run([str(exe)], capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    assert result.returncode == 2 and "is a folder" in result.stderr, result.stderr


def test_a_mistyped_command_is_offered_the_command_it_looks_like() -> None:
    """click suggests from the commands it has loaded; with the lazy group only `new` was
    ever offered (a reviewer's find: `reflect lst` no longer said "Did you mean 'list'?")."""
    for typed, meant in (("lst", "list"), ("improt", "import"), ("exprot", "export")):
        result = CliRunner().invoke(main, [typed])
        assert result.exit_code == 2
        assert f"Did you mean '{meant}'?" in result.output, result.output


def test_shell_completion_answers_under_the_name_the_program_was_run_as(tmp_path: Path) -> None:
    """click asks through `_<NAME>_COMPLETE` for the name as run: a link named rfl asks
    through `_RFL_COMPLETE`, which `reflect` alone took for no argument and opened the app
    (here its journal is a folder, so that path would stop at once with exit 2)."""
    code = "import sys; sys.argv = [sys.argv[1]]; from reflect.cli.start import run; run()"
    env = dict(os.environ, _RFL_COMPLETE="bash_source", REFLECT_DB=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "rfl")], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "_rfl_completion" in done.stdout
