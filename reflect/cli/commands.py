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
from reflect.cli.config import config
from reflect.cli.doctor import doctor
from reflect.cli.entries import delete, list_, show
from reflect.cli.exporting import export
from reflect.cli.importing import import_
from reflect.cli.caseload import caseload
from reflect.cli.encryption import decrypt, encrypt, passphrase_
from reflect.cli.keys import keys
from reflect.cli.portfolio import portfolio
from reflect.cli.supervision import supervision
from reflect.cli.training import training
from reflect.cli.kit import ReflectContext, ReflectGroup, check_journal_location, pass_rctx
from reflect.cli.review import meeting, review
from reflect.cli.meetings import COMMANDS as MEETING_COMMANDS
from reflect.cli.growth import goal, rate



@click.group(cls=ReflectGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
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
        from reflect.screens.app import run_app

        run_app(ctx.obj.db)


# --- new ------------------------------------------------------------------------------------


@main.command("new")
@pass_rctx
def new(rctx: ReflectContext) -> None:
    """Open the app straight on a new encounter."""
    check_journal_location(rctx.db)
    from reflect.screens.app import run_app

    run_app(rctx.db, start="new")


for _command in (import_, export, list_, show, delete, config, doctor, review, meeting):
    main.add_command(_command)
for _command in MEETING_COMMANDS:  # meeting add, show, attest (cli/meetings.py)
    meeting.add_command(_command)
for _command in (keys, encrypt, decrypt, passphrase_, supervision, caseload, training, rate, goal, portfolio):
    main.add_command(_command)
