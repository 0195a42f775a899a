"""The supervision agenda: entries, meetings and a window -> ordered sections of items.

Pure on purpose (no textual, no tinydb): the agenda use case (`reflect.usecases.agendas`)
and the bench call `build_agenda` with plain model objects, already selected: which
entries may be seen (private ones) is decided there, not here. The order follows Proctor's
functions as the domain notes give them: safety first, then boundaries and role,
the peer's own questions, open follow-ups, skills, wellbeing and workload, wins.

Every item cites the ids of the entries it comes from, so a supervisor can open
them; only the workload comparison cites entries outside the window (those of the
previous window of the same length). Counts are phrased as prompts for discussion,
never as scores: self-ratings of MI skill often disagree with observed skill.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from reflect.domain import cycle
from reflect.domain.crisis import changed_at, is_crisis
from reflect.domain.private_crisis import PrivateCrisis
from reflect.domain.growth import FRAMING, RATER_LABELS, Goal, Rating, differences, latest, moved
from reflect.domain.masking import mask_identifiers, mask_person
from reflect.domain.model import Entry, Meeting, Story, iso

FORMAT = "reflect-agenda"
VERSION = 1
NOTHING = "Nothing to raise this time."
WHOLE = 1 << 30  # a width no text reaches: `Entry.summary` then returns it whole

SECTIONS: tuple[tuple[str, str], ...] = (
    ("safety", "Safety first"),
    ("boundaries", "Boundaries and role"),
    ("questions", "Questions to discuss"),
    ("follow_ups", "Follow-ups"),
    ("skills", "Skills and growth"),
    ("growth", "Growth and development"),
    ("wellbeing", "Wellbeing and workload"),
    ("wins", "Wins to celebrate"),
)
SECTION_KEYS: tuple[str, ...] = tuple(k for k, _ in SECTIONS)


@dataclass
class Item:
    """One line of the agenda and the entries it cites.

    `action` is (meeting id, action id) for a follow-up, so the review screen can
    mark it done; it is not part of the JSON document.
    """

    text: str
    entries: list[str] = field(default_factory=list)
    action: tuple[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "entries": list(self.entries)}


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the section holds only the nothing-to-raise line."""
        return len(self.items) == 1 and self.items[0].text == NOTHING and not self.items[0].entries

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "items": [i.to_dict() for i in self.items]}


@dataclass
class Agenda:
    """The agenda for one peer and one window (`since <= occurred <= until`)."""

    peer: str
    since: datetime
    until: datetime
    next_meeting: datetime | None
    sections: list[Section]

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def cited(self) -> list[str]:
        """Every entry id cited, first mention first."""
        seen: dict[str, None] = {}
        for s in self.sections:
            for item in s.items:
                for i in item.entries:
                    seen.setdefault(i, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "peer": self.peer,
            "since": iso(self.since),
            "until": iso(self.until),
            "next_meeting": iso(self.next_meeting),
            "sections": [s.to_dict() for s in self.sections],
        }


def map_text(agenda: Agenda, fn: Callable[[str], str]) -> Agenda:
    """A copy of `agenda` with `fn` applied to every text it shows (the peer's name,
    titles, items): how a writer escapes what it prints to a terminal."""
    sections = [
        Section(s.key, fn(s.title), [Item(fn(i.text), [fn(e) for e in i.entries], i.action) for i in s.items])
        for s in agenda.sections
    ]
    return Agenda(fn(agenda.peer), agenda.since, agenda.until, agenda.next_meeting, sections)


def document(agendas: Iterable[Agenda]) -> dict[str, Any]:
    """The JSON document `reflect review --format json` prints (schema/agenda.schema.json)."""
    return {"format": FORMAT, "version": VERSION, "agendas": [a.to_dict() for a in agendas]}


