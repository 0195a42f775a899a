"""Renewal rules for continuing education, as data, and where a peer stands against them.

A rule pack is a small JSON document (`reflect/rules/training/*.json` ships four; a
person can copy one and write their own, see README "Rule packs"): how long a renewal
cycle is and where it starts, the total hours, and the minimum hours (or courses) by
category or by tag. `parse_pack` reads one strictly: an unknown key, a wrong type or a
rule that cannot be met is refused, naming the key, so a typo never silently relaxes a
requirement. `status` works out the current cycle and what is done and still missing.

Pure: no textual, no tinydb; the shipped packs are read as package data, as the shipped
JSON Schemas are (`formats.schema_path`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any, Iterable

from dateutil.relativedelta import relativedelta

from reflect.domain.fields import MAX_HOURS, ValidationError, hours_json, kind_of, parse_hours
from reflect.domain.training import CATEGORY_PATTERN, GENERAL_CATEGORIES, Training

FORMAT = "reflect-training-rules"
STATUS_FORMAT = "reflect-training-status"
VERSION = 1
CYCLE_FROM = ("certification", "calendar")
NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
_NAME = re.compile(NAME_PATTERN)
_CATEGORY = re.compile(CATEGORY_PATTERN)
MAX_CYCLE_YEARS = 10

PACK_KEYS = frozenset(
    {"format", "version", "name", "title", "source", "cycle", "total_hours", "categories", "requirements",
     "same_course_once", "notes"}
)  # fmt: skip
_REQUIRED_KEYS = ("format", "version", "name", "title", "source", "cycle", "total_hours", "requirements")


class RulesError(ValidationError):
    """A rule pack that cannot be used: `path` names the file and the key."""


@dataclass(frozen=True)
class Requirement:
    """At least `min_hours` (and `min_courses` courses) of the trainings in `categories`,
    or of those tagged `tag`, within one cycle."""

    name: str
    label: str
    min_hours: float
    min_courses: int = 0
    categories: tuple[str, ...] = ()
    tag: str = ""

    def counts(self, t: Training) -> bool:
        return t.category in self.categories if not self.tag else self.tag in {x.strip().casefold() for x in t.tags}


@dataclass(frozen=True)
class RulePack:
    """One board's renewal rules, read from a pack file."""

    name: str
    title: str
    citation: str
    url: str
    cycle_years: int
    cycle_from: str  # "certification": from the day certified; "calendar": from January 1
    total_hours: float
    requirements: tuple[Requirement, ...]
    categories: tuple[str, ...]  # the categories a training under this pack is put in
    same_course_once: bool = False
    notes: str = ""


# --- reading a pack -----------------------------------------------------------------------


def _fail(source: str, path: str, problem: str) -> RulesError:
    return RulesError(f"{source}: {path}" if path else source, problem)


