"""`reflect review` and `reflect meeting`: prepare supervision, and the meeting record.

Adapters over `reflect.usecases.agendas`. `review --format ...` prints the agenda and
never imports textual; `review` alone opens the review screen. `--from FILE` reads
peers' export documents (plain, or sealed packets opened with the person's identity or
`--identity FILE`) instead of the local journal and writes nothing anywhere.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from reflect.cli.keys import identity_option
from reflect.cli.kit import (
    ReflectGroup,
    EXIT_BAD_INPUT,
    ReflectContext,
    check_journal_location,
    data_out,
    exit_if_damaged,
    fail,
    handle_errors,
    input_error,
    parse_date_option,
    pass_rctx,
    say,
    warn,
)

FORMATS = ("markdown", "json", "text")


if TYPE_CHECKING:
    from pathlib import Path

    from reflect.domain.model import Meeting


def recorded_line(meeting: Meeting) -> str:
    """What the review screen saved, said once the screen has closed (stderr)."""
    from reflect.domain.dates import format_when

    n = len(meeting.actions)
    who = f" with {meeting.peer}" if meeting.peer else ""
    return f"meeting{who} recorded ({format_when(meeting.held)}): {n} action item{'s' if n != 1 else ''}"


# --- the commands ---------------------------------------------------------------------------


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Print the agenda instead of opening the review screen.")
@click.option("--since", metavar="WHEN", help='Start of the window, e.g. "2 weeks ago" (default: the last meeting, else 14 days ago).')
@click.option("--until", metavar="WHEN", help='End of the window, e.g. "yesterday" (default: now).')
@click.option("--peer", metavar="NAME", help="Only this peer's agenda.")
@click.option("--include-private", is_flag=True, help="Include entries marked private (never shown otherwise).")
@click.option(
    "--from", "sources", metavar="FILE", multiple=True, type=click.Path(dir_okay=False),
    help="Read a peer's export document or sealed packet instead of the local journal (repeatable).",
)  # fmt: skip
@identity_option
@pass_rctx
@handle_errors
def review(
    rctx: ReflectContext,
    fmt: str | None,
    since: str | None,
    until: str | None,
    peer: str | None,
    include_private: bool,
    sources: tuple[str, ...],
    identity_file: str | None,
) -> None:
    """Prepare supervision: the agenda since the last meeting, safety first.

    Opens the review screen, where items are marked discussed, notes and action
    items written and the meeting recorded. With --format, prints the agenda
    (markdown, json or text) to stdout, one per peer.
    """
    from reflect.domain.formats import ImportFormatError
    from reflect.usecases import agendas as uc

    since_dt = parse_date_option(since, "--since")
    until_dt = parse_date_option(until, "--until", end=True)
    if since_dt and until_dt and since_dt > until_dt:
        fail("--since is after --until: the window is empty", EXIT_BAD_INPUT)
    if identity_file is not None and not sources:
        fail("--identity opens sealed packets given with --from", EXIT_BAD_INPUT)
    if fmt is None and sources:
        fail("--from works with --format (the review screen records meetings in the local journal)", EXIT_BAD_INPUT)
    if peer is not None and not peer.strip():
        fail("--peer: the name is empty", EXIT_BAD_INPUT)
    if peer is not None and not sources:
        # On the screen as in print: a mistyped name must not pass for a quiet fortnight.
        try:
            uc.check_journal_peer(rctx.journal, peer)
        except uc.UnknownPeer as exc:
            fail(str(exc), EXIT_BAD_INPUT)
    if fmt is None:
        from reflect.screens.review import run_review

        check_journal_location(rctx.db)
        from reflect.cli.unlocking import open_keys_or_fail

        open_keys_or_fail(rctx.db)  # the review opens on the agenda: an encrypted journal's key first
        recorded = run_review(rctx.db, since=since_dt, until=until_dt, peer=peer, include_private=include_private)
        for meeting in recorded:
            say(recorded_line(meeting))
        if not recorded:
            say("no meeting recorded")
        return
    problem = uc.unreadable_schedule(rctx.journal.settings().schedule)
    if problem:
        warn(problem)
    damaged: list[Path] = []  # files of the journal that did not read: named at the end, exit 1
    try:
        if sources:
            from functools import partial

            from reflect.cli.keys import KeysOnce
            from reflect.usecases.packets import read_document

            agendas = uc.export_agendas(
                list(sources), rctx.journal, until=until_dt, since=since_dt, peer=peer,
                include_private=include_private, read=partial(read_document, keys=KeysOnce(identity_file)),
            )  # fmt: skip
        else:
            agendas = uc.journal_agendas(
                rctx.journal, until=until_dt, since=since_dt, peer=peer, include_private=include_private,
                damaged=damaged,
            )
    except ImportFormatError as exc:
        fail(input_error(exc), EXIT_BAD_INPUT)
    except uc.UnknownPeer as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    from reflect.domain import agenda_render
    from reflect.domain.agenda import map_text
    from reflect.domain.terminal import escape

    if fmt != "json":  # json escapes control characters itself; text and markdown show them
        agendas = [map_text(a, escape) for a in agendas]
    with data_out() as out:  # written and flushed here, where a full disk is one line
        agenda_render.write(out, agendas, fmt)
    exit_if_damaged(damaged)
    if include_private:
        warn("private entries are included: share this agenda with care")


@click.group(cls=ReflectGroup)
def meeting() -> None:
    """Supervision meetings: the next date from the schedule, past meetings, and the
    meeting record (add one from paper, show one, attest it)."""


@meeting.command("next")
@pass_rctx
@handle_errors
def meeting_next(rctx: ReflectContext) -> None:
    """Print the next supervision meeting from the schedule in settings."""
    from reflect.domain.model import now
    from reflect.usecases.agendas import next_meeting_for, unreadable_schedule

    schedule = rctx.journal.settings().schedule
    problem = unreadable_schedule(schedule)
    if problem:
        fail(problem)
    when = next_meeting_for(schedule, now())
    if when is None:
        fail(
            "no supervision schedule is set (e.g. \"every 2 weeks on tuesday at 10:00\" in settings)"
            if not schedule.strip()
            else f"the schedule {schedule!r} has no meeting after now"
        )
    click.echo(when.isoformat())


@meeting.command("list")
@click.option("--peer", metavar="NAME", help="Only this peer's meetings.")
@click.option("--json", "as_json", is_flag=True, help="Print the meetings as a JSON array.")
@pass_rctx
@handle_errors
def meeting_list(rctx: ReflectContext, peer: str | None, as_json: bool) -> None:
    """List past supervision meetings, oldest first."""
    from reflect.cli.meetings import mark as attestation_mark
    from reflect.domain.agenda import day

    meetings = rctx.journal.meetings(peer)
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in meetings], ensure_ascii=False, indent=2))
        return
    if not meetings:
        say("no meetings recorded yet")
        return
    from reflect.domain.terminal import escape

    for m in meetings:
        open_n = len(m.open_actions())
        parts = [
            m.id[:8],
            f"{day(m.held)} {m.held.astimezone():%H:%M}",
            m.peer or "-",
            f"reviewed {day(m.since)} to {day(m.until)}",
            f"{len(m.actions)} action(s), {open_n} open",
        ]
        parts += [p for p in (attestation_mark(m),) if p]
        click.echo(escape("  ".join(parts), keep_lines=False))


def _add_meeting_commands() -> None:
    """meeting add, show and attest live in cli/meetings.py; they join the group here, so
    the group is whole however it is reached (`reflect meeting`, or imported)."""
    from reflect.cli.meetings import COMMANDS

    for command in COMMANDS:
        meeting.add_command(command)


_add_meeting_commands()
