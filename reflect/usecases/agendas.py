"""Preparing supervision: the agendas, from the local journal or from peers' export files.

The review screen and `reflect review --format` both come here. Private entries are left
out by `visibility.shown` before the domain sees them; the domain builds from what it gets.
Reading export files (`--from`) writes nothing anywhere: every file is read and checked
before an agenda is built, so a malformed file stops with its name and no output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflect.domain.collector import no_cycle_gc
from reflect.domain.crisis import is_crisis
from reflect.domain.private_crisis import PrivateCrisis
from reflect.usecases.damage import Damaged, or_else
from reflect.usecases.visibility import shown

if TYPE_CHECKING:
    from reflect.domain.agenda import Agenda
    from reflect.domain.growth import Goal, Rating
    from reflect.domain.model import Entry, Meeting, Story
    from reflect.domain.packet import PacketInfo
    from reflect.store import Journal


# --- reading export files (the --from fast path) ----------------------------------------

Row = tuple[datetime, str, Any, str, int]  # occurred, peer, raw dict or Entry, source, index


@dataclass
class Exported:
    """What the --from files hold: every entry's time and peer, parsed lazily in full."""

    rows: list[Row] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    heads: dict[str, dict[str, Any]] = field(default_factory=dict)  # each file's exported_at and worked, as written
    texts: dict[str, str] = field(default_factory=dict)
    peers: set[str] = field(default_factory=set)
    owners: list[str] = field(default_factory=list)  # each file's name: its peer when none is given
    growth: dict[str, tuple[list[Rating], list[Goal]]] = field(default_factory=dict)  # by the file's peer

    def load(self, lo: datetime, hi: datetime) -> list[Entry]:
        """The entries with `lo <= occurred <= hi`, validated in full (Entry.from_dict)."""
        return self._build([r for r in self.rows if lo <= r[0] <= hi])

    def changed(self, after: datetime, before: datetime) -> list[Entry]:
        """The entries recorded or changed after `after` (their `updated` stamp, else
        `recorded`) that happened before `before`, validated in full. A stamp that
        cannot be read keeps the entry, so that validating it names the problem."""
        from reflect.domain.model import Entry, ValidationError, parse_iso_datetime

        picked: list[Row] = []
        for row in self.rows:
            raw = row[2]
            if row[0] >= before:
                continue
            if isinstance(raw, Entry):
                stamp = raw.updated or raw.recorded
            else:
                value = raw.get("updated") or raw.get("recorded")
                try:
                    stamp = None if value is None else parse_iso_datetime(value, "updated")
                except ValidationError:
                    picked.append(row)
                    continue
            if stamp is not None and stamp >= after:
                picked.append(row)
        return self._build(picked)

    def _build(self, rows: list[Row]) -> list[Entry]:
        from reflect.domain.formats import ImportFormatError, parse_import
        from reflect.domain.model import Entry, ValidationError

        out = []
        for _, peer, raw, source, index in rows:
            if isinstance(raw, Entry):
                out.append(raw)
                continue
            try:
                out.append(Entry.from_dict(raw, default_peer=peer))
            except ValidationError as exc:
                parse_import(self.texts[source], source=source, default_peer=peer)  # the precise message
                raise ImportFormatError(source, f"entry {index + 1}", str(exc)) from None
        return out


def read_exports(paths: list[str], read: Callable[[str], str] | None = None) -> Exported:
    """Read export documents (or anything `reflect import` reads) from `paths`.

    The fast path: a well-formed export document is decoded once, its stories and
    meetings validated, and each entry's shape (an object of known fields with a
    readable `occurred` and `peer`) checked; entries are validated in full when the
    agenda loads them (`Exported.load`: the window and the one before it), which
    keeps a 50,000-entry file near the cost of `json.loads`. Anything else, and
    any error, goes through `formats.parse_import`, whose message names the file and position.
    An entry without a peer takes the file's name (alex.json -> alex).
    `read(path)` gives a file's text when given (`packets.read_document`: sealed packets).
    """
    from reflect.domain.model import Entry

    known = frozenset(Entry.FIELDS)
    out = Exported()
    with no_cycle_gc():
        for path in paths:
            _read_one(path, out, known, read)
    return out


