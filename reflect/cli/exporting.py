"""`reflect export`: an adapter over `reflect.usecases.exporting` (never imports textual)."""

from __future__ import annotations

import click

from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    ReflectContext,
    atomic_output,
    complete_entry_id,
    data_out,
    fail,
    handle_errors,
    parse_date_option,
    pass_rctx,
    plural,
    say,
)


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "markdown"]), default="json",
    show_default=True, help="json: the export document (with stories and meetings); jsonl: one entry per line.",
)  # fmt: skip
@click.option("--since", metavar="WHEN", help='Entries from this time on ("2024-03-01", "2 weeks ago", "last tuesday").')
@click.option("--until", metavar="WHEN", help="Entries up to the end of this day or time.")
@click.option("--include-private", is_flag=True, help="Include private entries (left out by default).")
@click.option(
    "--id", "ids", metavar="ID", multiple=True, shell_complete=complete_entry_id,
    help="Export only this entry (full id or unique prefix); repeatable. Named entries go out even if private.",
)  # fmt: skip
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (replaced whole, mode 0600) instead of stdout.")
@pass_rctx
@handle_errors
def export(
    rctx: ReflectContext,
    fmt: str,
    since: str | None,
    until: str | None,
    include_private: bool,
    ids: tuple[str, ...],
    output: str | None,
) -> None:
    """Write the journal's entries to stdout (or -o FILE).

    Private entries stay in the journal unless asked for: by --include-private, or by
    name with --id. The JSON document also carries the stories and the supervision
    meetings (held in the --since/--until window); with --id, only the stories those
    entries used.
    """
    from reflect.domain.model import now
    from reflect.usecases import exporting

    if ids and (since or until):
        fail("--id cannot be combined with --since/--until: name the entries or give a window", EXIT_BAD_INPUT)
    start = parse_date_option(since, "--since")
    end = parse_date_option(until, "--until", end=True)
    chosen = exporting.select(rctx.journal, fmt, since=start, until=end, include_private=include_private, ids=ids)
    newline = exporting.newline(fmt)
    if output is not None and output != "-":
        with atomic_output(output, newline=newline) as out:
            exporting.write(out, chosen, exported_at=now())
        say(f"wrote {plural(chosen.written, 'entry')} to {output}")
        from reflect.root import encryption

        if encryption(rctx.db).needs_keys:  # plain by request: say so, the journal is not
            say(f"note: {output} is not encrypted, though the journal is: keep it safe, or delete it when done")
    else:
        with data_out(newline=newline) as out:
            exporting.write(out, chosen, exported_at=now())
    if chosen.left_out:
        say(f"left out {plural(chosen.left_out, 'private entry')} (use --include-private, or --id ID to export one by name)")
