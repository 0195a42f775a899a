"""`reflect portfolio`: hours, supervision, training and competencies, for a career move.

An adapter over `reflect.usecases.portfolio`; never imports textual. The portfolio goes to
stdout (or `-o FILE`, written whole, mode 0600); messages go to stderr. It holds nothing
about the people served (see `reflect.domain.portfolio`).
"""

from __future__ import annotations

from datetime import date

import click

from reflect.cli.kit import ReflectContext, atomic_output, data_out, handle_errors, parse_date_option, pass_rctx, say
from reflect.domain.portfolio import FORMATS


@click.command("portfolio")
@click.option("--since", metavar="WHEN", help="First day counted (default: the first record).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="markdown, html (one printable page) or json.")  # fmt: skip
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (replaced whole, mode 0600) instead of stdout.")
@pass_rctx
@handle_errors
def portfolio(rctx: ReflectContext, since: str | None, fmt: str, output: str | None) -> None:
    """Print your portfolio: encounters by setting and by month (group and individual
    apart), supervision hours, training by category, the competencies you exercised,
    your ratings over time (prompts, not scores) and the goals you met.

    Counts only: no name, story, quote or other text of an entry, and no meeting's
    notes. Private entries are left out of every count (the number left out is given).
    """
    from reflect.domain import portfolio_render
    from reflect.domain.fields import now
    from reflect.usecases.portfolio import portfolio as build

    start = parse_date_option(since, "--since")
    day: date | None = None if start is None else start.astimezone().date()
    made = build(rctx.journal, since=day, made=now())
    if output is not None and output != "-":
        with atomic_output(output) as out:
            portfolio_render.write(out, made, fmt)
        say(f"wrote the portfolio ({made.encounters} encounter(s)) to {output}")
    else:
        with data_out() as out:
            portfolio_render.write(out, made, fmt)