def strict_loads(text: str) -> Any:
    """`reflect import`'s JSON loader (`formats._loads`): one reading of export documents.
    To be imported from formats under a public name once it has one."""
    from reflect.domain.formats import _loads

    return _loads(text)


def _read_one(path: str, out: Exported, known: frozenset[str], read: Callable[[str], str] | None = None) -> None:
    from reflect.domain.formats import DOCUMENT_FIELDS, FORMAT, VERSION, ImportFormatError, parse_import
    from reflect.domain.growth import Goal, Rating
    from reflect.domain.model import Meeting, Story, ValidationError, parse_iso_datetime

    try:
        text = read(path) if read is not None else Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(path, "", f"not UTF-8 text (byte {exc.start + 1})") from None
    except OSError as exc:
        raise ImportFormatError(path, "", f"cannot read: {exc.strerror or exc}") from None
    out.texts[path] = text
    default_peer = Path(path).stem
    try:  # the loader `reflect import` uses: duplicate keys and NaN are refused, not merged
        data = strict_loads(text[1:] if text.startswith("\ufeff") else text)
    except (ValueError, RecursionError):  # not JSON, too deep, a number too long: parse_import says which
        data = None
    packet = _packet_of(data)
    out.heads[path] = {k: data.get(k) for k in ("exported_at", "worked")} if isinstance(data, dict) else {}
    if packet is not None and packet.peer.strip():  # a sealed packet names its sender: not the file
        default_peer = packet.peer
    fast = (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and type(data.get("version")) is int
        and 1 <= data["version"] <= VERSION
        and set(data) <= set(DOCUMENT_FIELDS)
        and all(isinstance(data.get(k) or [], list) for k in ("entries", "stories", "meetings"))
    )
    rows: list[Row]
    try:
        if not fast:
            raise ValidationError("", "not the fast path")
        assert isinstance(data, dict)
        if data.get("packet") is not None and packet is None:
            raise ValidationError("packet", "not a packet description")
        stories = [Story.from_dict(s) for s in data.get("stories") or []]
        meetings = [Meeting.from_dict(m) for m in data.get("meetings") or []]
        rows = []
        ids: set[Any] = set()
        for i, raw in enumerate(data.get("entries") or []):
            if not isinstance(raw, dict) or not known.issuperset(raw.keys()):
                raise ValidationError("", "not an entry object")
            peer = raw.get("peer") or default_peer
            if not isinstance(peer, str):
                raise ValidationError("peer", "not a string")
            rows.append((parse_iso_datetime(raw.get("occurred"), "occurred"), peer, raw, path, i))
            entry_id = raw.get("id")
            if entry_id is not None:
                if entry_id in ids:
                    raise ValidationError("id", "appears twice")  # parse_import names both places
                ids.add(entry_id)
        ratings = [Rating.from_dict(r) for r in data.get("ratings") or []]
        goals = [Goal.from_dict(g) for g in data.get("goals") or []]
        for records in (stories, meetings, ratings, goals):
            if len({r.id for r in records}) != len(records):
                raise ValidationError("id", "appears twice")
    except ValidationError:
        doc = parse_import(text, source=path, default_peer=default_peer)  # raises the precise error
        stories, meetings, ratings, goals = doc.stories, doc.meetings, doc.ratings, doc.goals
        rows = [(e.occurred, e.peer, e, path, i) for i, e in enumerate(doc.entries)]
    for m in meetings:  # a meeting naming no peer is the file's owner's, as its entries are
        if not m.peer:
            m.peer = default_peer
    out.rows += rows
    out.stories += stories
    out.meetings += meetings
    out.peers |= {r[1] for r in rows}
    out.owners.append(default_peer)
    if ratings or goals:  # a file's ratings and goals are its peer's: the one peer its entries name
        peers = {r[1] for r in rows}
        owner = peers.pop() if len(peers) == 1 else default_peer
        had = out.growth.get(owner, ([], []))
        out.growth[owner] = (had[0] + ratings, had[1] + goals)


