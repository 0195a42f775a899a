"""Competency ratings and development goals: two small tables, one file each.

`ratings.json` and `goals.json` beside the meetings, each a TinyDB-shaped file read and
written whole (`tables.Table`) under the journal's lock, like the stories. The Journal
facade reaches them as `journal.growth()`; an import stages them with its other files
(`importer.merge`), so they land with the entries or not at all.
"""

from __future__ import annotations

from collections.abc import Callable

from reflect.domain.growth import Goal, Rating
from reflect.store.errors import JournalCorrupt, NotFound
from reflect.store.lock import Gate
from reflect.store.storage import CorruptFile
from reflect.store.tables import Doc, Table


class Growth:
    """The ratings and goals of one journal."""

    def __init__(self, gate: Gate, ratings: Table, goals: Table) -> None:
        self._gate = gate
        self._ratings = ratings
        self._goals = goals

    def _docs(self, table: Table) -> list[Doc]:
        try:
            return table.docs()
        except CorruptFile as exc:
            raise JournalCorrupt(exc.path, exc.reason) from None

    def _put(self, table: Table, doc: Doc) -> None:
        try:
            table.put(doc)
        except CorruptFile as exc:
            raise JournalCorrupt(exc.path, exc.reason) from None

    # --- ratings -------------------------------------------------------------------------

    def ratings(self) -> list[Rating]:
        """Every rating, oldest first."""
        with self._gate.reading():
            docs = self._docs(self._ratings)
        return sorted((Rating.from_dict(d) for d in docs), key=lambda r: r.at)

    def save_rating(self, rating: Rating) -> Rating:
        doc = Rating.from_dict(rating.to_dict()).to_dict()  # validated before the disk
        with self._gate.writing():
            self._put(self._ratings, doc)
        return rating

    # --- goals ---------------------------------------------------------------------------

    def goals(self) -> list[Goal]:
        """Every goal, oldest first."""
        with self._gate.reading():
            docs = self._docs(self._goals)
        return sorted((Goal.from_dict(d) for d in docs), key=lambda g: g.created)

    def save_goal(self, goal: Goal) -> Goal:
        doc = Goal.from_dict(goal.to_dict()).to_dict()
        with self._gate.writing():
            self._put(self._goals, doc)
        return goal

    def change_goal(self, goal_id: str, change: Callable[[Goal], None]) -> Goal:
        """Apply `change` to the goal with this id (or unique id prefix) and save it, all
        under one lock, so two processes' check-ins never undo each other."""
        with self._gate.writing():
            goal = find_goal(self.goals(), goal_id)
            change(goal)
            self._put(self._goals, Goal.from_dict(goal.to_dict()).to_dict())
        return goal


def find_goal(goals: list[Goal], goal_id: str) -> Goal:
    """The goal with this id, or the one goal whose id starts with it (NotFound otherwise)."""
    wanted = goal_id.strip()
    exact = [g for g in goals if g.id == wanted]
    if exact:
        return exact[0]
    found = [g for g in goals if wanted and g.id.startswith(wanted)]
    if len(found) == 1:
        return found[0]
    if found:
        raise NotFound(f"that id matches {len(found)} goals; give more of it")
    raise NotFound("no goal with that id (see `reflect goal list --all`)")  # never the value typed
