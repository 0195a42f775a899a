"""The one rule about private entries: they stay out of every output unless asked for.

Asked for means `include_private` (`--include-private`, `--flag private`) or naming the
entry by id (`--id`, `reflect show ID`). The store returns every entry; each use case
that puts entries in front of someone (export, `list --json`, the agenda) asks here,
so the rule is written once and counted the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, Union

if TYPE_CHECKING:
    from reflect.domain.model import Entry

PRIVATE = "private"

Record = Union["Entry", Mapping[str, Any]]  # an Entry, or its stored contract dict
R = TypeVar("R", bound=Record)


def is_private(record: Record) -> bool:
    if isinstance(record, Mapping):
        return record.get("visibility") == PRIVATE
    return record.private


def shown(record: Record, *, include_private: bool = False, named_ids: Collection[str] = ()) -> bool:
    """True when `record` may appear in an output: it is not private, or private entries
    were asked for, or it was named by its id."""
    if include_private or not is_private(record):
        return True
    entry_id = record.get("id") if isinstance(record, Mapping) else record.id
    return entry_id in named_ids


@dataclass
class Selection:
    """`shown` with a count of what it left out, so a command can say how many."""

    include_private: bool = False
    named_ids: frozenset[str] = field(default_factory=frozenset)
    left_out: int = 0

    def keep(self, record: Record) -> bool:
        if shown(record, include_private=self.include_private, named_ids=self.named_ids):
            return True
        self.left_out += 1
        return False

    def filter(self, records: Iterable[R]) -> Iterator[R]:
        return (r for r in records if self.keep(r))