def redact_stored(doc: Mapping[str, Any], shown: Callable[[str], bool]) -> tuple[dict[str, Any], list[str]]:
    """A stored agenda (`Agenda.to_dict()`, kept with its meeting) without the items that
    cite an entry `shown` refuses (private, or gone so that nobody can tell): the
    agenda and the texts taken out, so that a meeting's `discussed` can drop them too.
    A section left empty says how many items were left out, never what they said."""
    out = dict(doc)
    removed: list[str] = []
    sections = []
    for section in doc.get("sections") or []:
        items = section.get("items") or []
        kept = []
        for i in items:
            if all(shown(e) for e in i.get("entries") or []):
                kept.append(i)
            else:
                removed.append(i.get("text", ""))
        if len(kept) < len(items):
            n = len(items) - len(kept)
            kept = kept + [{"text": f"{_plural(n, 'item')} about private entries left out.", "entries": []}]
        sections.append(dict(section, items=kept))
    out["sections"] = sections
    return out, removed


# --- wording helpers ----------------------------------------------------------------


def when(dt: datetime) -> str:
    """A short local date and time for an agenda line: "Tue 3 Mar 14:05"."""
    local = dt.astimezone()
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def day(dt: datetime) -> str:
    local = dt.astimezone()
    return f"{local:%a} {local.day} {local:%b} {local.year}"


# The peer's own words reach an agenda only through `_said` (and `_label` for the person):
# what the privacy check flags is masked by kind (`[phone]`), before any clipping, so
# identifiers saved with "Save anyway" never reach the supervisor whole. Only the start
# of a long text is scanned: no more of it is shown.
_SCAN = 2000


def _said(text: str, width: int | None = None, *, fold: bool = True) -> str:
    """The peer's text, masked; whitespace folded unless `fold` is false (their own words)."""
    limit = _SCAN if width is None else max(_SCAN, width * 4)
    cut = text[:limit]
    masked = mask_identifiers(" ".join(cut.split()) if fold else cut.strip())
    if width is not None:
        return clip_words(masked, width)
    return masked + "…" if len(text) > limit else masked


def _label(e: Entry) -> str:
    who = f" with {mask_person(' '.join(e.person.split()))}" if e.person.strip() else ""
    return f"{when(e.occurred)}{who}"


def clip_words(text: str, width: int) -> str:
    """Whitespace folded, cut at a word boundary to at most `width` characters, with "…"
    where it was cut: a supervisor reads a quote, never half a word."""
    words = " ".join(text.split())
    if len(words) <= width:
        return words
    head = words[: width]  # one more than fits with the ellipsis: a space there ends a word
    cut = head.rfind(" ")
    kept = head[:cut] if cut > 0 else words[: width - 1]  # one word longer than the line
    return kept.rstrip(" ,;:-–—") + "…"


def _about(e: Entry) -> str:
    for text_ in (e.listen.story, e.listen.matters, e.reflect.experience, e.share.how):
        if text_.strip():
            return f": {_said(text_, 80)}"
    return ""


def _sentence(text: str) -> str:
    """End with one full stop: the peer's own text often ends with its own."""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _story_name(story_id: str | None, e: Entry, titles: Mapping[str, str]) -> str:
    if story_id and story_id in titles:
        return f'"{_said(titles[story_id])}"'
    if e.select.part.strip():
        return f'"{_said(e.select.part, 60)}"'
    return f"story {story_id[:8]}" if story_id else "a part of their story"


def _ids(entries: Iterable[Entry]) -> list[str]:
    return [e.id for e in entries]


# --- the window -------------------------------------------------------------------------


def previous_window(since: datetime, until: datetime) -> tuple[datetime, datetime]:
    """The window of the same length just before: `[since - length, since)`."""
    return since - (until - since), since


def in_window(e: Entry, since: datetime, until: datetime) -> bool:
    return since <= e.occurred <= until


def _for_peer(e: Entry | PrivateCrisis, peer: str | None) -> bool:
    return peer is None or e.peer == peer


def _meeting_is_for(m: Meeting, peer: str) -> bool:
    # A meeting without a peer comes from a one-person journal: it belongs to its owner.
    return not m.peer or m.peer == peer


# --- the sections ----------------------------------------------------------------------------