def _packet_of(data: Any) -> PacketInfo | None:
    """The sender and window a sealed packet's document carries, or None (none, or unreadable:
    then the full parse names the problem)."""
    from reflect.domain.model import ValidationError
    from reflect.domain.packet import KEY, PacketInfo

    if not isinstance(data, dict) or data.get(KEY) is None:
        return None
    try:
        return PacketInfo.from_dict(data[KEY])
    except ValidationError:
        return None


# --- the schedule -------------------------------------------------------------------------


def next_meeting_for(schedule: str, after: datetime | None = None) -> datetime | None:
    """The next meeting from the settings' schedule, or None when none is set.

    `reflect config` refuses a schedule it cannot read, but the settings file may be
    edited by hand: an unreadable schedule counts as none here (the agenda still
    comes out); `unreadable_schedule` lets a command say so."""
    if not schedule.strip():
        return None
    from reflect.domain.dates import DateError, next_meeting

    try:
        return next_meeting(schedule, after=after)
    except (DateError, ValueError, OverflowError):
        return None


def unreadable_schedule(schedule: str) -> str | None:
    """Why the settings' schedule cannot be read, or None when it can (or is unset)."""
    if not schedule.strip():
        return None
    from reflect.domain.dates import DateError, next_meeting

    try:
        next_meeting(schedule)
    except (DateError, ValueError, OverflowError) as exc:
        return f"the schedule in settings cannot be read ({exc}); set it again with `reflect config schedule ...`"
    return None


# --- the agendas ----------------------------------------------------------------------------


class UnknownPeer(ValueError):
    """`--peer` names nobody in the data. A mistyped name would otherwise get an agenda
    reading "Nothing to raise this time" under "Safety first": a supervisor must not
    mistake a typo for a quiet fortnight. The message counts the peers and says where to
    see them, never names them: a name can identify someone to whoever reads the error."""

    def __init__(self, peer: str, where: str, known: set[str], see: str):
        n = len({k for k in known if k})
        super().__init__(
            f"--peer: no entries or meetings for {peer!r} {where} "
            f"({n} peer{'' if n == 1 else 's'} known; {see})"
        )


_SEE_JOURNAL_PEERS = "`reflect meeting list` names the peers met, `reflect export --format csv` each entry's peer"
_SEE_FILE_PEERS = "each entry's and meeting's `peer` in the files names them"


def check_journal_peer(journal: Journal, peer: str) -> None:
    """UnknownPeer when the journal has no entry or meeting of `peer`. The owner and the
    peers met are checked first; only then are entries read, newest first, up to the
    first of that peer's (the whole journal only when the name is wrong)."""
    settings = journal.settings()
    known = {settings.peer, journal.default_peer()} | {m.peer for m in journal.review_meetings()}
    if peer in known:
        return
    for doc in journal.entry_dicts(newest_first=True):
        if doc.get("peer") == peer:
            return
        known.add(doc.get("peer") or "")
    raise UnknownPeer(peer, "in the journal", known, _SEE_JOURNAL_PEERS)


