"""`reflect caseload`: a supervisor's peers at a glance, from the packets they sent.

An adapter over `reflect.usecases.caseload`. The table (or JSON) goes to stdout; with
`--app` the app opens on the caseload screen, where enter opens a peer's agenda. Packets
are opened (the passphrase asked at most once) before anything is shown, and a file that
cannot be read stops the whole run with one line naming its position: a caseload missing
a peer would read as a peer with nothing to raise. Never imports textual without `--app`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from reflect.cli.keys import identity_option
from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    ReflectContext,
    check_journal_location,
    data_out,
    fail,
    handle_errors,
    input_error,
    pass_rctx,
    say,
)

if TYPE_CHECKING:
    from reflect.store.identity import Keys

FORMATS = ("text", "json")


class _Remembered:
    """A file's text read once (a packet decrypted once): the screen reads it again for the agenda."""

    def __init__(self, keys: Callable[[], Keys]) -> None:
        self._keys = keys
        self._texts: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        from reflect.usecases.packets import read_document

        if path not in self._texts:
            self._texts[path] = read_document(path, self._keys)
        return self._texts[path]


@click.command("caseload")
@click.option(
    "--from", "sources", metavar="FILE", multiple=True, required=True, type=click.Path(dir_okay=False),
    help="A peer's export document or sealed packet (repeatable: one per peer).",
)  # fmt: skip
@click.option("--rules", metavar="NAME|FILE", help="A shipped rule pack or your own rules file (default: the supervision_rules setting).")
@identity_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="text (a table, the default) or json.")
@click.option("--app", "app", is_flag=True, help="Open the caseload screen instead (enter opens a peer's agenda).")
@pass_rctx
@handle_errors
def caseload(
    rctx: ReflectContext,
    sources: tuple[str, ...],
    rules: str | None,
    identity_file: str | None,
    fmt: str | None,
    app: bool,
) -> None:
    """One row per peer, whoever most needs attention first: the last meeting, the
    next one due (by the rules or the schedule), supervision hours against the target,
    crises since the last meeting (and whether you were told), open and overdue actions.

    Reads the packets peers sent (plain or sealed); writes nothing anywhere.
    """
    from functools import partial

    from reflect.cli.keys import KeysOnce
    from reflect.usecases import caseload as uc
    from reflect.usecases.packets import read_document
    from reflect.usecases.supervision_log import RulesError

    if app and fmt is not None:
        fail("--app opens the screen; --format prints instead: give one of them", EXIT_BAD_INPUT)
    keys = KeysOnce(identity_file)
    read = _Remembered(keys) if app else partial(read_document, keys=keys)
    try:
        built = uc.caseload(list(sources), rctx.journal, rules=rules, read=read)
    except uc.BadPacket as exc:
        fail(f"--from file {exc.position} of {len(sources)}: {input_error(exc.error)}", EXIT_BAD_INPUT)
    except RulesError as exc:
        fail(input_error(exc), EXIT_BAD_INPUT)
    if app:
        check_journal_location(rctx.db)
        from reflect.screens.caseload import run_caseload

        run_caseload(rctx.db, built, list(sources), read)
        return
    from reflect.domain import caseload_render

    with data_out() as out:
        caseload_render.write(out, built, fmt or "text")
    urgent = sum(1 for c in built.cases if c.attention)
    say(f"{len(built.cases)} peer(s), {urgent} needing attention")
