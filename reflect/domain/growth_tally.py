"""What the Growth screen and the portfolio count of a month's entries: numbers only.

A `Tally` holds, for one month, the encounters by setting, group and individual work
apart (with the group's headcount and the minutes of each), and how many encounters
exercised each SAMHSA competency. It is made from stored entry documents without
building `Entry` objects and holds no text of any entry, so it may be kept on disk
beside the month files (`reflect.store.tallies`) and added up across months. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reflect.domain import cycle


@dataclass
class Tally:
    """Counts of some entries (one month's shared ones, say)."""

    encounters: int = 0
    settings: dict[str, int] = field(default_factory=dict)  # setting -> encounters
    group: int = 0  # group encounters
    headcount: int = 0  # people in them, added up
    group_minutes: int = 0
    individual: int = 0
    individual_minutes: int = 0
    competencies: dict[str, int] = field(default_factory=dict)  # I..XII -> encounters that exercised it

    def add_doc(self, doc: Mapping[str, Any], sign: int = 1) -> None:
        """Count one stored entry (a contract dict, as the month files hold it); with
        `sign` -1, take back what counting it added (the entry as it was before a save)."""
        self.encounters += sign
        found = doc.get("setting")
        setting = found if isinstance(found, str) else "one-to-one"
        self.settings[setting] = self.settings.get(setting, 0) + sign
        if not self.settings[setting]:
            del self.settings[setting]
        minutes = doc.get("minutes")
        minutes = minutes if type(minutes) is int and minutes > 0 else 0
        group = doc.get("group")
        if isinstance(group, dict) or setting == "group":
            self.group += sign
            self.group_minutes += sign * minutes
            heads = group.get("headcount") if isinstance(group, dict) else 0
            self.headcount += sign * (heads if type(heads) is int and heads > 0 else 0)
        else:
            self.individual += sign
            self.individual_minutes += sign * minutes
        used = doc.get("competencies")
        for key in set(used) if isinstance(used, list) else ():
            if key in cycle.COMPETENCY_TITLES:
                self.competencies[key] = self.competencies.get(key, 0) + sign
                if not self.competencies[key]:
                    del self.competencies[key]

    def add(self, other: Tally) -> Tally:
        """This tally with `other` added in (in place; returned for chaining)."""
        self.encounters += other.encounters
        self.group += other.group
        self.headcount += other.headcount
        self.group_minutes += other.group_minutes
        self.individual += other.individual
        self.individual_minutes += other.individual_minutes
        for mine, theirs in ((self.settings, other.settings), (self.competencies, other.competencies)):
            for k, n in theirs.items():
                mine[k] = mine.get(k, 0) + n
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "encounters": self.encounters, "settings": dict(self.settings), "group": self.group,
            "headcount": self.headcount, "group_minutes": self.group_minutes, "individual": self.individual,
            "individual_minutes": self.individual_minutes, "competencies": dict(self.competencies),
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Any) -> Tally:
        """A kept tally; ValueError for anything but what `to_json` writes."""
        if not isinstance(data, dict):
            raise ValueError("a tally is an object")
        ints = ("encounters", "group", "headcount", "group_minutes", "individual", "individual_minutes")
        if not all(type(data.get(k)) is int for k in ints):
            raise ValueError("a tally's counts are whole numbers")
        maps = []
        for k in ("settings", "competencies"):
            m = data.get(k)
            if not isinstance(m, dict) or not all(isinstance(a, str) and type(b) is int for a, b in m.items()):
                raise ValueError(f"a tally's {k} map names to whole numbers")
            maps.append(dict(m))
        return cls(**{k: data[k] for k in ints}, settings=maps[0], competencies=maps[1])


def is_private(doc: Mapping[str, Any]) -> bool:
    return doc.get("visibility") == "private"


def tally_of(docs: Iterable[Mapping[str, Any]]) -> tuple[Tally, Tally]:
    """(shared, private) counts of these stored entries."""
    shared, private = Tally(), Tally()
    for doc in docs:
        (private if is_private(doc) else shared).add_doc(doc)
    return shared, private