def _get(d: dict[str, Any], key: str, kind: type | tuple[type, ...], source: str, path: str, what: str) -> Any:
    value = d[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise _fail(source, path, f"expected {what}, got a boolean")
    if not isinstance(value, kind):
        raise _fail(source, path, f"expected {what}, got {kind_of(value)}")
    return value


def _object(value: Any, keys: Iterable[str], required: Iterable[str], source: str, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(source, path, f"expected an object, got {kind_of(value)}")
    allowed = set(keys)
    for k in value:
        if k not in allowed:
            raise _fail(source, f"{path}.{k}" if path else k, f"unknown key (known: {', '.join(sorted(allowed))})")
    for k in required:
        if k not in value:
            raise _fail(source, f"{path}.{k}" if path else k, "missing")
    return value


def _text(d: dict[str, Any], key: str, source: str, path: str) -> str:
    value = _get(d, key, str, source, path, "a string")
    if not value.strip() or any(ord(c) < 32 for c in value):
        raise _fail(source, path, "expected one line of text")
    return value.strip()


def _hours(value: Any, source: str, path: str, *, zero: bool) -> float:
    if zero and value == 0 and not isinstance(value, bool):
        return 0.0
    try:
        return parse_hours(value, path)
    except ValidationError as exc:
        raise _fail(source, path, exc.problem) from None


def _word(value: Any, pattern: re.Pattern[str], source: str, path: str, what: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise _fail(source, path, f"expected {what}: a short lowercase word of letters, digits and hyphens")
    return value


def _requirement(raw: Any, i: int, source: str) -> Requirement:
    path = f"requirements[{i}]"
    d = _object(raw, ("name", "label", "min_hours", "min_courses", "categories", "tag"), ("name",), source, path)
    name = _word(d["name"], _CATEGORY, source, f"{path}.name", "a name")
    label = _text(d, "label", source, f"{path}.label") if "label" in d else name
    min_hours = _hours(d.get("min_hours", 0), source, f"{path}.min_hours", zero=True)
    min_courses = d.get("min_courses", 0)
    if isinstance(min_courses, bool) or not isinstance(min_courses, int) or not 0 <= min_courses <= 100:
        raise _fail(source, f"{path}.min_courses", "expected a whole number from 0 to 100")
    if not min_hours and not min_courses:
        raise _fail(source, path, "a requirement needs min_hours or min_courses above 0")
    if "categories" in d and "tag" in d:
        raise _fail(source, path, "give categories or tag, not both")
    tag = ""
    categories: tuple[str, ...] = ()
    if "tag" in d:
        tag = _word(d["tag"], _CATEGORY, source, f"{path}.tag", "a tag")
    else:
        raw_cats = d.get("categories", [name])
        if not isinstance(raw_cats, list) or not raw_cats:
            raise _fail(source, f"{path}.categories", "expected a non-empty list of categories")
        categories = tuple(
            _word(c, _CATEGORY, source, f"{path}.categories[{n}]", "a category") for n, c in enumerate(raw_cats)
        )
    return Requirement(name, label, min_hours, min_courses, categories, tag)


def pack_from_dict(data: Any, source: str) -> RulePack:
    """A rule pack from its parsed JSON; `RulesError` names the first problem."""
    d = _object(data, PACK_KEYS, _REQUIRED_KEYS, source, "")
    if d["format"] != FORMAT:
        raise _fail(source, "format", f'expected "{FORMAT}": this is not a reflect rule pack')
    if type(d["version"]) is not int or d["version"] != VERSION:
        raise _fail(source, "version", f"expected {VERSION}")
    name = _word(d["name"], _NAME, source, "name", "a name")
    title = _text(d, "title", source, "title")
    src = _object(d["source"], ("citation", "url"), ("citation",), source, "source")
    citation = _text(src, "citation", source, "source.citation")
    url = _text(src, "url", source, "source.url") if "url" in src else ""
    cycle = _object(d["cycle"], ("years", "from"), ("years", "from"), source, "cycle")
    years = cycle["years"]
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_CYCLE_YEARS:
        raise _fail(source, "cycle.years", f"expected a whole number of years from 1 to {MAX_CYCLE_YEARS}")
    if cycle["from"] not in CYCLE_FROM:
        raise _fail(source, "cycle.from", f"expected one of {', '.join(CYCLE_FROM)}")
    total = _hours(d["total_hours"], source, "total_hours", zero=False)
    raw_reqs = d["requirements"]
    if not isinstance(raw_reqs, list):
        raise _fail(source, "requirements", f"expected a list, got {kind_of(raw_reqs)}")
    reqs = tuple(_requirement(r, i, source) for i, r in enumerate(raw_reqs))
    seen: dict[str, int] = {}
    owner: dict[str, int] = {}
    for i, r in enumerate(reqs):
        if seen.setdefault(r.name, i) != i:
            raise _fail(source, f"requirements[{i}].name", "the same name twice")
        for c in r.categories:
            if owner.setdefault(c, i) != i:
                raise _fail(source, f"requirements[{i}].categories", f"{c!r} is counted by requirements[{owner[c]}] already")
    if sum(r.min_hours for r in reqs if r.categories) > total:
        raise _fail(source, "total_hours", "less than the category minimums add up to")
    if any(r.min_hours > total for r in reqs):
        raise _fail(source, "total_hours", "less than one requirement's minimum")
    named = [c for r in reqs for c in r.categories]
    raw_cats = d.get("categories", [])
    if not isinstance(raw_cats, list):
        raise _fail(source, "categories", f"expected a list of categories, got {kind_of(raw_cats)}")
    offered = [_word(c, _CATEGORY, source, f"categories[{n}]", "a category") for n, c in enumerate(raw_cats)]
    categories = tuple(dict.fromkeys(named + offered))
    once = d.get("same_course_once", False)
    if not isinstance(once, bool):
        raise _fail(source, "same_course_once", f"expected true or false, got {kind_of(once)}")
    notes = d.get("notes", "")
    if not isinstance(notes, str):
        raise _fail(source, "notes", f"expected a string, got {kind_of(notes)}")
    return RulePack(name, title, citation, url, years, cycle["from"], total, reqs, categories, once, notes)


def parse_pack(text: str, source: str) -> RulePack:
    """A rule pack from its JSON text (`source` names it in messages)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        where = f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise _fail(source, "", f"not valid JSON{where}") from None
    return pack_from_dict(data, source)


def shipped_names() -> tuple[str, ...]:
    """The rule packs reflect ships, by name."""
    folder = resources.files("reflect").joinpath("rules", "training")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json")))


def shipped_pack(name: str) -> RulePack:
    """A shipped rule pack by name; `RulesError` for a name reflect does not ship."""
    if not _NAME.match(name) or name not in shipped_names():
        raise RulesError("training_rules", f"no rule pack named {name!r} (shipped: {', '.join(shipped_names())})")
    text = resources.files("reflect").joinpath("rules", "training", f"{name}.json").read_text(encoding="utf-8")
    return parse_pack(text, f"{name}.json")


def is_pack_name(value: str) -> bool:
    """Whether `value` names a shipped pack's form (a word), rather than a file."""
    return bool(_NAME.match(value))


def known_categories(pack: RulePack | None = None) -> tuple[str, ...]:
    """The categories offered: the general ones, every shipped pack's, and `pack`'s."""
    names: list[str] = list(pack.categories) if pack is not None else []
    names += GENERAL_CATEGORIES
    for n in shipped_names():
        names += shipped_pack(n).categories
    return tuple(dict.fromkeys(names))


# --- the cycle ------------------------------------------------------------------------------


def cycle_of(pack: RulePack, certified_on: date | None, today: date) -> tuple[date, date]:
    """The renewal cycle (first day, last day) that holds `today`, or the first one when
    `today` is before it. Cycles "from certification" are `cycle_years` long from the day
    certified (a 29 February start falls on 28 February in other years); "calendar" ones
    start on January 1, the first one in the year after certification (Georgia: CEUs
    begin accruing in January after the exam year), or this year when it is not set."""
    n = pack.cycle_years
    if pack.cycle_from == "calendar":
        first = certified_on.year + 1 if certified_on is not None else today.year
        k = max(0, (today.year - first) // n)
        return date(first + k * n, 1, 1), date(first + (k + 1) * n - 1, 12, 31)
    if certified_on is None:
        raise ValidationError(
            "certified_on", f"not set: {pack.name} counts its cycles from the day you were certified "
            "(`reflect config certified_on YYYY-MM-DD`, or --certified-on)",
        )  # fmt: skip

    def start(k: int) -> date:
        return certified_on + relativedelta(years=k * n)

    k = max(0, (today.year - certified_on.year) // n)
    while start(k + 1) <= today:
        k += 1
    while k > 0 and start(k) > today:
        k -= 1
    return start(k), start(k + 1) - timedelta(days=1)


# --- where a peer stands --------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One requirement (or a category with none) in the current cycle."""

    name: str
    label: str
    required: float
    done: float
    courses_required: int = 0
    courses_done: int = 0
    tag: str = ""

    @property
    def missing(self) -> float:
        return max(0.0, self.required - self.done)

    @property
    def met(self) -> bool:
        return self.done >= self.required and self.courses_done >= self.courses_required


@dataclass(frozen=True)
class Repeat:
    """A course taken more than once in the cycle: the first counts; `not_counted` hours
    of the others do not when the pack counts a course once."""

    title: str
    provider: str
    dates: tuple[date, ...]
    not_counted: float


@dataclass
class Status:
    """Where the peer stands in the current cycle of `pack`."""

    pack: RulePack
    today: date
    certified_on: date | None
    start: date
    end: date
    lines: list[Line]
    total_done: float
    repeats: list[Repeat] = field(default_factory=list)
    counted: list[str] = field(default_factory=list)  # ids of the trainings that count
    planned: list[str] = field(default_factory=list)  # ids of trainings in the cycle dated after today

    @property
    def days_left(self) -> int:
        """Days from today to the cycle's last day (0 on the last day itself)."""
        return (self.end - self.today).days

    @property
    def total_missing(self) -> float:
        return max(0.0, self.pack.total_hours - self.total_done)

    @property
    def hours_needed(self) -> float:
        """The fewest hours still to take to meet every requirement: the total's gap, or
        what the category minimums still miss together (one training counts toward one
        category), or the largest gap of a tag requirement, whichever is most."""
        by_category = sum(ln.missing for ln in self.lines if not ln.tag)
        by_tag = max((ln.missing for ln in self.lines if ln.tag), default=0.0)
        return max(self.total_missing, by_category, by_tag)

    @property
    def met(self) -> bool:
        return not self.total_missing and all(ln.met for ln in self.lines)


def status(pack: RulePack, trainings: Iterable[Training], certified_on: date | None, today: date) -> Status:
    """The current cycle of `pack` and, within it, the hours done and missing by category,
    the total, and the courses repeated (counted once where the pack says so)."""
    start, end = cycle_of(pack, certified_on, today)
    inside = sorted((t for t in trainings if start <= t.date <= end), key=lambda t: (t.date, t.id))
    planned = [t.id for t in inside if t.date > today]  # not done yet: they count from their day on
    inside = [t for t in inside if t.date <= today]
    groups: dict[tuple[str, str], list[Training]] = {}
    for t in inside:
        groups.setdefault(t.course_key(), []).append(t)
    counted: list[Training] = []
    repeats: list[Repeat] = []
    for group in groups.values():
        if pack.same_course_once:
            counted.append(group[0])
        else:
            counted += group
        if len(group) > 1:
            extra = sum(t.hours for t in group[1:]) if pack.same_course_once else 0.0
            repeats.append(Repeat(group[0].title, group[0].provider, tuple(t.date for t in group), extra))
    counted.sort(key=lambda t: (t.date, t.id))
    lines: list[Line] = []
    for r in pack.requirements:
        mine = [t for t in counted if r.counts(t)]
        lines.append(Line(r.name, r.label, r.min_hours, sum(t.hours for t in mine), r.min_courses, len(mine), r.tag))
    claimed = {c for r in pack.requirements for c in r.categories}
    others = [c for c in pack.categories if c not in claimed]
    others += sorted({t.category for t in counted} - claimed - set(others))
    for c in others:
        lines.append(Line(c, c.capitalize(), 0.0, sum(t.hours for t in counted if t.category == c)))
    return Status(
        pack, today, certified_on, start, end, lines, sum(t.hours for t in counted), repeats, [t.id for t in counted],
        planned,
    )


def status_json(s: Status) -> dict[str, Any]:
    """The status as `reflect training status --format json` writes it (format version 1;
    `reflect/schema/training-status.schema.json`)."""
    h = hours_json

    def line(ln: Line) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": ln.name, "required": h(ln.required), "done": h(ln.done), "missing": h(ln.missing),
            "label": ln.label, "met": ln.met,
        }  # fmt: skip
        if ln.courses_required:
            out["courses"] = {
                "required": ln.courses_required, "done": ln.courses_done,
                "missing": max(0, ln.courses_required - ln.courses_done),
            }  # fmt: skip
        if ln.tag:
            out["tag"] = ln.tag
        return out

    return {
        "format": STATUS_FORMAT,
        "version": VERSION,
        "rules": s.pack.name,
        "cycle": {"start": s.start.isoformat(), "end": s.end.isoformat(), "days_left": s.days_left},
        "categories": [line(ln) for ln in s.lines],
        "total": {"required": h(s.pack.total_hours), "done": h(s.total_done), "missing": h(s.total_missing)},
        "hours_needed": h(s.hours_needed),
        "met": s.met,
        "today": s.today.isoformat(),
        "certified_on": None if s.certified_on is None else s.certified_on.isoformat(),
        "title": s.pack.title,
        "source": {"citation": s.pack.citation, "url": s.pack.url},
        "same_course_once": s.pack.same_course_once,
        "repeated": [
            {"title": r.title, "provider": r.provider, "dates": [d.isoformat() for d in r.dates],
             "hours_not_counted": h(r.not_counted)}
            for r in s.repeats
        ],  # fmt: skip
        "trainings": s.counted,
        "planned": s.planned,
    }


def _num(hours: float) -> str:
    return str(hours_json(hours))


def _days(span: timedelta) -> str:
    return "1 day" if span.days == 1 else f"{span.days} days"


def status_text(s: Status) -> str:
    """The status for a person to read (the caller escapes it for the terminal)."""
    p = s.pack
    out = [
        f"{p.title} ({p.name})",
        f"Cycle {s.start.isoformat()} to {s.end.isoformat()}: "
        + (f"{_days(timedelta(days=s.days_left))} left" if s.today >= s.start else f"starts in {_days(s.start - s.today)}"),
        "",
    ]
    width = max([len(ln.label) for ln in s.lines] + [5])
    for ln in s.lines:
        need = f"{_num(ln.done)} of {_num(ln.required)} h" if ln.required else f"{_num(ln.done)} h"
        if ln.courses_required:
            need += f", {ln.courses_done} of {ln.courses_required} course{'s' if ln.courses_required > 1 else ''}"
        mark = "ok" if ln.met and (ln.required or ln.courses_required) else ("" if ln.met else "missing " + (
            f"{_num(ln.missing)} h" if ln.missing else f"{ln.courses_required - ln.courses_done} course(s)"))
        out.append(f"  {ln.label.ljust(width)}  {need}" + (f"  {mark}" if mark else ""))
    out.append(f"  {'Total'.ljust(width)}  {_num(s.total_done)} of {_num(p.total_hours)} h"
               + ("  ok" if not s.total_missing else f"  missing {_num(s.total_missing)} h"))
    out.append("")
    if s.met:
        out.append("Every requirement of this cycle is met.")
    else:
        out.append(f"Still needed: at least {_num(s.hours_needed)} hours.")
    for r in s.repeats:
        dates = ", ".join(d.isoformat() for d in r.dates)
        title, provider = " ".join(r.title.split()), " ".join(r.provider.split())  # one line each
        if r.not_counted:
            out.append(f"Counted once: {title} ({provider}) on {dates}; {_num(r.not_counted)} h not counted")
        else:
            out.append(f"Taken more than once: {title} ({provider}) on {dates}; counted each time "
                       "(check your board's rule)")
    if s.planned:
        n = len(s.planned)
        out.append(f"{n} training{'s' if n > 1 else ''} dated after today: not counted until {'they are' if n > 1 else 'it is'} done")
    out.append(f"Source: {p.citation}" + (f" <{p.url}>" if p.url else ""))
    return "\n".join(out) + "\n"


__all__ = [
    "FORMAT", "STATUS_FORMAT", "VERSION", "MAX_HOURS", "Line", "Repeat", "Requirement", "RulePack", "RulesError",
    "Status", "cycle_of", "is_pack_name", "known_categories", "pack_from_dict", "parse_pack", "shipped_names",
    "shipped_pack", "status", "status_json", "status_text",
]
