"""`reflect list`, `show` and `delete`: adapters over `reflect.usecases.listing`.

The table is the owner's own view (private entries show, marked P); `list --json` keeps
the private rule; an entry named by id is shown whatever its visibility.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

import click

from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    EXIT_ERROR,
    ReflectContext,
    complete_entry_id,
    data_out,
    exit_if_damaged,
    fail,
    handle_errors,
    parse_date_option,
    pass_rctx,
    plural,
    say,
)
from reflect.domain.terminal import escape

if TYPE_CHECKING:
    from pathlib import Path

    from reflect.domain.model import Entry


FLAG_CHOICES = ("crisis", "boundary", "discuss", "self_care", "celebrate", "private")
SETTING_SHORT = {"one-to-one": "1:1", "text-or-chat": "text"}
LIST_DEFAULT_LIMIT = 50


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
    """One line of exactly `width` characters: cut with an ellipsis, or padded. Stored
    text is anyone's: whitespace folds to spaces, every other control character shows
    as an escape (`\\x1b`), so a cell can neither drive the terminal nor forge a row."""
    text = escape(" ".join(text.split()), keep_lines=False)
    if len(text) > width:
        text = text[: max(width - 1, 0)].rstrip() + "…" if width > 1 else text[:width]
    return text.ljust(width)


def _marks(entry: Entry) -> str:
    """The flags that are on, as cycle.MARKS writes them (the home screen's marks too)."""
    from reflect.domain.crisis import is_crisis
    from reflect.domain.cycle import MARKS

    def on(key: str) -> bool:
        if key == "private":
            return entry.private
        return is_crisis(entry) if key == "crisis" else bool(getattr(entry.flags, key))

    return "".join(m for key, m, _ in MARKS if on(key))


def _setting(entry: Entry) -> str:
    """The setting column; a group encounter says so, with its headcount ("group 8")."""
    if entry.in_group:
        n = entry.group.headcount if entry.group is not None else 0
        return f"group {n}" if n else "group"
    return SETTING_SHORT.get(entry.setting, entry.setting)


def _table(entries: list[Entry], width: int) -> Iterator[str]:
    from reflect.domain.dates import format_when

    whens = [format_when(e.occurred) for e in entries]
    when_w = min(max((len(w) for w in whens), default=4), 20)
    settings = [_setting(e) for e in entries]
    id_w, person_w, setting_w, flags_w = 8, 10, max(8, *(len(s) for s in settings)), 6  # "group 121" whole
    fixed = when_w + id_w + person_w + setting_w + flags_w + 5
    summary_w = max(width - fixed, 10)
    yield " ".join(
        (_fit("WHEN", when_w), _fit("ID", id_w), _fit("PERSON", person_w),
         _fit("SETTING", setting_w), _fit("FLAGS", flags_w), "SUMMARY")
    ).rstrip()  # fmt: skip
    for e, when, setting in zip(entries, whens, settings):
        row = " ".join(
            (
                _fit(when, when_w),
                escape(e.id, keep_lines=False)[:id_w].ljust(id_w),
                _fit(e.person or "-", person_w),
                _fit(setting, setting_w),
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


@click.command("list")
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
    A group encounter shows "group N" in SETTING: N people took part.
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
    damaged: list[Path] = []  # month files missing or unreadable: named at the end, exit 1
    if as_json:
        listed = listing.entries_for_scripts(rctx.journal, flt, include_private=include_private, limit=cap, damaged=damaged)
        with data_out() as out:
            _write_json_array(out, (e.to_dict() for e in listed.entries))
        if listed.left_out:
            say(f"left out {plural(listed.left_out, 'private entry')} (use --include-private)")
        exit_if_damaged(damaged)
        return
    if search:  # the stored text is tested before any entry is built (item 17 of issue 9)
        from reflect.usecases import browsing

        found = browsing.search(rctx.journal, flt, None if cap is None else cap + 1)
        more = cap is not None and len(found) > cap
        listed = listing.Listed(found[:cap] if cap is not None else found, more=more)
    else:
        listed = listing.entries_for_owner(rctx.journal, flt, limit=cap, damaged=damaged)
    if listed.entries:
        with data_out() as out:
            for line in _table(listed.entries, _list_width()):
                out.write(line + "\n")
        if listed.more:
            say(f"showing the newest {cap}; use --limit N (0 for all) to see more")
    elif not damaged:
        say("no entries match" if (since or until or flags or tags or search) else "the journal has no entries yet")
    exit_if_damaged(damaged)


@click.command("show")
@click.argument("entry_id", metavar="ID", shell_complete=complete_entry_id)
@click.option("--json", "as_json", is_flag=True, help="The entry as its contract dict.")
@pass_rctx
@handle_errors
def show(rctx: ReflectContext, entry_id: str, as_json: bool) -> None:
    """Show one entry (full id or a unique start of it, any length), private or not: you
    asked for it by name."""
    from reflect.domain.formats import write_markdown
    from reflect.usecases import browsing, listing

    if not entry_id.strip():
        listing.entry_by_id(rctx.journal, entry_id)  # says what an id is
    entry = browsing.entry_by_prefix(rctx.journal, entry_id)
    with data_out() as out:
        if as_json:
            out.write(json.dumps(entry.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            text = io.StringIO()
            write_markdown(text, [_one_line_fields(entry)], stories=listing.story_of(rctx.journal, entry), title="")
            out.write(escape(text.getvalue()))


def _one_line_fields(entry: Entry) -> Entry:
    """`entry` for showing on a terminal: the fields that are one line of the Markdown
    (id, peer, person, tags) with every control character escaped, newlines included,
    so none can forge a line; the text fields keep their lines and are escaped with the
    rest of the document."""
    from dataclasses import replace

    def one(text: str) -> str:
        return escape(text, keep_lines=False)

    return replace(entry, id=one(entry.id), peer=one(entry.peer), person=one(entry.person),  # type: ignore[type-var]
                   tags=[one(t) for t in entry.tags])  # fmt: skip


def deleted_summary(entry: Entry) -> str:
    """What `delete` names: the id, when, the person and the start of the text, each
    identifier masked by kind (`[phone]`): the message is about the entry, not its values."""
    from reflect.domain.masking import mask_person, masked_summary

    person = mask_person(entry.person) if entry.person.strip() else "no person"
    about = masked_summary((entry.listen.story, entry.listen.matters, entry.reflect.experience, entry.share.how), 40)
    return f"{entry.id} ({entry.occurred:%Y-%m-%d %H:%M}, {person}: {about or 'no text'})"



@click.command("delete")
@click.argument("entry_id", metavar="ID", shell_complete=complete_entry_id)
@click.option("--yes", "-y", is_flag=True, help="Do not ask (for scripts).")
@pass_rctx
@handle_errors
def delete(rctx: ReflectContext, entry_id: str, yes: bool) -> None:
    """Delete one entry (full id or unique prefix). Shows what will go and asks first."""
    from reflect.usecases import listing

    entry = listing.entry_by_id(rctx.journal, entry_id)
    what = deleted_summary(entry)
    if not yes:
        if not sys.stdin.isatty():
            fail(f"not deleting {entry.id} without confirmation: no terminal to ask on; use --yes", EXIT_BAD_INPUT)
        say(f"This will delete entry {what}.")
        if not click.confirm("Delete it?", default=False, err=True):
            say("nothing deleted")
            sys.exit(EXIT_ERROR)
    listing.delete(rctx.journal, entry)
    say(f"deleted entry {what}")
