"""The `reflect` command line. With no command it opens the journaling app.

textual is imported only by the commands that open a screen (`reflect`, `reflect new`),
so scripts (`reflect export`, `reflect list`, `reflect import`, `reflect review --format ...`,
completion) start fast and never load it. Each command is a thin adapter in a module of
its own (importing, exporting, entries, config, doctor, review): it parses options, calls
a use case (`reflect.usecases`) and prints.

stdout carries data only (JSON, tables, Markdown, settings); every message, warning,
count and prompt goes to stderr. Bad input is one line on stderr and a non-zero exit,
and is refused before anything is written.
"""

from __future__ import annotations

import click

from reflect import __version__
from reflect.cli.kit import ReflectContext, ReflectGroup, check_journal_location, pass_rctx
from reflect.cli.opening import open_app

# Each command's module is imported only when that command runs (or --help lists them):
# `reflect` alone opens the app without loading click commands it will never run.
COMMANDS = {
    "import": "reflect.cli.importing:import_",
    "export": "reflect.cli.exporting:export",
    "list": "reflect.cli.entries:list_",
    "show": "reflect.cli.entries:show",
    "delete": "reflect.cli.entries:delete",
    "config": "reflect.cli.config:config",
    "doctor": "reflect.cli.doctor:doctor",
    "review": "reflect.cli.review:review",
    "meeting": "reflect.cli.review:meeting",  # with meeting add, show, attest (cli/meetings.py)
    "keys": "reflect.cli.keys:keys",
    "encrypt": "reflect.cli.encryption:encrypt",
    "decrypt": "reflect.cli.encryption:decrypt",
    "passphrase": "reflect.cli.encryption:passphrase_",
    "supervision": "reflect.cli.supervision:supervision",
    "caseload": "reflect.cli.caseload:caseload",
    "training": "reflect.cli.training:training",
    "rate": "reflect.cli.growth:rate",
    "goal": "reflect.cli.growth:goal",
    "portfolio": "reflect.cli.portfolio:portfolio",
}


@click.group(cls=ReflectGroup, lazy=COMMANDS, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH",
    help="Journal file to use (default: $XDG_DATA_HOME/reflect/journal.json; env REFLECT_DB).",
)
@click.version_option(__version__, "--version", prog_name="reflect", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """reflect: a journal for peer support workers.

    Run with no command to open the app. Every command takes --db PATH.
    """
    ctx.obj = ReflectContext(db)
    if ctx.invoked_subcommand is None:
        check_journal_location(db)
        open_app(ctx.obj.db)


# --- new ------------------------------------------------------------------------------------


@main.command("new")
@pass_rctx
def new(rctx: ReflectContext) -> None:
    """Open the app straight on a new encounter."""
    check_journal_location(rctx.db)
    open_app(rctx.db, start="new")