def journal_agendas(
    journal: Journal,
    *,
    until: datetime | None = None,
    since: datetime | None = None,
    peer: str | None = None,
    include_private: bool = False,
    damaged: Damaged | None = None,
) -> list[Agenda]:
    """The agendas from the local journal, one per peer (the review screen uses this too).

    With `damaged` (a list), a file that is missing or does not read (a month, the
    meetings, stories, ratings, goals) is named there and left out, and each agenda says
    so in the section it feeds: Safety first is never lost to a damaged side file."""
    from reflect.domain.agenda import build_agendas, note_unread
    from reflect.domain.model import Entry, now

    until = until or now()
    settings = journal.settings()
    growth = journal.growth()  # the journal's owner's ratings and goals
    before = len(damaged) if damaged is not None else 0

    def pick(docs: Iterable[dict[str, Any]]) -> Iterator[Entry | PrivateCrisis]:
        # Selected on the stored dict: a private entry left out is never built into an
        # object; of a private crisis, only that it exists and whether the supervisor was told.
        for doc in docs:
            if shown(doc, include_private=include_private):
                yield Entry.from_dict(doc)
            elif is_crisis(doc):
                yield PrivateCrisis.of(doc)

    def load(lo: datetime, hi: datetime) -> Iterator[Entry | PrivateCrisis]:
        return pick(journal.entry_dicts(lo, hi, skip_damaged=damaged))

    def load_late(after: datetime, hi: datetime) -> Iterator[Entry | PrivateCrisis]:
        return pick(journal.changed_dicts(after, hi, skip_damaged=damaged))

    built = build_agendas(
        load,
        or_else(journal.review_meetings, damaged) or [],
        until=until,
        since=since,
        peer=peer,
        stories=or_else(journal.stories, damaged) or [],
        next_meeting=next_meeting_for(settings.schedule, until),
        fallback_peers=[settings.peer or journal.default_peer()],
        load_late=load_late,
        growth={settings.peer or journal.default_peer(): (or_else(growth.ratings, damaged) or [],
                                                          or_else(growth.goals, damaged) or [])},
    )  # fmt: skip
    if damaged is not None:  # a lost month may have held a late crisis: never "nothing" over it
        damaged.extend(journal.missing_months())
    if damaged is not None and len(damaged) > before:
        unread = list(dict.fromkeys(damaged[before:]))
        damaged[before:] = unread
        note_unread(built, [(_section_fed(p), p.name) for p in unread])
    return built


def _section_fed(path: Path) -> str:
    """Where the agenda says a file could not be read: growth for ratings and goals;
    Safety first for the rest (a month of entries, or the meetings, which decide which
    entries are still unreviewed: either may hide a crisis)."""
    return "growth" if path.name in ("ratings.json", "goals.json") else "safety"



def export_agendas(
    paths: list[str],
    journal: Journal,
    *,
    until: datetime | None = None,
    since: datetime | None = None,
    peer: str | None = None,
    include_private: bool = False,
    read: Callable[[str], str] | None = None,
) -> list[Agenda]:
    """The agendas from peers' export files. Reads the local settings only (schedule).
    UnknownPeer when `peer` has neither an entry nor a meeting in the files. `read`: as
    in `read_exports`."""
    from reflect.domain.agenda import build_agendas
    from reflect.domain.model import now

    until = until or now()
    schedule = journal.settings().schedule
    with no_cycle_gc():
        exported = read_exports(paths, read)
        if peer is not None:
            known = exported.peers | {m.peer for m in exported.meetings}
            if peer not in known:
                raise UnknownPeer(peer, "in " + ", ".join(paths), known, _SEE_FILE_PEERS)

        def pick(entries: list[Entry]) -> list[Entry | PrivateCrisis]:
            return [
                e if shown(e, include_private=include_private) else PrivateCrisis.of(e)
                for e in entries
                if shown(e, include_private=include_private) or is_crisis(e)
            ]

        def load(lo: datetime, hi: datetime) -> list[Entry | PrivateCrisis]:
            return pick(exported.load(lo, hi))

        def load_late(after: datetime, before: datetime) -> list[Entry | PrivateCrisis]:
            return pick(exported.changed(after, before))

        return build_agendas(
            load,
            exported.meetings,
            until=until,
            since=since,
            peer=peer,
            stories=exported.stories,
            next_meeting=next_meeting_for(schedule, until),
            fallback_peers=exported.peers or {m.peer for m in exported.meetings} or set(exported.owners),
            load_late=load_late,
            growth=exported.growth,
        )
