"""`reflect training`: continuing education, an adapter over `reflect.usecases.training`.

add prints the new id on stdout; list is a table (or --json); edit and delete take an id
or a unique start of it, as entries do; certificate writes a kept certificate back out;
status says where you stand against your board's renewal rules (text or JSON).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    EXIT_ERROR,
    ReflectContext,
    ReflectGroup,
    data_out,
    fail,
    handle_errors,
    parse_date_option,
    pass_rctx,
    say,
    write_whole,
)
from reflect.domain.terminal import escape

if TYPE_CHECKING:
    from reflect.domain.training import Training


def _day(value: str | None, option: str) -> date | None:
    """A --date value: YYYY-MM-DD or a phrase `reflect list --since` takes (yesterday, ...)."""
    when = parse_date_option(value, option)
    return None if when is None else when.date()


def _hours(value: str | None) -> float | None:
    """--hours as a number; the record's rule (above 0, quarter steps) names what is wrong."""
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        fail(f"--hours: expected a number of hours such as 1.5, got {value!r}", EXIT_BAD_INPUT)


def _read_certificate(value: str | None) -> tuple[str, bytes] | None:
    """--certificate FILE read whole, its size checked before it is read."""
    if value is None:
        return None
    from reflect.domain.training import MAX_CERTIFICATE_BYTES

    path = Path(value).expanduser()
    if not path.exists():
        fail(f"--certificate: {path}: no such file", EXIT_BAD_INPUT)
    if not path.is_file():  # a folder, /dev/zero, a pipe: nothing a certificate is kept from
        fail(f"--certificate: {path}: not a regular file", EXIT_BAD_INPUT)
    if path.stat().st_size > MAX_CERTIFICATE_BYTES:
        fail(
            f"--certificate: {path}: larger than {MAX_CERTIFICATE_BYTES // (1024 * 1024)} MB; "
            "keep a smaller scan or a PDF", EXIT_BAD_INPUT,
        )  # fmt: skip
    return path.name, path.read_bytes()


def _fields(
    title: str | None, provider: str | None, when: str | None, hours: str | None, category: str | None,
    tags: tuple[str, ...], notes: str | None,
) -> dict[str, Any]:  # fmt: skip
    day = _day(when, "--date")
    return {
        "title": title, "provider": provider, "date": None if day is None else day.isoformat(),
        "hours": _hours(hours), "category": None if category is None else category.strip().lower(),
        "tags": [t.strip() for t in tags if t.strip()] if tags else None,  # --tag "" clears them
        "notes": notes,
    }  # fmt: skip


@click.group("training", cls=ReflectGroup)
def training() -> None:
    """Continuing education: trainings, certificates, and renewal status.

    \b
    reflect training add --title T --provider P --date WHEN --hours N --category C
    reflect training list [--json]
    reflect training status [--rules NAME|FILE] [--format text|json]
    Choose your rules once: reflect config training_rules pa-cps (ga-cps, icrc, nebraska,
    or a pack file) and reflect config certified_on YYYY-MM-DD.
    """


_common = [
    click.option("--title", metavar="TEXT", help="The training's title, as on the certificate."),
    click.option("--provider", metavar="TEXT", help="Who gave it (organisation or trainer)."),
    click.option("--date", "when", metavar="WHEN", help="The day it was completed (YYYY-MM-DD, yesterday, ...)."),
    click.option("--hours", metavar="N", help="Hours of credit, in quarter-hour steps (e.g. 1.5)."),
    click.option("--category", metavar="C", help="ethics, peer, elective, or a category your rules name."),
    click.option("--tag", "tags", metavar="TAG", multiple=True, help="A word a rule pack counts by (repeatable), e.g. network; --tag '' clears them."),
    click.option("--notes", metavar="TEXT", help="Anything else worth keeping (a CEU number, an approval code)."),
    click.option("--certificate", metavar="FILE", help="Keep this certificate file in the journal."),
    click.option("--anyway", is_flag=True, help="Keep text that looks like an identifier (a phone number, an email)."),
]