def _safety(window: list[Entry]) -> list[Item]:
    items = []
    for e in window:
        if not is_crisis(e):
            continue
        crisis = e.crisis
        actions = list(crisis.actions) if crisis else []
        notified_at = crisis.supervisor_notified_at if crisis else None
        parts = [_sentence(f"Crisis encounter {_label(e)}{_about(e)}")]
        if actions:
            labels = []
            for a in actions:
                label = cycle.CRISIS_ACTION_LABELS.get(a, a)
                if a == "supervisor-notified" and notified_at is not None:
                    label += f" ({when(notified_at)})"
                labels.append(label)
            parts.append("Actions recorded: " + "; ".join(labels) + ".")
        else:
            parts.append("No action was recorded.")
        if "supervisor-notified" not in actions:
            if notified_at is not None:
                parts.append(f"Supervisor notified ({when(notified_at)}).")
            else:
                parts.append("The supervisor was not notified.")
        if crisis and crisis.notes.strip():
            parts.append(f"Notes: {_said(crisis.notes)}")
        items.append(Item(" ".join(parts), [e.id]))
    return items


def _private_safety(crises: list[PrivateCrisis]) -> list[Item]:
    """That private crisis encounters exist, how many, and whether the supervisor was
    told: never their text, nor their ids (the peer chose to keep them private)."""
    if not crises:
        return []
    n = len(crises)
    told = sum(1 for c in crises if c.notified)
    lead = (
        "1 crisis encounter in this window is private: its text stays private."
        if n == 1
        else f"{n} crisis encounters in this window are private: their text stays private."
    )
    if told == n:
        said = "The supervisor was notified." if n == 1 else "The supervisor was notified of each."
    elif told == 0:
        said = "The supervisor was not notified." if n == 1 else "The supervisor was not notified of any."
    else:
        said = f"The supervisor was notified of {told} and not of {n - told}."
    return [Item(f"{lead} {said} Ask the peer what they can share.")]


def _boundaries(window: list[Entry], titles: Mapping[str, str]) -> list[Item]:
    items = []
    for e in window:
        failed = e.select.checks.failed() if e.select.decision == "share" else []
        if not (e.flags.boundary or failed):
            continue
        parts = []
        if e.flags.boundary:
            parts.append(_sentence(f"Flagged for boundaries or role {_label(e)}{_about(e)}"))
        if failed:
            concerns = "; ".join(cycle.CHECK_CONCERNS[k] for k in failed)
            story = _story_name(e.select.story_id, e, titles)
            lead = "Shared" if e.flags.boundary else f"{_label(e)}: shared"
            parts.append(f"{lead} {story} when the check before sharing said: {concerns}.")
        items.append(Item(" ".join(parts), [e.id]))
    return items


def _questions(window: list[Entry]) -> list[Item]:
    items = []
    for e in window:
        if e.question.strip():
            items.append(Item(f"{_said(e.question, fold=False)} ({_label(e)})", [e.id]))
        elif e.flags.discuss:
            items.append(Item(f"Flagged to discuss {_label(e)}{_about(e)}", [e.id]))
    return items


def _follow_ups(meetings: Iterable[Meeting], peer: str, until: datetime) -> list[Item]:
    items = []
    for m in sorted(meetings, key=lambda m: m.held):
        if not _meeting_is_for(m, peer) or m.held > until:
            continue
        for a in m.open_actions():
            extra = []
            if a.owner.strip():
                extra.append(f"owner: {_said(a.owner)}")
            if a.due is not None:
                extra.append(f"due {a.due:%a} {a.due.day} {a.due:%b} {a.due.year}")
            extra.append(f"agreed {day(m.held)}")
            items.append(Item(f"{_said(a.text)} ({', '.join(extra)})", [], action=(m.id, a.id)))
    return items


def _ratio(reflections: int, questions: int) -> str:
    if questions == 0:
        return f"{reflections} reflections and no open questions counted"
    r = reflections / questions
    return f"about {r:.1f} reflections to each open question"


