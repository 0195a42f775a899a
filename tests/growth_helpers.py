"""A seeded journal for the Growth screen and the portfolio: every timestamp fixed, every
free-text field of every record holding MARKER, so a test can look for it anywhere."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from reflect.domain import cycle
from reflect.domain.fields import free_text
from reflect.domain.growth import CheckIn, Goal, Levels, Rating
from reflect.domain.model import MI, ActionItem, Crisis, Entry, Group, Meeting, Story
from reflect.domain.training import Training
from reflect.store import Journal
from reflect.usecases import settings as settings_uc

NOW = datetime(2025, 3, 14, 10, 30, tzinfo=timezone.utc)  # the encounter tests' frozen clock
MARKER = "Zqxmarker"
PERSON = "Pzqperson"  # a pseudonym: never in a portfolio


def _plant(record: Any, cls: type, tag: str) -> None:
    """Set every declared free-text field of `record` (an Entry) to text holding MARKER."""
    for path in free_text(cls):
        *parents, name = path.split(".")
        target = record
        for p in parents:
            target = getattr(target, p)
            if target is None:
                break
        if target is None:
            continue
        current = getattr(target, name)
        value: Any = [f"{MARKER} {tag} {path}"] if isinstance(current, list) else f"{MARKER} {tag} {path}"
        setattr(target, name, value)


def entries(n: int = 120, *, start: datetime = NOW, months: int = 14) -> list[Entry]:
    """`n` entries spread over the `months` months before `start`: a few settings, every
    fifth a group, every seventh private, competencies cycling; every free text planted."""
    out = []
    span = timedelta(days=30.4 * months)
    for i in range(n):
        when = start - span * (i + 1) / (n + 1)
        e = Entry(
            id=f"e-{i:05d}", occurred=when, recorded=when, updated=when, peer="sam",
            setting=["one-to-one", "phone", "group", "outreach"][i % 4],
            minutes=30 + i % 4 * 15,
            competencies=list(dict.fromkeys([cycle.COMPETENCY_KEYS[i % 12], cycle.COMPETENCY_KEYS[(i * 5) % 12], "II"])),
            visibility="private" if i % 7 == 3 else "shared",
        )  # fmt: skip
        if i % 4 == 2:
            e.group = Group(headcount=4 + i % 5, theme="x")
        e.crisis = Crisis() if i % 11 == 0 else None
        e.mi = MI() if i % 13 == 0 else None
        _plant(e, Entry, f"entry{i}")
        e.person = f"{PERSON}{i}"
        out.append(e)
    return out


def seed(journal: Journal, n: int = 120) -> Journal:
    """Entries, stories, meetings, trainings, ratings and goals, each text planted."""
    stories = [Story(id="s-1", title=f"{MARKER} story title", text=f"{MARKER} story text", themes=[f"{MARKER} theme"],
                     created=NOW)]  # fmt: skip
    meetings = []
    for k, kind in enumerate(("individual", "group", "individual", "")):
        held = NOW - timedelta(days=20 + 30 * k)
        meetings.append(Meeting(
            id=f"m-{k}", peer="sam", supervisor=f"{MARKER} supervisor", held=held, since=held - timedelta(days=30),
            until=held, notes=f"{MARKER} notes {k}", discussed=[f"{MARKER} discussed"], actions=[ActionItem(text=f"{MARKER} action")], minutes=45 + 15 * k, kind=kind,
            summary=f"{MARKER} summary", competence=f"{MARKER} competence", growth_areas=f"{MARKER} growth areas",
        ))  # fmt: skip
    trainings = [
        Training(id="t-1", title="Ethics for peer workers", provider="State network", date=date(2024, 6, 3), hours=3,
                 category="ethics", notes=f"{MARKER} training notes"),
        Training(id="t-2", title="Trauma-informed support", provider="Recovery college", date=date(2024, 11, 20),
                 hours=6, category="peer", notes=f"{MARKER} notes"),
        Training(id="t-3", title="Motivational interviewing", provider="Recovery college", date=date(2025, 2, 2),
                 hours=4.5, category="elective"),
    ]  # fmt: skip

    def levels(**kw: int) -> Levels:
        return Levels.from_dict(kw)

    ratings = [
        Rating(id="r-1", at=datetime(2024, 9, 1, 12, tzinfo=timezone.utc), by="self", ratings=levels(I=3, II=4, III=2),
               note=f"{MARKER} rating note"),
        Rating(id="r-2", at=datetime(2024, 9, 20, 12, tzinfo=timezone.utc), by="supervisor", rater="Dana",
               ratings=levels(I=2, II=3, III=2, IX=3), note=f"{MARKER} supervisor note"),
        Rating(id="r-3", at=datetime(2025, 2, 1, 12, tzinfo=timezone.utc), by="self",
               ratings=levels(I=4, II=4, III=3, VIII=2)),
    ]  # fmt: skip
    goals = [
        Goal(id="g-1", text="Ask before I share", competency="III", due=date(2025, 6, 1),
             created=datetime(2024, 10, 1, tzinfo=timezone.utc),
             check_ins=[CheckIn(note=f"{MARKER} check-in one", at=datetime(2025, 1, 5, tzinfo=timezone.utc))]),
        Goal(id="g-2", text="Co-lead a group", competency="X", created=datetime(2024, 8, 1, tzinfo=timezone.utc),
             status="met", met_at=datetime(2024, 12, 12, tzinfo=timezone.utc),
             check_ins=[CheckIn(note=f"{MARKER} check-in met", at=datetime(2024, 11, 5, tzinfo=timezone.utc))]),
        Goal(id="g-3", text="Learn the crisis plan steps", created=datetime(2025, 1, 10, tzinfo=timezone.utc)),
    ]  # fmt: skip
    journal.import_records(entries(n), stories, meetings, trainings=trainings, ratings=ratings, goals=goals)
    settings_uc.set_value(journal, "training_rules", "pa-cps")
    settings_uc.set_value(journal, "certified_on", "2024-01-15")
    return journal