def _looks_identifying(exc: Exception) -> None:
    fail(f"{exc}: reword it, or give --anyway to keep it as typed", EXIT_BAD_INPUT)


def _with_common(fn: Any) -> Any:
    for opt in reversed(_common):
        fn = opt(fn)
    return fn


@training.command("add")
@_with_common
@pass_rctx
@handle_errors
def add(
    rctx: ReflectContext, title: str | None, provider: str | None, when: str | None, hours: str | None,
    category: str | None, tags: tuple[str, ...], notes: str | None, certificate: str | None, anyway: bool,
) -> None:  # fmt: skip
    """Record a training; prints its id on stdout."""
    from reflect.usecases import training as uc

    for option, value in (("--title", title), ("--provider", provider), ("--date", when), ("--hours", hours),
                          ("--category", category)):  # fmt: skip
        if value is None:
            fail(f"{option}: required (see `reflect training add --help`)", EXIT_BAD_INPUT)
    fields = _fields(title, provider, when, hours, category, tags, notes)
    cert = _read_certificate(certificate)
    try:
        added = uc.add(rctx.journal, fields, cert, anyway=anyway)
    except uc.LooksIdentifying as exc:
        _looks_identifying(exc)
    with data_out() as out:
        out.write(added.id + "\n")
    say(f"added training {added.id}" + (" with its certificate" if cert else ""))
    if added.date > date.today():
        say("it is dated after today: status counts it from that day on")


def _fit(text: str, width: int) -> str:
    text = escape(" ".join(text.split()), keep_lines=False)
    return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)


def _table(rows: list[Training], kept: set[str]) -> list[str]:
    """C: a certificate is kept; ?: the record names one whose file is not in this journal."""
    from reflect.domain.fields import hours_json

    lines = ["DATE       ID       HOURS  CATEGORY     C  TITLE (PROVIDER)"]
    for t in rows:
        hours = str(hours_json(t.hours))
        lines.append(
            f"{t.date.isoformat()} {escape(t.id, keep_lines=False)[:8].ljust(8)} {hours.rjust(5)}  {_fit(t.category, 12)} "
            f"{('C' if t.id in kept else '?') if t.certificate else '-'}  {escape(' '.join(f'{t.title} ({t.provider})'.split()), keep_lines=False)}"
        )
    return lines


@training.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the trainings, for scripts.")
@pass_rctx
@handle_errors
def list_(rctx: ReflectContext, as_json: bool) -> None:
    """List trainings, oldest first. C: a certificate is kept; ?: its file is not in this
    journal (a training imported from another journal)."""
    from reflect.usecases import training as uc

    rows = uc.trainings(rctx.journal)
    with data_out() as out:
        if as_json:
            out.write(json.dumps([t.to_dict() for t in rows], ensure_ascii=False, indent=2) + "\n")
        elif rows:
            out.write("\n".join(_table(rows, uc.certificates_kept(rctx.journal, rows))) + "\n")
    if not rows and not as_json:
        say("no trainings yet: reflect training add --title ... (see --help)")


@training.command("edit")
@click.argument("training_id", metavar="ID")
@_with_common
@click.option("--no-certificate", is_flag=True, help="Remove the certificate kept.")
@pass_rctx
@handle_errors
def edit(
    rctx: ReflectContext, training_id: str, title: str | None, provider: str | None, when: str | None,
    hours: str | None, category: str | None, tags: tuple[str, ...], notes: str | None, certificate: str | None,
    anyway: bool, no_certificate: bool,
) -> None:  # fmt: skip
    """Change a training's fields (ID: its id or a unique start of it). --tag replaces the tags."""
    from reflect.usecases import training as uc

    if certificate is not None and no_certificate:
        fail("give --certificate FILE or --no-certificate, not both", EXIT_BAD_INPUT)
    fields = _fields(title, provider, when, hours, category, tags, notes)
    cert = _read_certificate(certificate)
    if all(v is None for v in fields.values()) and cert is None and not no_certificate:
        fail("nothing to change: give --title, --provider, --date, --hours, --category, --tag, --notes, "
             "--certificate or --no-certificate", EXIT_BAD_INPUT)  # fmt: skip
    try:
        changed = uc.edit(rctx.journal, training_id, fields, cert, drop_certificate=no_certificate, anyway=anyway)
    except uc.LooksIdentifying as exc:
        _looks_identifying(exc)
    say(f"changed training {changed.id}")