def _skills(window: list[Entry], titles: Mapping[str, str]) -> list[Item]:
    if not window:
        return []
    items: list[Item] = []
    by_comp: dict[str, list[str]] = {}
    for e in window:
        for c in e.competencies:
            by_comp.setdefault(c, []).append(e.id)
    for key, title in cycle.COMPETENCIES:
        if key in by_comp:
            n = len(by_comp[key])
            items.append(Item(f"Exercised {key}. {title}: {_plural(n, 'encounter')}.", by_comp[key]))
    missing = [f"{k}. {t}" for k, t in cycle.COMPETENCIES if k not in by_comp]
    if missing:
        items.append(
            Item("Not exercised in this window: " + "; ".join(missing) + ". Worth a look, or a choice?")
        )

    shared = [e for e in window if e.select.decision == "share"]
    held = [e for e in window if e.select.decision == "hold"]
    if shared or held:
        items.append(
            Item(
                f"Story use: shared a part of their story in {_plural(len(shared), 'encounter')}, "
                f"held back in {len(held)}.",
                _ids(sorted(shared + held, key=lambda e: e.occurred)),
            )
        )
    if shared:
        landed = Counter(e.share.response for e in shared)
        text = ", ".join(f"{r} {landed[r]}" for r in cycle.RESPONSES if landed[r])
        items.append(Item(f"How the sharing landed: {text}. What made the difference?", _ids(shared)))
        used: dict[str, list[Entry]] = {}
        for e in shared:
            if e.select.story_id:
                used.setdefault(e.select.story_id, []).append(e)
        if used:
            top = sorted(used.items(), key=lambda kv: (-len(kv[1]), kv[1][0].occurred))[:3]
            names = ", ".join(f"{_story_name(sid, es[0], titles)} ({len(es)})" for sid, es in top)
            items.append(
                Item(f"Stories most used: {names}.", _ids(sorted((e for _, es in top for e in es), key=lambda e: e.occurred)))
            )

    with_mi = [e for e in window if e.mi is not None]
    if with_mi:
        totals = {k: sum(getattr(e.mi, k) for e in with_mi) for k, _ in cycle.OARS}
        counts = ", ".join(f"{label.lower()} {totals[k]}" for k, label in cycle.OARS)
        talk = Counter(t for e in with_mi for t in e.mi.change_talk)  # type: ignore[union-attr]
        line = f"MI counts over {_plural(len(with_mi), 'encounter')}: {counts}."
        if talk:
            line += " Change talk heard: " + ", ".join(
                f"{cycle.CHANGE_TALK_LABELS.get(k, k).lower()} {talk[k]}"
                for k in sorted(talk, key=lambda k: cycle.CHANGE_TALK_KEYS.index(k) if k in cycle.CHANGE_TALK_KEYS else 99)
            ) + "."
        items.append(Item(line, _ids(with_mi)))
        if totals["reflections"] or totals["open_questions"]:
            items.append(
                Item(
                    f"Reflections to questions: {_ratio(totals['reflections'], totals['open_questions'])} "
                    "(about 1:1 is fair, 2:1 good). A prompt for discussion, not a score.",
                    _ids(with_mi),
                )
            )
    return items


def _workload(window: list[Entry], previous: list[Entry], since: datetime, until: datetime) -> Item | None:
    if not window and not previous:
        return None

    def load(es: list[Entry]) -> str:
        minutes = sum(e.minutes or 0 for e in es)
        unknown = sum(1 for e in es if e.minutes is None)
        text = f"{_plural(len(es), 'encounter')}, {minutes} minutes"
        if unknown:
            text += f" ({unknown} without minutes)"
        return text + _group_split(es)

    p_since, p_until = previous_window(since, until)
    length = until - since
    span = _plural(length.days, "day") if length >= timedelta(days=1) else "window"
    return Item(
        f"Workload: {load(window)} in this window; {load(previous)} in the previous {span} "
        f"({day(p_since)} to {day(p_until)}).",
        list(dict.fromkeys(_ids(window) + _ids(previous))),  # an entry journaled late is in both
    )


def _wellbeing(window: list[Entry], previous: list[Entry], since: datetime, until: datetime) -> list[Item]:
    items = []
    for e in window:
        if not e.flags.self_care:
            continue
        impact = _said(e.reflect.impact or e.reflect.feelings)
        said = f'In their words: "{impact}"' if impact else "Nothing written about the impact on them."
        items.append(Item(f"{_sentence(f'Self-care flagged {_label(e)}{_about(e)}')} {said}", [e.id]))
    work = _workload(window, previous, since, until)
    if work is not None:
        items.append(work)
    return items


