"""`reflect supervision`: the supervision log for a board, hours worked, the rule packs.

Adapters over `reflect.usecases.supervision_log`; never imports textual. The log goes to
stdout (or `-o FILE`, written whole, mode 0600); messages go to stderr.
"""

from __future__ import annotations

from datetime import date, datetime

import click

from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    ReflectContext,
    ReflectGroup,
    atomic_output,
    data_out,
    fail,
    handle_errors,
    input_error,
    parse_date_option,
    pass_rctx,
    say,
)

LOG_FORMATS = ("markdown", "csv", "json", "html")


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.astimezone().date()


@click.group(cls=ReflectGroup)
def supervision() -> None:
    """Supervision records: the log a board asks for, hours worked, the rule packs."""


@supervision.command("log")
@click.option("--since", metavar="WHEN", help="First day of the window (default: the first meeting).")
@click.option("--until", metavar="WHEN", help="Last day of the window (default: today).")
@click.option("--peer", metavar="NAME", help="Only this peer's meetings (rules are checked for one peer).")
@click.option("--rules", metavar="NAME|FILE", help="A shipped rule pack or your own rules file (default: the supervision_rules setting).")
@click.option("--format", "fmt", type=click.Choice(LOG_FORMATS), required=True, help="markdown, csv, json or html (one printable page).")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (replaced whole, mode 0600) instead of stdout.")
@pass_rctx
@handle_errors
def log(
    rctx: ReflectContext,
    since: str | None,
    until: str | None,
    peer: str | None,
    rules: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Print the supervision log: every meeting in the window (attested or not), the
    totals, then each rule's check, naming the week or period that fell short.

    Built from the meeting records only: stored agendas never reach it, and free text
    is masked for identifiers by kind.
    """
    from reflect.domain import supervision_render
    from reflect.usecases import supervision_log as uc

    start = _day(parse_date_option(since, "--since"))
    end = _day(parse_date_option(until, "--until", end=True))
    if start and end and start > end:
        fail("--since is after --until: the window is empty", EXIT_BAD_INPUT)
    if peer is not None and not peer.strip():
        fail("--peer: the name is empty", EXIT_BAD_INPUT)
    try:
        built = uc.supervision_log(rctx.journal, since=start, until=end, peer=peer, rules=rules)
    except (uc.RulesError, uc.SeveralPeers) as exc:
        fail(input_error(exc), EXIT_BAD_INPUT)
    newline = "" if fmt == "csv" else None
    if output is not None and output != "-":
        with atomic_output(output, newline=newline) as out:
            supervision_render.write(out, built, fmt)
        say(f"wrote the supervision log ({len(built.meetings)} meeting(s)) to {output}")
    else:
        with data_out(newline=newline) as out:
            supervision_render.write(out, built, fmt)
    if built.rules is not None:
        short = [c for c in built.rules.checks if not c.ok]
        if short:
            say(f"{len(short)} of {len(built.rules.checks)} rule(s) not met ({built.rules.name})")


@supervision.command("worked")
@click.option("--week", "week", metavar="WHEN", required=True, help='Any day of the week ("2026-03-09", "last week").')
@click.option("--hours", type=float, required=True, help="Hours worked that week (e.g. 40 or 37.5).")
@click.option("--peer", metavar="NAME", help="Whose hours (default: the peer setting).")
@pass_rctx
@handle_errors
def worked(rctx: ReflectContext, week: str, hours: float, peer: str | None) -> None:
    """Record the hours worked in one week (a ratio rule counts them). A week with
    none recorded takes the weekly_hours setting."""
    from reflect.usecases.supervision_log import record_worked

    day = _day(parse_date_option(week, "--week"))
    assert day is not None
    if peer is not None and not peer.strip():
        fail("--peer: the name is empty", EXIT_BAD_INPUT)
    saved = record_worked(rctx.journal, day, hours, peer)
    say(f"recorded {saved.hours:g} hours for the week of {saved.week.isoformat()} ({saved.peer})")


@supervision.command("rules")
@click.argument("name", required=False, metavar="[NAME|FILE]")
@pass_rctx
@handle_errors
def rules(rctx: ReflectContext, name: str | None) -> None:
    """List the shipped rule packs, or check one (or your own file) and print its rules."""
    from reflect.domain.supervision_rules import Pack
    from reflect.domain.terminal import escape
    from reflect.usecases import supervision_log as uc

    def show(pack: Pack) -> None:
        click.echo(escape(f"{pack.name}: {pack.title}", keep_lines=False))

    try:
        if name is None:
            for n in uc.shipped_packs():
                show(uc.load_pack(n))
            return
        pack = uc.load_pack(name)
    except uc.RulesError as exc:
        fail(input_error(exc), EXIT_BAD_INPUT)
    show(pack)
    src = pack.source
    click.echo(escape(f"  source: {src.body}, {src.rule}" + (f" <{src.url}>" if src.url else ""), keep_lines=False))
    click.echo(escape(f"  note: {src.note}", keep_lines=False))
    for r in pack.rules:
        click.echo(escape(f"  {r.id} ({r.type}): {r.text}", keep_lines=False))