def _can_ask() -> bool:
    """Whether a person is there to answer (stdin is a terminal)."""
    return sys.stdin.isatty()


@training.command("delete")
@click.argument("training_id", metavar="ID")
@click.option("--yes", "-y", is_flag=True, help="Do not ask (for scripts).")
@pass_rctx
@handle_errors
def delete(rctx: ReflectContext, training_id: str, yes: bool) -> None:
    """Delete a training and its certificate (ID: its id or a unique start). Asks first."""
    from reflect.usecases import training as uc

    from reflect.domain.masking import mask_identifiers

    found = uc.get(rctx.journal, training_id)
    what = f"{found.id} ({found.date.isoformat()}, {mask_identifiers(found.title)})"
    if not yes:
        if not _can_ask():
            fail(f"not deleting training {found.id} without confirmation: no terminal to ask on; use --yes",
                 EXIT_BAD_INPUT)  # fmt: skip
        say(f"This will delete training {what}" + (" and its certificate." if found.certificate else "."))
        if not click.confirm("Delete it?", default=False, err=True):
            say("nothing deleted")
            sys.exit(EXIT_ERROR)
    uc.delete(rctx.journal, found)
    say(f"deleted training {what}")


@training.command("certificate")
@click.argument("training_id", metavar="ID")
@click.option("-o", "--output", metavar="FILE", help="Write it to FILE (default: stdout, when not a terminal).")
@pass_rctx
@handle_errors
def certificate(rctx: ReflectContext, training_id: str, output: str | None) -> None:
    """Write a training's kept certificate back out, byte for byte as it was added."""
    from reflect.usecases import training as uc

    if output is not None and not output.strip():
        fail("-o: the file name is empty (give a file, or leave -o out for stdout)", EXIT_BAD_INPUT)
    if output is None and sys.stdout.isatty():
        fail("the certificate is a file, not text: give -o FILE (or redirect stdout)", EXIT_BAD_INPUT)
    found, data = uc.certificate(rctx.journal, training_id)
    meta = found.certificate
    assert meta is not None
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_whole(output, data)
        say(f"wrote the certificate of training {found.id} ({meta.name}, {meta.size} bytes) to {output}")


@training.command("status")
@click.option("--rules", metavar="NAME|FILE", help="A shipped rule pack (pa-cps, ga-cps, icrc, nebraska) or a pack file; default: the training_rules setting.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--certified-on", metavar="DATE", help="The day your cycles count from; default: the certified_on setting.")
@click.option("--on", "on", metavar="DATE", help="The status as of DATE (default: today), to plan ahead.")
@pass_rctx
@handle_errors
def status(rctx: ReflectContext, rules: str | None, fmt: str, certified_on: str | None, on: str | None) -> None:
    """Where you stand in your current renewal cycle: hours done and still needed by
    category, the total, days left, and courses that count only once."""
    from reflect.domain.training_rules import status_json, status_text
    from reflect.usecases import training as uc

    s = uc.current_status(
        rctx.journal, rules=rules, certified_on=_day(certified_on, "--certified-on"), today=_day(on, "--on")
    )
    with data_out() as out:
        if fmt == "json":
            out.write(json.dumps(status_json(s), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(escape(status_text(s)))
