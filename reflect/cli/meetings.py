"""`reflect meeting add | show | attest`: the meeting record without the review screen.

Adapters over `reflect.usecases.meetings`, added to the `meeting` group of `cli/review.py`
(`reflect/cli/commands.py` does it). `add` back-fills a meeting from a paper record and
prints its id; `show` prints one meeting with its stored agenda and its attestations;
`attest` records a person's word that the record is accurate. None imports textual.

Free text that looks like an identifier is refused by `add` (naming the option and the
kind, never the value) unless `--allow-identifiers`: a meeting record is handed to
boards, and there is no prompt on a command line to ask first, as the screen does.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    ReflectContext,
    data_out,
    fail,
    handle_errors,
    parse_date_option,
    pass_rctx,
    say,
    warn,
)

if TYPE_CHECKING:
    from reflect.domain.model import Meeting

MAX_MINUTES = 24 * 60  # as usecases.meetings.MAX_MINUTES (not imported: --help stays light)
TEXT_OPTIONS = {"summary": "--summary", "competence": "--competence", "growth_areas": "--growth-areas"}


def _name(value: str | None, option: str) -> str | None:
    """A name or credential as typed: one line, not too long (the settings' rule)."""
    if value is None:
        return None
    from reflect.domain.model import ValidationError
    from reflect.domain.settings import check_name

    try:
        return check_name(option, value)
    except ValidationError as exc:
        fail(f"{option}: {exc.problem}", EXIT_BAD_INPUT)


def mark(meeting: Meeting) -> str:
    """How a listing shows a meeting's attestations: "attested (supervisor)", "CHANGED
    after attestation" when the record no longer matches, or "" (never attested)."""
    from reflect.usecases.meetings import Standing

    return Standing.of(meeting).mark()


@click.command("add")
@click.option("--held", required=True, metavar="WHEN", help='When it was held, e.g. "2026-11-03 14:00" or "last tuesday 3pm".')
@click.option("--minutes", required=True, type=click.IntRange(1, MAX_MINUTES), metavar="N", help="How long it lasted, in minutes.")
@click.option("--kind", required=True, type=click.Choice(["individual", "group"]), help="Individual or group supervision.")
@click.option("--delivery", required=True, type=click.Choice(["in-person", "video", "phone"]), help="How it was held.")
@click.option("--observed", is_flag=True, help="Practice was observed.")
@click.option("--summary", metavar="TEXT", default="", help="What was covered, without client details.")
@click.option("--competence", metavar="TEXT", default="", help="Comments on competence.")
@click.option("--growth-areas", metavar="TEXT", default="", help="Areas to grow.")
@click.option("--peer", metavar="NAME", help="The peer supervised (default: the peer in settings).")
@click.option("--supervisor", metavar="NAME", help="The supervisor (default: the supervisor in settings).")
@click.option("--peer-credential", metavar="TEXT", help="The peer's credential number (default: from settings, for that peer).")
@click.option("--supervisor-credential", metavar="TEXT", help="The supervisor's credential number (default: from settings).")
@click.option("--allow-identifiers", is_flag=True, help="Record free text that looks like an identifier (refused otherwise).")
@pass_rctx
@handle_errors
def meeting_add(
    rctx: ReflectContext,
    held: str,
    minutes: int,
    kind: str,
    delivery: str,
    observed: bool,
    summary: str,
    competence: str,
    growth_areas: str,
    peer: str | None,
    supervisor: str | None,
    peer_credential: str | None,
    supervisor_credential: str | None,
    allow_identifiers: bool,
) -> None:
    """Record a meeting without the review screen (a paper record); prints its id.

    The window it reviewed runs from where the peer's previous meeting's window ended
    (else 14 days before) to --held. Credential numbers come from settings (`credential`,
    `supervisor_credential`) for the people settings name, unless given.
    """
    from reflect.domain.dates import format_when
    from reflect.domain.model import Credentials
    from reflect.domain.privacy import KINDS
    from reflect.domain.years import in_future
    from reflect.usecases import meetings as uc

    when = parse_date_option(held, "--held")
    assert when is not None
    if in_future(when):
        fail("--held: the meeting is dated in the future (record a meeting once it was held)", EXIT_BAD_INPUT)
    peer, supervisor = _name(peer, "--peer"), _name(supervisor, "--supervisor")
    if peer is not None and not peer:
        fail("--peer: the name is empty", EXIT_BAD_INPUT)
    texts = {"summary": summary, "competence": competence, "growth_areas": growth_areas}
    for key in uc.with_control_characters(texts):  # as --peer and config refuse them
        fail(f"{TEXT_OPTIONS[key]}: control characters are not allowed (only newlines and tabs)", EXIT_BAD_INPUT)
    findings = uc.identifier_findings(texts)
    if findings:
        by_option: dict[str, list[str]] = {}
        for f in findings:
            kinds = by_option.setdefault(TEXT_OPTIONS[f.field], [])
            if KINDS[f.kind] not in kinds:
                kinds.append(KINDS[f.kind])
        said = "; ".join(f"{opt} looks like {' and '.join(k)}" for opt, k in by_option.items())
        if not allow_identifiers:
            fail(f"{said}: a meeting record holds no client identifiers; edit it, or give --allow-identifiers",
                 EXIT_BAD_INPUT)  # fmt: skip
        warn(f"{said} (recorded anyway: --allow-identifiers)")
    creds = Credentials(
        peer=_name(peer_credential, "--peer-credential") or "",
        supervisor=_name(supervisor_credential, "--supervisor-credential") or "",
    )
    details = uc.Details(minutes, kind, delivery, observed, summary, competence, growth_areas)
    meeting = uc.add_meeting(rctx.journal, when, details, peer=peer, supervisor=supervisor, credentials=creds)
    with data_out() as out:
        out.write(meeting.id + "\n")
    who = f" with {meeting.peer}" if meeting.peer else ""
    say(f"meeting{who} recorded: held {format_when(meeting.held)}, {meeting.minutes} minutes")


@click.command("show")
@click.argument("meeting_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="The meeting, the digest of its content and its attestations, as JSON.")
@click.option("--include-private", is_flag=True, help="Keep agenda items about entries now private (left out otherwise).")
@pass_rctx
@handle_errors
def meeting_show(rctx: ReflectContext, meeting_id: str, as_json: bool, include_private: bool) -> None:
    """Show one meeting (full id or a unique start of it): the record, its attestations
    (and whether each still holds) and the agenda it worked from."""
    from reflect.domain import meeting_render
    from reflect.domain.model import Meeting
    from reflect.domain.terminal import escape
    from reflect.usecases import meetings as uc
    from reflect.usecases.exporting import without_private_text

    meeting = uc.find_meeting(rctx.journal, meeting_id)
    if not include_private and meeting.agenda:
        # As in an export: items citing a private entry stay in the journal, not on screen.
        (doc,) = without_private_text(rctx.journal, [meeting.to_dict()])
        meeting = Meeting.from_dict(doc)
    with data_out() as out:
        if as_json:
            out.write(json.dumps(meeting_render.document(meeting), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(escape(meeting_render.markdown(meeting)))
    if uc.Standing.of(meeting).changed:
        warn("this meeting record changed after it was attested: the attestation no longer counts")


@click.command("attest")
@click.argument("meeting_id", metavar="ID")
@click.option("--as", "role", required=True, type=click.Choice(["supervisor", "peer"]), help="Who attests.")
@click.option("--name", metavar="NAME", help="Who attests (default: the peer or supervisor in settings).")
@pass_rctx
@handle_errors
def meeting_attest(rctx: ReflectContext, meeting_id: str, role: str, name: str | None) -> None:
    """Record that the meeting record is accurate, bound to its content: a record changed
    afterwards says so wherever it is shown, and the attestation no longer counts."""
    from reflect.domain.model import ValidationError
    from reflect.usecases import meetings as uc

    if name is not None:
        name = _name(name, "--name")
    try:
        done = uc.attest(rctx.journal, meeting_id, role, name)
    except ValidationError as exc:
        option = "--name" if exc.path == "name" else "--as"
        fail(f"{option}: {exc.problem}", EXIT_BAD_INPUT)
    m, a = done.meeting, done.attestation
    if done.named_differently:
        warn(f"the meeting names {getattr(m, role)!r} as its {role}, not {a.name!r}")
    if done.already:
        say(f"meeting {m.id[:8]} was already attested by {a.name} as {role}, and still holds; nothing added")
        return
    say(f"meeting {m.id[:8]} attested by {a.name} as {role} ({a.digest[:19]}…)")


COMMANDS = (meeting_add, meeting_show, meeting_attest)
