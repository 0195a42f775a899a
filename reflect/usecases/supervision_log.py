"""The supervision log: every meeting in a window, its totals, and each rule's check.

A rule pack is found by name among those shipped (`reflect/rules/supervision/NAME.json`)
or read from a file a person wrote; either way `supervision_rules.parse_pack` reads it
strictly. The log is built from the meeting records only: a meeting's stored agenda
(which may quote private entries) never reaches it, and the free text it does carry
(summary, competence, areas to grow, action items) is masked for identifiers by kind,
as the agenda masks the peer's words.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflect.domain.supervision_rules import Pack, Worked, parse_pack

if TYPE_CHECKING:
    from reflect.domain.supervision_log import SupervisionLog
    from reflect.domain.worked import WorkedWeek
    from reflect.store import Journal

class RulesError(ValueError):
    """A rule pack that cannot be used: one line naming the file (or name) and the field."""


def _shipped_dir() -> Any:
    return resources.files("reflect").joinpath("rules", "supervision")


def shipped_packs() -> list[str]:
    """The names of the rule packs that ship with reflect, sorted."""
    return sorted(p.name.removesuffix(".json") for p in _shipped_dir().iterdir() if p.name.endswith(".json"))


def is_path(spec: str) -> bool:
    """Whether `--rules` names a file (has a folder part or ends in .json) rather than a pack."""
    return "/" in spec or "\\" in spec or spec.endswith(".json")


def load_pack(spec: str) -> Pack:
    """The pack named `spec` (shipped) or in the file `spec`; `RulesError` otherwise."""
    spec = spec.strip()
    if not spec:
        raise RulesError("rules: the pack name is empty")
    if is_path(spec):
        where = f"rules file {spec}"
        try:
            text = Path(spec).expanduser().read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RulesError(f"{where}: no such file") from None
        except IsADirectoryError:
            raise RulesError(f"{where}: is a folder, not a rules file") from None
        except UnicodeDecodeError:
            raise RulesError(f"{where}: not UTF-8 text") from None
        except OSError as exc:
            raise RulesError(f"{where}: {exc.strerror or exc}") from None
    else:
        names = shipped_packs()
        if spec not in names:
            raise RulesError(
                f"rules: no pack named {spec!r} (shipped: {', '.join(names)}; or give the path of your own .json file)"
            )
        where = f"rule pack {spec}"
        text = _shipped_dir().joinpath(f"{spec}.json").read_text(encoding="utf-8")
    return parse_rules_text(text, where)


def parse_rules_text(text: str, where: str) -> Pack:
    """A pack from the text of a rules file; `where` names it in the one-line error."""
    from reflect.domain.formats import _InputError, _loads
    from reflect.domain.model import ValidationError

    try:
        data = _loads(text)
    except json.JSONDecodeError as exc:
        raise RulesError(f"{where}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except _InputError as exc:
        raise RulesError(f"{where}: {exc}") from None
    try:
        return parse_pack(data)
    except ValidationError as exc:
        raise RulesError(f"{where}: {exc}") from None


# --- the log --------------------------------------------------------------------------------


class SeveralPeers(ValueError):
    """Rules were asked for, but the window holds meetings with more than one peer."""


def worked_for(journal: Journal, peer: str) -> Worked:
    """A peer's hours worked: the weeks recorded, else the `weekly_hours` setting."""
    from reflect.domain.worked import by_week

    return Worked(by_week(journal.worked(peer)), journal.settings().weekly_hours)


def rules_spec(journal: Journal, rules: str | None) -> str:
    """The pack to check: `--rules` when given, else the `supervision_rules` setting ("": none)."""
    return (rules if rules is not None else journal.settings().supervision_rules).strip()


def _held(doc: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(doc["held"])


def supervision_log(
    journal: Journal,
    *,
    since: date | None = None,
    until: date | None = None,
    peer: str | None = None,
    rules: str | None = None,
    today: date | None = None,
    made: datetime | None = None,
) -> SupervisionLog:
    """The log of the journal's meetings held in the days `since..until` (until: `today`,
    default the local date), one peer's with `peer`, checked by the pack `rules` (a name
    or a file; None: the `supervision_rules` setting). `RulesError` for a pack that
    cannot be used; `SeveralPeers` when rules meet several peers' meetings."""
    from reflect.domain.model import now
    from reflect.domain.supervision_log import build, in_window

    made = made or now()
    end = until or today or made.date()
    spec = rules_spec(journal, rules)
    pack = load_pack(spec) if spec else None
    docs = journal.meeting_dicts(peer)
    subject = peer
    if pack is not None and subject is None:
        peers = sorted({d.get("peer", "") for d in docs if in_window(_held(d), since, end)})
        if len(peers) > 1:
            raise SeveralPeers(
                f"--peer: the window holds meetings with {len(peers)} peers; rules are checked for one (give --peer NAME)"
            )
        subject = peers[0] if peers else journal.default_peer()
    worked = worked_for(journal, subject) if pack is not None and subject is not None else None
    return build(docs, since=since, until=end, peer=peer or subject, pack=pack, worked=worked, made=made)


def supervision_logs(
    journal: Journal,
    *,
    since: date | None = None,
    until: date | None = None,
    rules: str | None = None,
    today: date | None = None,
    made: datetime | None = None,
) -> list[SupervisionLog]:
    """One log per peer with meetings in the window, sorted by peer, the meeting table
    and the pack read once (a supervisor's whole caseload; the bench measures it)."""
    from reflect.domain.model import now
    from reflect.domain.supervision_log import build, free_texts, in_window, masked
    from reflect.domain.worked import by_week

    made = made or now()
    end = until or today or made.date()
    spec = rules_spec(journal, rules)
    pack = load_pack(spec) if spec else None
    by_peer: dict[str, list[dict[str, Any]]] = {}
    for d in journal.meeting_dicts():
        if in_window(_held(d), since, end):
            by_peer.setdefault(d.get("peer", ""), []).append(d)
    weeks = journal.worked() if pack is not None else []
    default = journal.settings().weekly_hours
    shown = masked(free_texts(d for docs in by_peer.values() for d in docs))  # one scan for every peer
    out = []
    for peer in sorted(by_peer):
        worked = Worked(by_week(weeks, peer), default) if pack is not None else None
        out.append(build(by_peer[peer], since=since, until=end, peer=peer, pack=pack, worked=worked, made=made,
                         shown_texts=shown))  # fmt: skip
    return out


def record_worked(journal: Journal, week: date, hours: float, peer: str | None = None) -> WorkedWeek:
    """Record the hours `peer` (default: the journal's) worked in the week holding `week`;
    a second record for the same week replaces the first. `ValidationError` for hours
    outside 0..168."""
    from reflect.domain.model import ValidationError
    from reflect.domain.worked import MINUTES_A_WEEK, WorkedWeek, monday, week_id

    if not (0 <= hours <= MINUTES_A_WEEK / 60) or hours != hours:
        raise ValidationError("--hours", "expected a number of hours from 0 to 168")
    who = (peer or "").strip() or journal.default_peer()
    start = monday(week)
    record = WorkedWeek(week=start, id=week_id(who, start), peer=who, minutes=round(hours * 60))
    return journal.save_worked(record)
