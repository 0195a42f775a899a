"""The `reflect` command line. With no command it opens the journaling app.

textual is imported only by the commands that open a screen, so scripts
(`reflect export`, `reflect review --format ...`, completion) start fast and never load it.
"""

from __future__ import annotations

import click

from reflect import __version__
from reflect.clikit import ReflectContext


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH",
    envvar="REFLECT_DB",
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
        from reflect.app import run_app

        run_app(ctx.obj.db)