def _wins(window: list[Entry]) -> list[Item]:
    items = []
    for e in window:
        steps = _said(e.share.next_steps)
        if e.flags.celebrate:
            text = _sentence(f"Celebrate {_label(e)}{_about(e)}")
            if steps:
                text += f" The person's next steps: {steps}"
            items.append(Item(text, [e.id]))
        elif steps:
            items.append(Item(f"Next steps the person named {_label(e)}: {steps}", [e.id]))
    return items


# --- growth: what changed in skills, goals, group work ------------------------------------------


def _group_split(es: list[Entry]) -> str:
    """Group and individual work apart (domain.md, "Groups"): "" when there was no group."""
    groups = [e for e in es if e.in_group]
    if not groups:
        return ""
    alone = [e for e in es if not e.in_group]
    people = sum(e.group.headcount for e in groups if e.group is not None)
    uncounted = sum(1 for e in groups if e.group is None or not e.group.headcount)
    reached = f"{_plural(people, 'person', 'people')} in all" + (f", {uncounted} not counted" if uncounted else "")
    counted = len(groups) - uncounted
    if counted:  # the peer-to-participant ratio (domain.md, "Groups"): one peer to the average headcount
        reached += f", 1 peer to {round(people / counted, 1):g} participants a group on average"
    return (
        f" [individual: {_plural(len(alone), 'encounter')}, {sum(e.minutes or 0 for e in alone)} minutes;"
        f" groups: {len(groups)}, {sum(e.minutes or 0 for e in groups)} minutes, {reached}]"
    )


def _growth_of(
    growth: Mapping[str, tuple[list[Rating], list[Goal]]] | None, peer: str
) -> tuple[list[Rating] | None, list[Goal]]:
    if growth is None or peer not in growth:
        return None, []
    return growth[peer]


def _category(key: str) -> str:
    return f"{key}. {cycle.COMPETENCY_TITLES.get(key, '')}"


def _newly_exercised(window: list[Entry], previous: list[Entry]) -> list[Item]:
    before = {c for e in previous for c in e.competencies}
    new = [k for k in cycle.COMPETENCY_KEYS if k not in before and any(k in e.competencies for e in window)]
    if not new or not previous:
        return []
    cited = [e.id for e in window if set(e.competencies) & set(new)]
    return [Item(f"Newly exercised (not in the window before): {'; '.join(_category(k) for k in new)}.", cited)]


def _ratings_lines(ratings: list[Rating], since: datetime, until: datetime) -> list[Item]:
    items: list[Item] = []
    taken = sorted((r for r in ratings if r.at <= until), key=lambda r: r.at)
    for by in ("self", "supervisor"):
        mine = [r for r in taken if r.by == by]
        if len(mine) < 2 or mine[-1].at < since:
            continue
        earlier = [r for r in mine if r.at < since] or mine[:-1]  # each category's latest, then and now
        changes = moved(latest(earlier, by), latest(mine, by))
        if changes:
            said = "; ".join(f"{_category(k)} {a} to {b}" for k, a, b in changes)
            items.append(Item(f"Ratings by {RATER_LABELS[by]} that moved since {day(earlier[-1].at)}: {said}. {FRAMING}"))
    latest_self = latest(taken, "self")
    latest_sup = latest(taken, "supervisor")
    gaps = differences(latest_self, latest_sup)[:3]
    if gaps:
        said = "; ".join(f"{_category(k)} (peer {a}, supervisor {b})" for k, a, b in gaps)
        items.append(Item(f"Where the peer's and the supervisor's latest ratings differ most: {said}. {FRAMING}"))
    if latest_self is None or latest_self.at < since:
        items.append(Item(
            "No self-rating since the last meeting: rating the twelve competencies before meeting gives "
            "something to set beside the supervisor's (reflect rate, or c on home)."
        ))  # fmt: skip
    return items


