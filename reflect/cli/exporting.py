"""`reflect export`: an adapter over `reflect.usecases.exporting` (never imports textual)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    ReflectContext,
    atomic_output,
    complete_entry_id,
    data_out,
    exit_if_damaged,
    fail,
    handle_errors,
    parse_date_option,
    pass_rctx,
    plural,
    say,
    warn,
)

if TYPE_CHECKING:
    from reflect.usecases.exporting import Export


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
@click.option(
    "--to", "to", metavar="KEY", multiple=True,
    help="Seal the export as a packet to this age public key (age1…; `supervisor`: the supervisor_key "
    "setting); repeatable. Your own key is always added, so you can open what you send.",
)  # fmt: skip
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
    to: tuple[str, ...],
) -> None:
    """Write the journal's entries to stdout (or -o FILE).

    Private entries stay in the journal unless asked for: by --include-private, or by
    name with --id. The JSON document also carries the stories and the supervision
    meetings (held in the --since/--until window); with --id, only the stories those
    entries used.

    With --to KEY the export is sealed (age) to those keys and to your own: a packet
    only they and you can open, e.g. `reflect export --to supervisor -o FILE`.
    """
    from reflect.domain.model import now
    from reflect.usecases import exporting

    if ids and (since or until):
        fail("--id cannot be combined with --since/--until: name the entries or give a window", EXIT_BAD_INPUT)
    start = parse_date_option(since, "--since")
    end = parse_date_option(until, "--until", end=True)
    if to:
        _export_packet(rctx, fmt, since=start, until=end, include_private=include_private, ids=ids, to=to, output=output)
        return
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
    _notes(chosen)


def _notes(chosen: Export) -> None:
    """What the person should know about what went out (counts only, never a text)."""
    if chosen.left_out:
        say(f"left out {plural(chosen.left_out, 'private entry')} (use --include-private, or --id ID to export one by name)")
    if chosen.changed_meetings:
        warn(f"{plural(chosen.changed_meetings, 'meeting')} changed after attestation: "
             "the attestation no longer holds (see `reflect meeting list`)")  # fmt: skip
    exit_if_damaged(chosen.damaged)


def _recipients(rctx: ReflectContext, to: tuple[str, ...]) -> list[str]:
    """The keys a packet is sealed to: each --to (`supervisor`: the setting), then the
    sender's own public key (no passphrase needed), so the sender can open it too."""
    from reflect import paths
    from reflect.store import identity
    from reflect.usecases import packets

    keys = []
    for key in to:
        if key.strip() == "supervisor":
            configured = rctx.journal.settings().supervisor_key
            if not configured:
                fail("--to supervisor: no supervisor_key is set (reflect config supervisor_key KEY)", EXIT_BAD_INPUT)
            keys.append(configured)
        else:
            keys.append(packets.check_recipient(key, "--to"))
    try:
        own = identity.public_key(paths.identity_path())
    except identity.IdentityError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    if own is None:
        fail("you have no key yet, and a packet is sealed to you too: run `reflect keys` first", EXIT_BAD_INPUT)
    return [*keys, own]


def _export_packet(
    rctx: ReflectContext,
    fmt: str,
    *,
    since: datetime | None,
    until: datetime | None,
    include_private: bool,
    ids: tuple[str, ...],
    to: tuple[str, ...],
    output: str | None,
) -> None:
    """The export sealed to `to` and the sender's key, to FILE or to stdout when it is
    not a terminal (a packet is binary)."""
    import io
    import sys

    from reflect.domain.model import now
    from reflect.domain.packet import PacketInfo
    from reflect.usecases import exporting, packets

    to_stdout = output is None or output == "-"
    if to_stdout and sys.stdout.isatty():
        fail(f"--to writes a sealed packet, not text for the terminal: add -o FILE (e.g. -o {packets.suggested_name()})",
             EXIT_BAD_INPUT)  # fmt: skip
    recipients = _recipients(rctx, to)
    chosen = exporting.select(rctx.journal, fmt, since=since, until=until, include_private=include_private, ids=ids)
    buffer = io.StringIO(newline=exporting.newline(fmt))
    sender = PacketInfo(rctx.journal.default_peer(), since, until)  # inside the seal, never in a name
    exporting.write(buffer, chosen, exported_at=now(), packet=sender)
    sealed = packets.seal(buffer.getvalue().encode("utf-8"), recipients)
    del buffer
    others = len(set(recipients[:-1]) - {recipients[-1]})
    if to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(sealed)
        sys.stdout.buffer.flush()
    else:
        assert output is not None
        with atomic_output(output) as out:
            out.flush()
            out.buffer.write(sealed)
        say(f"sealed {plural(chosen.written, 'entry')} for {plural(others, 'key')} and you, to {output}")
    _notes(chosen)
