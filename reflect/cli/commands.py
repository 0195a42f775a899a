"""The `reflect` command line. With no command it opens the journaling app.

textual is imported only by the commands that open a screen (`reflect`, `reflect new`),
so scripts (`reflect export`, `reflect list`, `reflect import`, `reflect review --format ...`,
completion) start fast and never load it.

stdout carries data only (JSON, tables, Markdown, settings); every message, warning,
count and prompt goes to stderr. Bad input is one line on stderr and a non-zero exit,
and is refused before anything is written.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

import click

from reflect import __version__
from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    ReflectContext,
    ReflectGroup,
    atomic_output,
    check_journal_location,
    data_out,
    fail,
    handle_errors,
    interrupt_deferred,
    parse_date_option,
    pass_rctx,
    say,
    warn,
)

if TYPE_CHECKING:
    from reflect.domain.formats import ImportDoc
    from reflect.domain.model import Entry
    from reflect.store import HealthReport, ImportResult

FLAG_CHOICES = ("crisis", "boundary", "discuss", "self_care", "celebrate", "private")
SETTING_SHORT = {"one-to-one": "1:1", "text-or-chat": "text"}
LIST_DEFAULT_LIMIT = 50


@click.group(cls=ReflectGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
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
        check_journal_location(db)
        from reflect.screens.app import run_app

        run_app(ctx.obj.db)


# --- helpers ------------------------------------------------------------------------------


def complete_entry_id(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of entry ids from the newest entries. Never creates a journal."""
    try:
        from reflect import paths
        from reflect.root import open_journal

        db = ctx.find_root().params.get("db")
        if not paths.journal_path(db).exists():
            return []
        return [e.id for e in open_journal(db).recent(200) if e.id.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never print a traceback
        return []


def _write_json_array(out: TextIO, docs: Iterable[dict[str, Any]]) -> int:
    """A JSON array, one compact entry per line; returns how many were written."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    n = 0
    for doc in docs:
        out.write(("[\n  " if n == 0 else ",\n  ") + encode(doc))
        n += 1
    out.write("[]\n" if n == 0 else "\n]\n")
    return n


def _fit(text: str, width: int) -> str:
    """One line of exactly `width` characters: cut with an ellipsis, or padded."""
    text = " ".join(text.split())
    if len(text) > width:
        text = text[: max(width - 1, 0)].rstrip() + "…" if width > 1 else text[:width]
    return text.ljust(width)


def _plural(n: int, word: str) -> str:
    """ "1 entry", "3 entries", "2 meetings"."""
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


# --- import -------------------------------------------------------------------------------


def _read_source(source: str) -> tuple[str, str]:
    """The text to import and the name to use in messages."""
    if source == "-":
        stdin = sys.stdin
        name = "<stdin>"
        if stdin is None:  # started with stdin closed (`reflect import - <&-`)
            fail(f"{name}: no standard input to read (it is closed)", EXIT_BAD_INPUT)
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode("utf-8")
    else:
        name = source
        try:
            with open(source, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            fail(f"{source}: no such file", EXIT_BAD_INPUT)
        except IsADirectoryError:
            fail(f"{source}: is a folder, not a file to import", EXIT_BAD_INPUT)
        except PermissionError:
            fail(f"{source}: permission denied", EXIT_BAD_INPUT)
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError as exc:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            fail(f"{name}: UTF-16 text; save it as UTF-8 and import again", EXIT_BAD_INPUT)
        fail(f"{name}: not UTF-8 text (byte {exc.start + 1})", EXIT_BAD_INPUT)
    raise AssertionError("unreachable")


@main.command("import")
@click.argument("source", metavar="FILE|-")
@click.option("--replace", is_flag=True, help="Overwrite records whose id is already in the journal with other content.")
@click.option("--dry-run", is_flag=True, help="Validate and report what would happen; write nothing.")
@pass_rctx
@handle_errors
def import_(rctx: ReflectContext, source: str, replace: bool, dry_run: bool) -> None:
    """Import entries from FILE (or - for stdin).

    Accepts an export document, a JSON array of entries, one entry object, or JSON Lines.
    Everything is validated first: one bad record rejects the whole input, naming its
    position and the reason, and nothing is written. Importing the same entry again
    changes nothing; the same id with other content is refused unless --replace.
    Counts and warnings go to stderr. A dry run that would be refused exits 1.
    """
    from reflect.usecases import importing

    text, name = _read_source(source)
    journal = rctx.journal
    doc = importing.parse(journal, text, source=name)
    # Ctrl-C before this point leaves the journal as it was (handle_errors says so).
    # During the write it is held until the write is whole: all of the import, never part.
    with interrupt_deferred() as interrupted:  # till the end: the summary is the news
        result = importing.apply(journal, doc, replace=replace, dry_run=dry_run)
        during_write = bool(interrupted)
        if not during_write:
            _report_import(doc, result, replace=replace, dry_run=dry_run)
    if during_write:
        if dry_run:
            fail("interrupted; nothing was written", EXIT_INTERRUPTED)
        fail(f"interrupted; the import was finished first, so the journal stays whole: {importing.summary(result)}",
             EXIT_INTERRUPTED)  # fmt: skip
    if interrupted:  # while the summary was written: it is on stderr already
        sys.exit(EXIT_INTERRUPTED)


def _report_import(doc: ImportDoc, result: ImportResult, *, replace: bool, dry_run: bool) -> None:
    """Identifier warnings (one line per entry, never the value), then the counts."""
    from reflect.usecases import importing

    for warning in importing.changed_warnings(doc, result):
        warn(warning.line())
    if dry_run:
        say(f"dry run, nothing written; would import {importing.summary(result)}")
        if result.conflicts and not replace:
            fail(
                f"the import would be refused: {len(result.conflicts)} record(s) already in the journal "
                "with different content (use --replace to overwrite them)",
                EXIT_ERROR,
            )
    else:
        say(f"imported {importing.summary(result)}")


# --- export -------------------------------------------------------------------------------


@main.command("export")
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
        say(f"wrote {_plural(chosen.written, 'entry')} to {output}")
    else:
        with data_out(newline=newline) as out:
            exporting.write(out, chosen, exported_at=now())
    if chosen.left_out:
        say(f"left out {_plural(chosen.left_out, 'private entry')} (use --include-private, or --id ID to export one by name)")


# --- list, show, delete -------------------------------------------------------------------


def _marks(entry: Entry) -> str:
    """The flags that are on, as cycle.MARKS writes them (the home screen's marks too)."""
    from reflect.domain.cycle import MARKS

    return "".join(m for key, m, _ in MARKS if (entry.private if key == "private" else getattr(entry.flags, key)))


def _table(entries: list[Entry], width: int) -> Iterator[str]:
    from reflect.domain.dates import format_when

    whens = [format_when(e.occurred) for e in entries]
    when_w = min(max((len(w) for w in whens), default=4), 20)
    id_w, person_w, setting_w, flags_w = 8, 10, 8, 6
    fixed = when_w + id_w + person_w + setting_w + flags_w + 5
    summary_w = max(width - fixed, 10)
    yield " ".join(
        (_fit("WHEN", when_w), _fit("ID", id_w), _fit("PERSON", person_w),
         _fit("SETTING", setting_w), _fit("FLAGS", flags_w), "SUMMARY")
    ).rstrip()  # fmt: skip
    for e, when in zip(entries, whens):
        row = " ".join(
            (
                _fit(when, when_w),
                e.id[:id_w].ljust(id_w),
                _fit(e.person or "-", person_w),
                _fit(SETTING_SHORT.get(e.setting, e.setting), setting_w),
                _fit(_marks(e), flags_w),
                _fit(e.summary(summary_w) or e.question or "(no text)", summary_w),
            )
        )
        yield row.rstrip()


def _list_width() -> int:
    import shutil

    if not sys.stdout.isatty():
        return 80
    return max(60, shutil.get_terminal_size((80, 24)).columns)


@main.command("list")
@click.option("--since", metavar="WHEN", help="Entries from this time on.")
@click.option("--until", metavar="WHEN", help="Entries up to the end of this day or time.")
@click.option("--flag", "flags", type=click.Choice(FLAG_CHOICES), multiple=True, help="Only entries with this flag (repeatable: all must hold).")
@click.option("--tag", "tags", metavar="TAG", multiple=True, help="Only entries with this tag (repeatable: all must hold).")
@click.option("--search", metavar="TEXT", default="", help="Only entries whose text contains TEXT (any case).")
@click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
              help=f"At most N entries, newest first (default {LIST_DEFAULT_LIMIT} for the table, all with --json; 0: all).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="A JSON array of full entries, for scripts.")
@click.option("--include-private", is_flag=True, help="With --json: include private entries (the table always shows them, marked P).")
@pass_rctx
@handle_errors
def list_(
    rctx: ReflectContext,
    since: str | None,
    until: str | None,
    flags: tuple[str, ...],
    tags: tuple[str, ...],
    search: str,
    limit: int | None,
    as_json: bool,
    include_private: bool,
) -> None:
    """List entries, newest first.

    \b
    The table is for you, the journal's owner: private entries show, marked P.
    Flags: ! crisis  B boundary  ? discuss  S self-care  ★ celebrate  P private.
    With --json, private entries are left out unless --include-private or --flag private
    (the same rule as export), and a note on stderr says how many.
    """
    from reflect.domain.model import EntryFilter

    flt = EntryFilter(
        since=parse_date_option(since, "--since"),
        until=parse_date_option(until, "--until", end=True),
        flags=list(flags),
        tags=list(tags),
        text=search,
    )
    from reflect.usecases import listing

    if limit is None:
        limit = 0 if as_json else LIST_DEFAULT_LIMIT
    cap = limit or None
    if as_json:
        listed = listing.entries_for_scripts(rctx.journal, flt, include_private=include_private, limit=cap)
        with data_out() as out:
            _write_json_array(out, (e.to_dict() for e in listed.entries))
        if listed.left_out:
            say(f"left out {_plural(listed.left_out, 'private entry')} (use --include-private)")
        return
    listed = listing.entries_for_owner(rctx.journal, flt, limit=cap)
    if listed.entries:
        with data_out() as out:
            for line in _table(listed.entries, _list_width()):
                out.write(line + "\n")
        if listed.more:
            say(f"showing the newest {cap}; use --limit N (0 for all) to see more")
    else:
        say("no entries match" if (since or until or flags or tags or search) else "the journal has no entries yet")


@main.command("show")
@click.argument("entry_id", metavar="ID", shell_complete=complete_entry_id)
@click.option("--json", "as_json", is_flag=True, help="The entry as its contract dict.")
@pass_rctx
@handle_errors
def show(rctx: ReflectContext, entry_id: str, as_json: bool) -> None:
    """Show one entry (full id or unique prefix), private or not: you asked for it by name."""
    from reflect.domain.formats import write_markdown
    from reflect.usecases import listing

    entry = listing.entry_by_id(rctx.journal, entry_id)
    with data_out() as out:
        if as_json:
            out.write(json.dumps(entry.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            write_markdown(out, [entry], stories=listing.story_of(rctx.journal, entry), title="")


@main.command("delete")
@click.argument("entry_id", metavar="ID", shell_complete=complete_entry_id)
@click.option("--yes", "-y", is_flag=True, help="Do not ask (for scripts).")
@pass_rctx
@handle_errors
def delete(rctx: ReflectContext, entry_id: str, yes: bool) -> None:
    """Delete one entry (full id or unique prefix). Shows what will go and asks first."""
    from reflect.usecases import listing

    entry = listing.entry_by_id(rctx.journal, entry_id)
    what = f"{entry.id} ({entry.occurred:%Y-%m-%d %H:%M}, {entry.person or 'no person'}: {entry.summary(40) or 'no text'})"
    if not yes:
        if not sys.stdin.isatty():
            fail(f"not deleting {entry.id} without confirmation: no terminal to ask on; use --yes", EXIT_BAD_INPUT)
        say(f"This will delete entry {what}.")
        if not click.confirm("Delete it?", default=False, err=True):
            say("nothing deleted")
            sys.exit(EXIT_ERROR)
    listing.delete(rctx.journal, entry)
    say(f"deleted entry {what}")


# --- new ------------------------------------------------------------------------------------


@main.command("new")
@pass_rctx
def new(rctx: ReflectContext) -> None:
    """Open the app straight on a new encounter."""
    check_journal_location(rctx.db)
    from reflect.screens.app import run_app

    run_app(rctx.db, start="new")


# --- config ---------------------------------------------------------------------------------


def _describe_schedule(rrule: str) -> None:
    """The schedule in words and the next meeting, on stderr."""
    from reflect.domain.dates import DateError
    from reflect.usecases.settings import schedule_words

    try:
        say(schedule_words(rrule))
    except DateError as exc:
        warn(f"schedule: {exc}")


@main.command("config")
@click.argument("key", required=False, metavar="[KEY]")
@click.argument("value", required=False, metavar="[VALUE]")
@click.option("--unset", "unset", metavar="KEY", help="Reset KEY to its default.")
@pass_rctx
@handle_errors
def config(rctx: ReflectContext, key: str | None, value: str | None, unset: str | None) -> None:
    """Show or change settings: peer, supervisor, crisis_lines, schedule, theme.

    \b
    reflect config                       all settings as JSON
    reflect config KEY                   one value
    reflect config KEY VALUE             set it ("" resets it to the default)
    reflect config --unset KEY           reset it
    crisis_lines: "Name: how; Name: how" or a JSON list of {"name": ..., "how": ...}.
    schedule: an RRULE or a phrase such as "every 2 weeks on tuesday at 10:00".
    """
    from reflect.domain.settings import check_key
    from reflect.usecases import settings as uc

    if unset is not None:
        if key is not None:
            fail("give either --unset KEY or KEY [VALUE], not both", EXIT_BAD_INPUT)
        key, value = unset, ""
    if key is None:
        with data_out() as out:
            out.write(json.dumps(uc.read(rctx.journal).to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    check_key(key)
    if value is None:
        settings = uc.read(rctx.journal)
        with data_out() as out:
            out.write(uc.value_text(settings, key) + "\n")
        if key == "schedule" and settings.schedule:
            _describe_schedule(settings.schedule)
        return
    changed = uc.set_value(rctx.journal, key, value)
    settings = changed.settings
    if changed.reset:
        say(f"{key} reset to its default")
    elif key == "schedule":
        say("schedule set")
        _describe_schedule(settings.schedule)
    elif key == "crisis_lines":
        n = len(settings.crisis_lines)
        say(f"crisis_lines set ({n} line{'s' if n != 1 else ''})")
    else:
        say(f"{key} set to {getattr(settings, key)!r}")


# --- doctor ---------------------------------------------------------------------------------


def _report_dict(report: HealthReport) -> dict[str, Any]:
    return {
        "journal": str(report.journal),
        "ok": report.ok,
        "schema": report.schema,
        "entries": report.entries,
        "months": report.months,
        "stories": report.stories,
        "meetings": report.meetings,
        "drafts": report.drafts,
        "files": [{"path": str(f.path), "status": f.status, "detail": f.detail} for f in report.files],
        "problems": list(report.problems),
        "repaired": list(report.repaired),
    }


def _report_lines(report: HealthReport) -> Iterator[str]:
    yield f"journal:  {report.journal}"
    yield f"schema:   {report.schema if report.schema is not None else 'unknown'}"
    yield (
        f"contents: {_plural(report.entries, 'entry')} in {report.months} month file(s), "
        f"{_plural(report.stories, 'story')}, {_plural(report.meetings, 'meeting')}, "
        f"{report.drafts} draft(s)"
    )
    bad = [f for f in report.files if f.status != "ok"]
    yield f"files:    {len(report.files) - len(bad)} ok, {len(bad)} not"
    for f in bad:
        yield f"  {f.status}: {f.path}" + (f" ({f.detail})" if f.detail else "")
    if report.repaired:
        yield "repaired:"
        for line in report.repaired:
            yield f"  - {line}"
    if report.problems:
        yield "problems:"
        for line in report.problems:
            yield f"  - {line}"
    yield "status:   ok" if report.ok else f"status:   {len(report.problems)} problem(s) remain"


@main.command("doctor")
@click.option("--repair", is_flag=True, help="Restore unreadable files from their newest good backup; rebuild the index.")
@click.option("--json", "as_json", is_flag=True, help="The report as JSON.")
@pass_rctx
@handle_errors
def doctor(rctx: ReflectContext, repair: bool, as_json: bool) -> None:
    """Check every file of the journal; exit 1 when problems remain."""
    report = rctx.journal.check(repair=repair)
    with data_out() as out:
        if as_json:
            out.write(json.dumps(_report_dict(report), ensure_ascii=False, indent=2) + "\n")
        else:
            for line in _report_lines(report):
                out.write(line + "\n")
    if not report.ok:
        if not repair:
            say("run `reflect doctor --repair` to restore from backups and rebuild the index")
        sys.exit(EXIT_ERROR)


# --- commands from other modules --------------------------------------------------------------

from reflect.cli.review import meeting, review  # noqa: E402 - registered after main exists

main.add_command(review)
main.add_command(meeting)
