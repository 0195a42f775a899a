"""Browsing and searching entries as the home list and `reflect list --search` need them.

Pages are found from a cursor (see `reflect.store.browse`), so paging costs the same at
any depth; a search tests the stored text before building any entry and stops at the
page size. Entries are built only for the rows returned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from reflect.domain.fields import LIST, OPT_RECORD, RECORD, leaves, walk
from reflect.domain.model import Entry, EntryFilter
from reflect.store import NotFound
from reflect.store.engine import aware
from reflect.store.browse import Browser, Key, Match, Stamp, key_of, needle_of
from reflect.store.browse import stamp as browse_stamp

if TYPE_CHECKING:
    from reflect.store import Journal
    from reflect.store.engine import aware
from reflect.store.browse import Doc


class EntryPage(NamedTuple):
    """Entries newest first, with the cursors either side and whether the list ends there."""

    entries: list[Entry]
    keys: list[Key]
    newest: bool
    oldest: bool


def browser(journal: Journal) -> Browser:
    return journal.browser()


def _text_paths() -> tuple[tuple[tuple[str, ...], bool], ...]:
    """The stored path of every free-text entry field, and whether it holds a list."""
    return tuple((tuple(p.split(".")), f.kind == LIST) for p, f in leaves(Entry) if f.free_text)


TEXT_PATHS = _text_paths()
_TEXT_KEYS = {p.rpartition(".")[2] for p, f in leaves(Entry) if f.free_text}
# Keys whose values are never free text: a search word found there alone cannot match.
OTHER_KEYS = frozenset(
    {p.rpartition(".")[2] for p, f in leaves(Entry) if not f.free_text}
    | {p.rpartition(".")[2] for p, f in walk(Entry) if f.kind in (RECORD, OPT_RECORD)}
) - _TEXT_KEYS


def stored_text(doc: Doc) -> str:
    """A stored entry's free text as `Entry.text_fields` joins it (the search's haystack),
    read from the document without building the entry."""
    out: list[str] = []
    lists: list[str] = []
    for path, is_list in TEXT_PATHS:
        value: object = doc
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if is_list:
            if isinstance(value, list):
                lists += [v for v in value if isinstance(v, str) and v]
        elif isinstance(value, str) and value:
            out.append(value)
    return "\n".join(out + lists)


def draft_matches(entry: dict[str, object], flt: EntryFilter | None) -> bool:
    """Whether a draft (an unfinished entry's fields) belongs in a list filtered by `flt`:
    every draft without a filter; with one, only a draft whose text holds the search
    words and nothing else is asked (flags, tags and times are not settled in a draft)."""
    if flt is None:
        return True
    if flt.flags or flt.tags or flt.peer or flt.since or flt.until or not flt.text:
        return False
    return flt.text.casefold() in stored_text(entry).casefold()


def match_of(flt: EntryFilter | None) -> Match:
    """The store's cheap tests for a filter: the raw month text first, then the stored free
    text, and the filter's own rule on a built entry only for flags, tags and peer."""
    if flt is None:
        return Match()
    folded = flt.text.casefold()
    needle = needle_of(flt.text) if flt.text and "\n" not in flt.text else ""  # a match across fields is not in the raw text
    structured = bool(flt.flags or flt.tags or flt.peer)

    def test(doc: Doc) -> bool:
        if folded and folded not in stored_text(doc).casefold():
            return False
        return not structured or flt.matches(Entry.from_dict(doc))

    return Match(
        since=aware(flt.since), until=aware(flt.until), needle=needle, test=test if folded or structured else None,
        other=OTHER_KEYS,
        raw=tuple('"visibility":"private"' if f == "private" else f'"{f}":true' for f in flt.flags),
    )


def _page(docs: list[Doc], newest: bool, oldest: bool) -> EntryPage:
    return EntryPage([Entry.from_dict(d) for d in docs], [key_of(d) for d in docs], newest, oldest)


def older(
    b: Browser, after: Key | None, limit: int, flt: EntryFilter | None = None, *, inclusive: bool = False
) -> EntryPage:
    """Up to `limit` entries older than `after` (None: the newest page; `inclusive`: from
    the entry at `after` itself, to read a shown window again)."""
    page = b.older(after, limit, match_of(flt), inclusive=inclusive)
    return _page(page.docs, page.newest, page.oldest)


def newer(b: Browser, before: Key | None, limit: int, flt: EntryFilter | None = None) -> EntryPage:
    """Up to `limit` entries newer than `before` (None: the oldest page)."""
    page = b.newer(before, limit, match_of(flt))
    return _page(page.docs, page.newest, page.oldest)


def search(journal: Journal, flt: EntryFilter, limit: int | None) -> list[Entry]:
    """Entries matching `flt`, newest first, at most `limit` (None: all)."""
    return [Entry.from_dict(d) for d in browser(journal).search(match_of(flt), limit)]


def stamp(journal: Journal) -> Stamp:
    """What changes on disk when any process changes the journal or its settings."""
    return browse_stamp(journal.layout, [journal.settings_path])


def total(journal: Journal) -> int:
    """How many entries the journal holds (from the id index; no month is read)."""
    return browser(journal).total()


def entry_by_prefix(journal: Journal, prefix: str) -> Entry:
    """The entry whose id is `prefix` or starts with it, at any length; NotFound when none
    or several do (saying how many, never which)."""
    prefix = prefix.strip()
    try:
        return journal.get(prefix)
    except NotFound:
        if not prefix:
            raise
    ids = browser(journal).ids_starting(prefix)
    if len(ids) > 1:
        raise NotFound(f"{prefix!r} is ambiguous: it matches {len(ids)} entries; give more of the id")
    if not ids:
        raise NotFound(f"no entry with id {prefix!r}")
    return journal.get(ids[0])
