"""The home screen's search line: words, plus `flag:`, `tag:`, `since:` and `until:`.

Pure (no textual): `parse_query('tired flag:crisis since:"2 weeks ago"')` gives an
EntryFilter. The syntax mirrors what people type into mail and issue trackers, so a
peer can guess it; a mistake raises QueryError with a sentence that says how to fix it.
"""

from __future__ import annotations

from datetime import datetime

from reflect.domain import cycle, dates
from reflect.domain.model import EntryFilter

# What a peer might type for each flag -> the EntryFilter flag name.
FLAG_NAMES: dict[str, str] = {
    "crisis": "crisis",
    "boundary": "boundary",
    "role": "boundary",
    "discuss": "discuss",
    "supervision": "discuss",
    "self-care": "self_care",
    "self_care": "self_care",
    "selfcare": "self_care",
    "celebrate": "celebrate",
    "win": "celebrate",
    "private": "private",
}
FLAG_HELP = "crisis, boundary, discuss, self-care, celebrate, private"
KEYS = ("flag", "tag", "since", "until")
SYNTAX = 'words  flag:crisis  tag:group  since:"2 weeks ago"  until:yesterday'


class QueryError(ValueError):
    """The search line cannot be read; the message says what to change."""


def _when(text: str, now: datetime | None, end: bool) -> datetime:
    try:
        return dates.parse_when(text, now=now, end=end)
    except dates.DateError as exc:
        raise QueryError(str(exc)) from None  # it quotes the date and says what works


def parse_query(text: str, now: datetime | None = None) -> EntryFilter:
    """Read the search line into a filter. Unknown `key:` words are searched as text."""
    import shlex  # here: home imports this module, and a search is typed later if at all

    try:
        words = shlex.split(text)
    except ValueError:
        raise QueryError("a quote is not closed") from None
    flt = EntryFilter()
    free: list[str] = []
    for word in words:
        key, sep, value = word.partition(":")
        key = key.casefold()
        if not sep or key not in KEYS:
            free.append(word)
            continue
        if not value.strip():
            raise QueryError(f"{key}: needs a value, e.g. {key}:{_example(key)}")
        if key == "flag":
            name = FLAG_NAMES.get(value.casefold())
            if name is None:
                raise QueryError(f"no flag {value!r}; flags are {FLAG_HELP}")
            if name not in flt.flags:
                flt.flags.append(name)
        elif key == "tag":
            flt.tags.append(value)
        elif key == "since":
            flt.since = _when(value, now, end=False)
        else:
            flt.until = _when(value, now, end=True)
    if flt.since and flt.until and flt.since > flt.until:
        raise QueryError("since: is after until:, so nothing could match")
    flt.text = " ".join(free)
    return flt


def _example(key: str) -> str:
    return {"flag": "crisis", "tag": "group", "since": '"2 weeks ago"', "until": "yesterday"}[key]


def describe(flt: EntryFilter) -> str:
    """The filter in words, for the status line."""
    parts = []
    if flt.text:
        parts.append(f"“{flt.text}”")
    for flag in flt.flags:
        parts.append("private" if flag == "private" else f"flagged {cycle.FLAG_LABELS.get(flag, flag).lower()}")
    for tag in flt.tags:
        parts.append(f"tagged {tag}")
    if flt.since:
        parts.append(f"since {flt.since:%d %b %Y}")
    if flt.until:
        parts.append(f"until {flt.until:%d %b %Y}")
    return ", ".join(parts)


def is_empty(flt: EntryFilter) -> bool:
    return not (flt.text or flt.flags or flt.tags or flt.since or flt.until)