def _skills_changes(
    window: list[Entry], previous: list[Entry], ratings: Iterable[Rating] | None, since: datetime, until: datetime
) -> list[Item]:
    """What changed since the last meeting: categories newly exercised, ratings that moved,
    where the two ratings differ most; and a word when the peer has not rated themselves."""
    items = _newly_exercised(window, previous)
    if ratings is not None:
        items += _ratings_lines(list(ratings), since, until)
    return items


def _goals_open(goals: Iterable[Goal], until: datetime) -> list[Item]:
    """Each goal open at `until`, with its last check-in: the peer's own words, masked."""
    items = []
    for g in sorted(goals, key=lambda g: g.created):
        if g.created > until or not (g.status == "open" or (g.met_at is not None and g.met_at > until)):
            continue
        facts = [f for f in (_category(g.competency) if g.competency else "", f"due {g.due:%a} {g.due.day} {g.due:%b} {g.due.year}" if g.due else "") if f]
        text = f"Goal: {_said(g.text, 120)}" + (f" ({', '.join(facts)})" if facts else "") + "."
        ins = [c for c in g.check_ins if c.at <= until]
        last = max(ins, key=lambda c: c.at) if ins else None
        text += f" Last check-in {day(last.at)}: {_sentence(_said(last.note, 120))}" if last else " No check-in yet."
        items.append(Item(text))
    return items


def _goals_met(goals: Iterable[Goal], since: datetime, until: datetime) -> list[Item]:
    return [
        Item(f"Goal met {day(g.met_at)}: {_sentence(_said(g.text, 120))}")
        for g in sorted(goals, key=lambda g: g.met_at or g.created)
        if g.status == "met" and g.met_at is not None and since <= g.met_at <= until
    ]


# --- the agenda -----------------------------------------------------------------------------


def build_agenda(
    entries: Iterable[Entry],
    meetings: Iterable[Meeting] = (),
    *,
    since: datetime,
    until: datetime,
    peer: str | None = None,
    previous_entries: Iterable[Entry] = (),
    stories: Iterable[Story] | Mapping[str, str] = (),
    next_meeting: datetime | None = None,
    late: Iterable[Entry] = (),
    reviewed_at: datetime | None = None,
    private_crises: Iterable[PrivateCrisis] = (),
    ratings: Iterable[Rating] | None = None,
    goals: Iterable[Goal] = (),
) -> Agenda:
    """The agenda for `peer` (None: every peer in `entries`) over `since <= occurred <= until`.

    `entries` may hold more than the window: they are filtered here, by window and
    peer. Which entries may be seen at all (private ones) is decided before, by the
    use case (`reflect.usecases.visibility`): every entry given here can appear.
    `previous_entries` feed only the workload comparison and are
    filtered to the previous window of the same length (`[since - length, since)`).
    `stories` give titles for "stories most used"; `meetings` give open follow-ups.
    `late` are entries not yet reviewed though they happened before `since`: recorded or
    changed after the last meeting (`reviewed_at`); they join the window, each item
    about one of them marked with how late it was journaled (`late_note`).
    `private_crises` are the private crisis entries left out (of any time and peer):
    Safety first says how many fall in the window (or came late) and whether the
    supervisor was told, without their text.
    `ratings` (the peer's competency ratings, None when not known: another peer's export)
    and `goals` feed what changed in skills, the growth section and goals met as wins.
    """
    late_ones = [
        e for e in late
        if e.occurred < since and _for_peer(e, peer) and (reviewed_at is None or changed_at(e) >= reviewed_at)
    ]  # fmt: skip
    window = sorted(
        [e for e in entries if in_window(e, since, until) and _for_peer(e, peer)] + late_ones,
        key=lambda e: e.occurred,
    )
    p_since, p_until = previous_window(since, until)
    previous = sorted(
        (
            e
            for e in previous_entries
            if p_since <= e.occurred < p_until and _for_peer(e, peer)
        ),
        key=lambda e: e.occurred,
    )
    titles: Mapping[str, str] = stories if isinstance(stories, Mapping) else {s.id: s.title for s in stories}
    hidden = [c for c in private_crises if _for_peer(c, peer) and _unreviewed(c, since, until, reviewed_at)]
    built = {
        "safety": _safety(window) + _private_safety(hidden),
        "boundaries": _boundaries(window, titles),
        "questions": _questions(window),
        "follow_ups": _follow_ups(meetings, peer or "", until),
        "skills": _skills(window, titles) + _skills_changes(window, previous, ratings, since, until),
        "growth": _goals_open(goals, until),
        "wellbeing": _wellbeing(window, previous, since, until),
        "wins": _wins(window) + _goals_met(goals, since, until),
    }
    _mark_late(built, {e.id: late_note(e, reviewed_at) for e in late_ones})
    sections = [Section(key, title, built[key] or [Item(NOTHING)]) for key, title in SECTIONS]
    return Agenda(peer or "", since, until, next_meeting, sections)


