"""`reflect` alone opens home without importing what home does not use (issue 9, item 18).

Each module imported before the first frame is time a person waits for: the command
modules (click's lazy group loads one only when it runs), the store's doctor and import
code, the declarations' derived readers and writers. `--help` still lists every command.
"""

from __future__ import annotations

import json
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
    loaded = sorted(m for m in sys.modules if m.startswith("reflect."))
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
    assert cli == ["reflect.cli.commands", "reflect.cli.kit"], cli


def test_reflect_alone_imports_neither_the_doctor_nor_the_importer() -> None:
    loaded = set(_loaded_at_start())
    unused = {"reflect.store.health", "reflect.store.importer", "reflect.store.growth", "reflect.store.trainings",
              "reflect.store.tallies", "reflect.store.review_drafts", "reflect.domain.growth",
              "reflect.domain.training", "reflect.domain.worked", "reflect.domain.portfolio"}  # fmt: skip
    assert sorted(unused & loaded) == []


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