def _unreviewed(c: PrivateCrisis, since: datetime, until: datetime, reviewed_at: datetime | None) -> bool:
    """In the window, or before it and written since the last meeting (as `late`)."""
    if since <= c.occurred <= until:
        return True
    return c.occurred < since and reviewed_at is not None and c.changed >= reviewed_at


# Sections whose items each speak of one entry (skills and workload count many).
_ONE_ENTRY_SECTIONS = ("safety", "boundaries", "questions", "wellbeing", "wins")


def _span(gap: timedelta) -> str:
    if gap >= timedelta(days=1):
        return _plural(gap.days, "day")
    hours = int(gap.total_seconds() // 3600)
    return _plural(hours, "hour") if hours else "less than an hour"


def late_note(e: Entry, reviewed_at: datetime | None) -> str:
    """Why an entry from before the window is on this agenda: journaled late, or changed
    after the last meeting."""
    recorded = e.recorded or e.occurred
    if reviewed_at is None or recorded >= reviewed_at:
        return f"Journaled {_span(recorded - e.occurred)} after it happened."
    return f"Changed {when(changed_at(e))}, after the last meeting."


def _mark_late(built: dict[str, list[Item]], notes: Mapping[str, str]) -> None:
    if not notes:
        return
    for key in _ONE_ENTRY_SECTIONS:
        for item in built[key]:
            if len(item.entries) == 1 and item.entries[0] in notes:
                item.text = f"{_sentence(item.text)} {notes[item.entries[0]]}"


def default_since(last: Meeting | None, until: datetime, days: int = 14) -> datetime:
    """Where a review starts: the end of the window the last meeting reviewed (so nothing
    falls between two reviews), else `days` before `until`."""
    if last is not None and last.until < until:
        return last.until
    return until - timedelta(days=days)


def last_meetings(meetings: Iterable[Meeting]) -> dict[str, Meeting]:
    """The last meeting held for each peer ("" for meetings that name no peer)."""
    out: dict[str, Meeting] = {}
    for m in sorted(meetings, key=lambda m: m.held):
        out[m.peer] = m
    return out


def _last_for(last: Mapping[str, Meeting], peer: str) -> Meeting | None:
    found = [m for m in (last.get(peer), last.get("")) if m is not None]
    return max(found, key=lambda m: m.held) if found else None


def build_agendas(
    load: Callable[[datetime, datetime], Iterable[Entry | PrivateCrisis]],
    meetings: Iterable[Meeting] = (),
    *,
    until: datetime,
    since: datetime | None = None,
    peer: str | None = None,
    stories: Iterable[Story] | Mapping[str, str] = (),
    next_meeting: datetime | None = None,
    fallback_peers: Iterable[str] = (),
    days: int = 14,
    load_late: Callable[[datetime, datetime], Iterable[Entry | PrivateCrisis]] | None = None,
    growth: Mapping[str, tuple[list[Rating], list[Goal]]] | None = None,
) -> list[Agenda]:
    """One agenda per peer whose entries fall in their window, sorted by peer.

    `load(lo, hi)` returns the entries with `lo <= occurred <= hi` (any peer) that may
    be seen (the use case has left private ones out unless asked for); it is called
    once, for the widest range needed, so a journal reads only those months.
    Without `since`, each peer's window starts where their last meeting's window
    ended (`default_since`), else `days` before `until`. `peer` narrows to one peer,
    who gets an agenda even with an empty window; with no peer in any window the
    `fallback_peers` get one each (the journal's owner, or the peers in the files).
    `load_late(after, before)` returns the entries recorded or changed after `after`
    that happened before `before` (any peer): each peer's agenda adds those recorded or
    changed after their last meeting held by `until` and dated before their window
    (`reviewed_at`); with no meeting recorded, the window alone decides.
    """
    meetings = list(meetings)
    titles = stories if isinstance(stories, Mapping) else {s.id: s.title for s in stories}
    last = last_meetings(meetings)
    if since is not None:
        starts: dict[str, datetime] = {}
        widest = since
    else:
        starts = {p: default_since(_last_for(last, p), until, days) for p in set(last) | ({peer} if peer else set())}
        widest = min([until - timedelta(days=days), *starts.values()])
    lo = previous_window(widest, until)[0]
    loaded: list[Entry] = []
    hidden: list[PrivateCrisis] = []
    for got in load(lo, until):
        (hidden if isinstance(got, PrivateCrisis) else loaded).append(got)  # type: ignore[arg-type]

    def start(p: str) -> datetime:
        if since is not None:
            return since
        return starts.get(p) or default_since(_last_for(last, p), until, days)

    held = reviewed_by(meetings, until)
    cuts = {p: m.held for p, m in held.items()}
    late: list[Entry] = []
    if load_late is not None and cuts:
        for got in load_late(min(cuts.values()), until):
            cut = _cut_for(cuts, got.peer)
            if isinstance(got, PrivateCrisis):
                if cut is not None and got.changed >= cut and got.occurred < start(got.peer) and got not in hidden:
                    hidden.append(got)  # once: the same entry may come from `load` too
            elif cut is not None and changed_at(got) >= cut and got.occurred < start(got.peer):
                late.append(got)
    if peer is not None:
        peers = [peer]
    else:
        peers = sorted(
            {e.peer for e in loaded if in_window(e, start(e.peer), until)}
            | {e.peer for e in late}
            | {c.peer for c in hidden if _unreviewed(c, start(c.peer), until, _cut_for(cuts, c.peer))}
        )
        if not peers:
            peers = sorted(set(fallback_peers))
    by_peer: dict[str, list[Entry]] = {}
    for e in loaded:
        by_peer.setdefault(e.peer, []).append(e)
    late_by_peer: dict[str, list[Entry]] = {}
    for e in late:
        late_by_peer.setdefault(e.peer, []).append(e)
    out = []
    for p in peers:
        mine = by_peer.get(p, [])
        out.append(
            build_agenda(
                mine, meetings, since=start(p), until=until, peer=p, previous_entries=mine,
                stories=titles, next_meeting=next_meeting, late=late_by_peer.get(p, ()),
                reviewed_at=_cut_for(cuts, p), private_crises=hidden,
                ratings=_growth_of(growth, p)[0], goals=_growth_of(growth, p)[1],
            )
        )  # fmt: skip
    return out


def reviewed_by(meetings: Iterable[Meeting], until: datetime) -> dict[str, Meeting]:
    """The last meeting held by `until` for each peer ("" for meetings naming none)."""
    return last_meetings(m for m in meetings if m.held <= until)


def _cut_for(cuts: Mapping[str, datetime], peer: str) -> datetime | None:
    found = [c for c in (cuts.get(peer), cuts.get("")) if c is not None]
    return max(found) if found else None


def note_unread(agendas: Iterable[Agenda], notes: Iterable[tuple[str, str]]) -> None:
    """Add to each agenda, in the section each note names (section key, file name), that a
    file could not be read: its part of the agenda may be missing, and "Nothing to raise"
    is not said over a month nobody could read (safety first)."""
    notes = list(notes)
    for agenda in agendas:
        for key, name in notes:
            section = agenda.section(key)
            if section.empty:
                section.items.clear()
            section.items.append(Item(f"Could not be read: {name} (missing or damaged); what it holds is not on "
                                      "this agenda. Run `reflect doctor`."))  # fmt: skip
