"""Journal: the store's public API, a thin facade over parts with one job each.

`lock` (who may read or write; readiness), `migrate`, `engine` (entries: months, id
index, write intent), `tables` (stories, meetings with agendas, drafts), `importer`,
`settings`, `health` (doctor), `storage` (the one atomic write); `reflect.paths.Layout`
says where each file lives. Every operation reads its files afresh under the lock; a read
of several months sees them as they were at one instant (`snapshot`), and a save can name
the version it started from, so another process's change is never silently undone. The
store returns every entry, private ones too: what may be shown is the use cases' rule.
"""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator, Sized
from datetime import datetime
from enum import Enum
from itertools import islice
from typing import TYPE_CHECKING, Any

from reflect import paths
from reflect.domain.model import Draft, Entry, EntryFilter, Meeting, Story, ValidationError, now
from reflect.domain.settings import Settings
from reflect.store import changes, codec, encryption, inbox, migrate
from reflect.store.browse import Browser
from reflect.store.engine import Engine, stored_version
from reflect.store.errors import EntryChanged, NotFound
from reflect.store.lock import Gate
from reflect.store.settings import SettingsFile, default_peer_name
from reflect.store.storage import KEEP_BACKUPS
from reflect.store.tables import Table

if TYPE_CHECKING:  # imported where used: opening the app needs none of them (a faster start)
    from reflect.domain.growth import Goal, Rating
    from reflect.domain.import_stream import Packed
    from reflect.domain.training import Training
    from reflect.domain.worked import WorkedWeek
    from reflect.store.growth import Growth
    from reflect.store.health import Health, HealthReport
    from reflect.store.importer import ImportResult, Incoming, PackedIncoming, Progress
    from reflect.store.review_drafts import ReviewDrafts
    from reflect.store.tallies import Tallies
    from reflect.store.trainings import TrainingBook

Doc = dict[str, Any]
Bound = datetime | None
PathArg = str | os.PathLike[str] | None


class _Unchecked(Enum):
    UNCHECKED = "unchecked"


UNCHECKED = _Unchecked.UNCHECKED  # `Journal.save` without a version: last writer wins
Expected = datetime | None | _Unchecked


def _is_version(current: Doc | None, expected: datetime | None) -> bool:
    """Whether the stored document (None: there is none) is the version a save started from."""
    if current is None or expected is None:
        return current is None and expected is None
    return stored_version(current) == (expected if expected.tzinfo else expected.astimezone())


class Journal:
    """The journal of one peer worker: entries, stories, meetings, drafts and settings."""

    def __init__(self, path: PathArg = None, *, settings_path: PathArg = None, lock_timeout: float = 30.0) -> None:
        layout = paths.Layout(paths.journal_path(path))
        codec.bind(layout.main, layout.parts, layout.encryption)  # files written as its marker says
        self.layout = layout
        self.path, self.parts = layout.main, layout.parts
        self.entries_dir, self.index_dir, self.backup_dir = layout.entries_dir, layout.index_dir, layout.backup_dir
        self.drafts_path, self.meetings_path = layout.drafts, layout.meetings
        self.agendas_dir, self.pending_path = layout.agendas_dir, layout.pending
        self._settings = SettingsFile(paths.settings_path(settings_path))
        self.settings_path = self._settings.path
        self._gate = Gate(layout, timeout=lock_timeout)
        self._engine = Engine(layout, self._gate)
        backups = layout.backup_dir
        self._stories = Table(layout.main, "stories", backup_dir=backups, keep=KEEP_BACKUPS)
        self._meetings = Table(layout.meetings, "meetings", backup_dir=backups, keep=KEEP_BACKUPS, agenda_path=layout.agenda)
        self._drafts = Table(layout.drafts, "drafts", backup_dir=backups, keep=1)
        self._worked = Table(layout.main, "worked", backup_dir=backups, keep=KEEP_BACKUPS)  # hours worked, by week
        self._ratings = Table(layout.ratings, "ratings", backup_dir=backups, keep=KEEP_BACKUPS)
        self._goals = Table(layout.goals, "goals", backup_dir=backups, keep=KEEP_BACKUPS)
        target = migrate.Target(layout, self._engine.apply, self._meetings)

        def on_open() -> None:
            encryption.finish(layout)  # an `encrypt`/`decrypt` a kill interrupted
            migrate.open_journal(target)
            inbox.merge(layout, self._engine)  # entries saved before the key was unlocked

        self._gate.on_open = on_open
        self._gate.on_pending = self._engine.replay
        self._checker: Health | None = None  # made by `check`, the only one to use it

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # --- entries --------------------------------------------------------------------------

    def get(self, entry_id: str) -> Entry:
        """The entry with this id, or with this unique id prefix (as `reflect list` shows)."""
        with self._gate.reading():
            return Entry.from_dict(self._engine.find_doc(entry_id))

    def exists(self, entry_id: str) -> bool:
        with self._gate.reading():
            return self._engine.locate(entry_id) is not None

    def entry_records(
        self,
        since: Bound = None,
        until: Bound = None,
        *,
        newest_first: bool = False,
        with_text: bool = False,
        skip_damaged: list[Path] | None = None,
    ) -> Iterator[tuple[Doc, str | None]]:
        """(document, its stored JSON text, or None without `with_text`), every entry with
        `since <= occurred <= until` in time order, one month read at a time, all months as
        they were when the first item was asked for (entries moved meanwhile are seen once).
        The month files stay open until the iterator is exhausted or closed; no lock is held.

        Month files hold each entry exactly as `json.dumps(entry.to_dict(), ensure_ascii=False,
        separators=(",", ":"))` writes it, so export passes the text through as stored.

        With `skip_damaged` (a list), a month file that does not read is left out and named
        in it, so one damaged month costs a listing or an export that month only."""
        return self._engine.records(
            since, until, newest_first=newest_first, with_text=with_text, skip_damaged=skip_damaged
        )

    def entry_dicts(
        self, since: Bound = None, until: Bound = None, *, newest_first: bool = False,
        skip_damaged: list[Path] | None = None,
    ) -> Iterator[Doc]:  # fmt: skip
        """Stored entries as contract dicts, as `entry_records` selects; no objects built."""
        records = self.entry_records(since, until, newest_first=newest_first, skip_damaged=skip_damaged)
        return (doc for doc, _ in records)

    def entry_json(
        self, since: Bound = None, until: Bound = None, *, newest_first: bool = False,
        skip_damaged: list[Path] | None = None,
    ) -> Iterator[str]:  # fmt: skip
        """Stored entries as their compact JSON text (the export path), as `entry_records` selects."""
        records = self.entry_records(since, until, newest_first=newest_first, with_text=True, skip_damaged=skip_damaged)
        return (text or "" for _, text in records)

    def entries(
        self, since: Bound = None, until: Bound = None, *, newest_first: bool = False,
        skip_damaged: list[Path] | None = None,
    ) -> Iterator[Entry]:  # fmt: skip
        """Entries with `since <= occurred <= until`, in time order."""
        docs = self.entry_dicts(since, until, newest_first=newest_first, skip_damaged=skip_damaged)
        return (Entry.from_dict(doc) for doc in docs)

    def browser(self) -> Browser:
        """Pages and searches over the month files by cursor: the same cost at any depth."""
        return Browser(self.layout, self._gate.reading)

    def changed_dicts(self, after: datetime, before: datetime, *, skip_damaged: list[Path] | None = None) -> Iterator[Doc]:
        """Stored entries recorded or changed after `after` that happened before `before`
        (the late entries an agenda adds); reads only month files written since `after`.
        `skip_damaged` as in `entry_records`."""
        return changes.changed_dicts(self._engine, after, before, skip_damaged=skip_damaged)

    def missing_months(self) -> list[Path]:
        """Month files reflect wrote (`stamps.json` names each) that are gone: a read that
        cannot tell whether they held what it looks for names them (cheap: no month is read)."""
        with self._gate.reading():
            return [self.layout.month(m) for m in self._engine.missing_months(self._engine.months())]

    def entry_dicts_by_id(self, ids: list[str]) -> dict[str, Doc]:
        """The stored entries of these ids that exist, by id."""
        return changes.stored_dicts(self._engine, ids)

    def recent(self, limit: int = 50, offset: int = 0) -> list[Entry]:
        """The newest entries, newest first: reads only as many months as it needs, and
        builds objects only for the rows returned (home pages through with `offset`)."""
        page = islice(self.entry_dicts(newest_first=True), offset, offset + max(limit, 0))
        return [Entry.from_dict(doc) for doc in page]

    def find(
        self, flt: EntryFilter, *, limit: int | None = None, newest_first: bool = True,
        skip_damaged: list[Path] | None = None,
    ) -> list[Entry]:  # fmt: skip
        """Entries that pass the filter, newest first unless asked otherwise."""
        out: list[Entry] = []
        for entry in self.entries(flt.since, flt.until, newest_first=newest_first, skip_damaged=skip_damaged):
            if flt.matches(entry):
                out.append(entry)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def count(self) -> int:
        with self._gate.reading():
            return sum(len(self._engine.month_docs(m)) for m in self._engine.months())

    def default_peer(self) -> str:
        return self.settings().peer or default_peer_name()

    def save(self, entry: Entry, expected: Expected = UNCHECKED, *, overwrite: bool = False) -> Entry:
        """Insert or replace an entry by id. Sets `recorded` (first save) and `updated` (now,
        always later than the stored one: `updated` is the entry's version).

        `expected` is the version the edit started from: the `updated` of the entry as it
        was read, or None for a new entry (then no entry with its id may exist). When the
        stored entry is not that version (deleted, or saved since by another process)
        nothing is written and EntryChanged says what is there now. `overwrite=True`
        saves regardless; so does leaving `expected` out (last writer wins).

        An encrypted journal whose identity is not unlocked yet keeps a new entry in its
        inbox (store/inbox.py): a crisis is never lost to a passphrase not yet typed."""
        if expected is None and inbox.locked(self.layout):
            return inbox.drop(self.layout, self._gate, entry, self.default_peer)
        with self._gate.writing():
            if expected is not UNCHECKED and not overwrite:
                current = self._engine.get_doc(entry.id)
                if not _is_version(current, expected):
                    raise EntryChanged(entry.id, expected, None if current is None else Entry.from_dict(current))
            tallies = self.tallies()  # the per-month counts, kept current (reflect.store.tallies)
            before = tallies.idents()
            old = self._engine.save(entry, self.default_peer)
            tallies.saved(before, old, entry.to_dict())
        return entry

    def delete(self, entry_id: str) -> Entry:
        """Remove an entry; returns what was removed so a caller can say which."""
        with self._gate.writing():
            entry = self.get(entry_id)
            self._engine.apply([], [entry.id])
            return entry

    def import_records(
        self, entries: Iterable[Entry] = (), stories: Iterable[Story] = (), meetings: Iterable[Meeting] = (),
        *, replace: bool = False, dry_run: bool = False, progress: Progress | None = None,
        worked: Iterable[WorkedWeek] = (),
        trainings: Iterable[Training] = (),
        ratings: Iterable[Rating] = (),
        goals: Iterable[Goal] = (),
    ) -> ImportResult:  # fmt: skip
        """Add validated records. The same record again is a no-op; the same id with other
        content is a conflict, refused as a whole (nothing written) unless `replace`.

        Everything that needs no journal (documents, peers, months) is done before the
        lock is taken; the lock is held only to compare with the journal and write, each
        month file and index shard once. `progress(done, total)` is called now and then
        with work done out of the total (entries made ready, compared, written: three
        units per entry), last with done == total; a caller shows it as a share. Given an
        iterator rather than a collection, entries are made ready as they come (none is
        kept as an object) and the total is 0 until they have all come."""
        total = 3 * len(entries) if isinstance(entries, Sized) else 0
        if progress is not None:
            progress(0, total)
        from reflect.store.importer import prepare

        incoming = prepare(entries, self.default_peer, replace, progress, total)
        n = len(incoming.docs) + incoming.repeated
        return self._merge_import(
            incoming, n, progress, stories, meetings, replace=replace, dry_run=dry_run, worked=worked,
            trainings=trainings, ratings=ratings, goals=goals,
        )  # fmt: skip

    def import_packed(
        self, entries: Packed, stories: Iterable[Story] = (), meetings: Iterable[Meeting] = (),
        *, replace: bool = False, dry_run: bool = False, progress: Progress | None = None,
        worked: Iterable[WorkedWeek] = (),
        trainings: Iterable[Training] = (),
        ratings: Iterable[Rating] = (),
        goals: Iterable[Goal] = (),
    ) -> ImportResult:  # fmt: skip
        """`import_records` for entries read by `reflect.domain.import_stream`: validated
        and kept as their stored JSON, written into the month files as they are (never
        held as objects or encoded twice). Same merge, same one commit; `progress` counts
        from a third (the entries were made ready as they were read) to the whole."""
        from reflect.store.importer import prepare_packed

        incoming = prepare_packed(entries)
        return self._merge_import(
            incoming, len(entries), progress, stories, meetings, replace=replace, dry_run=dry_run, worked=worked,
            trainings=trainings, ratings=ratings, goals=goals,
        )  # fmt: skip

    def _merge_import(
        self, incoming: Incoming | PackedIncoming, n: int, progress: Progress | None, stories: Iterable[Story],
        meetings: Iterable[Meeting], *, replace: bool, dry_run: bool, worked: Iterable[WorkedWeek],
        trainings: Iterable[Training], ratings: Iterable[Rating], goals: Iterable[Goal],
    ) -> ImportResult:  # fmt: skip
        """The locked part of an import of `n` entries made ready: compare and write (the
        second and third of the three progress units per entry)."""
        from reflect.store.importer import merge
        from reflect.store.trainings import trainings_table

        report = progress or (lambda done, total: None)
        total = 3 * n
        report(n, total)
        with self._gate.writing():
            result = merge(
                self._engine, self._stories, self._meetings, incoming, stories, meetings,
                replace=replace, dry_run=dry_run, progress=lambda k: report(n + k, total),
                worked=worked, worked_table=self._worked,
                trainings=(trainings_table(self.layout), trainings),
                others=(("ratings", self._ratings, ratings), ("goals", self._goals, goals)),
            )  # fmt: skip
        report(total, total)
        return result

    # --- stories, meetings, drafts ----------------------------------------------------------

    def stories(self, *, include_retired: bool = True) -> list[Story]:
        with self._gate.reading():
            docs = self._stories.docs()
        stories = [s for s in (Story.from_dict(d) for d in docs) if include_retired or not s.retired]
        return sorted(stories, key=lambda s: (s.retired, s.title.casefold()))

    def get_story(self, story_id: str) -> Story:
        for story in self.stories():
            if story.id == story_id:
                return story
        raise NotFound(f"no story with id {story_id!r}")

    def save_story(self, story: Story) -> Story:
        doc = Story.from_dict(story.to_dict()).to_dict()
        with self._gate.writing():
            self._stories.put(doc)
        return story

    def meetings(self, peer: str | None = None, *, with_agenda: bool = False) -> list[Meeting]:
        """Recorded supervision meetings, oldest first. Each agenda is read only with
        `with_agenda` (export, the meeting record): preparing a review should not parse
        years of agendas."""
        with self._gate.reading():
            docs = self._meetings.docs()
            if with_agenda:
                docs = self._meetings.with_agendas(docs)
        out = [m for m in (Meeting.from_dict(d) for d in docs) if not peer or m.peer == peer]
        return sorted(out, key=lambda m: m.held)

    def meeting_dicts(self, peer: str | None = None) -> list[Doc]:
        """Stored meetings as contract dicts (`Meeting.to_dict()` shape, agenda None), in
        table order, no objects built: for readers of many meetings (the supervision log)."""
        with self._gate.reading():
            docs = self._meetings.docs()
        return [d for d in docs if not peer or d.get("peer") == peer]

    def review_meetings(self) -> list[Meeting]:
        """The meetings a review needs, oldest first: each peer's last, and every meeting
        with an action still open, chosen from the stored documents before any is built."""
        with self._gate.reading():
            from reflect.store.queries import for_review

            docs = for_review(self._meetings.docs())
        return sorted((Meeting.from_dict(d) for d in docs), key=lambda m: m.held)

    def get_meeting(self, meeting_id: str) -> Meeting:
        """One meeting with its agenda as it was."""
        for meeting in self.meetings():
            if meeting.id == meeting_id:
                with self._gate.reading():
                    meeting.agenda = self._meetings.agenda(meeting_id)
                return meeting
        raise NotFound(f"no meeting with id {meeting_id!r}")

    def last_meeting(self, peer: str | None = None) -> Meeting | None:
        found = self.meetings(peer)
        return found[-1] if found else None

    def save_meeting(self, meeting: Meeting) -> Meeting:
        """Insert or replace a meeting by id. A meeting saved with no agenda keeps the one
        stored (what was on the table does not change when an action is later marked done)."""
        doc = Meeting.from_dict(meeting.to_dict()).to_dict()
        with self._gate.writing():
            self._meetings.put(doc)
        return meeting

    def set_action_done(self, meeting_id: str, action_id: str, done: bool = True) -> Meeting:
        with self._gate.writing():
            for meeting in self.meetings():
                if meeting.id == meeting_id:
                    for action in meeting.actions:
                        if action.id == action_id:
                            action.done = done
                            return self.save_meeting(meeting)
            raise NotFound(f"no action {action_id!r} in meeting {meeting_id!r}")

    def change_meeting(self, meeting_id: str, change: Callable[[Meeting], Meeting]) -> Meeting:
        """Read one meeting (without its agenda, which stays as stored), `change` it and save
        it, under one exclusive lock: an attestation binds to exactly the record it read."""
        with self._gate.writing():
            for meeting in self.meetings():
                if meeting.id == meeting_id:
                    return self.save_meeting(change(meeting))
            raise NotFound(f"no meeting with id {meeting_id!r}")

    def worked(self, peer: str | None = None) -> list[WorkedWeek]:
        """Hours worked by week, oldest week first (one peer's with `peer`)."""
        with self._gate.reading():
            docs = self._worked.docs()
        from reflect.domain.worked import WorkedWeek

        out = [w for w in (WorkedWeek.from_dict(d) for d in docs) if peer is None or w.peer == peer]
        return sorted(out, key=lambda w: w.week)

    def save_worked(self, worked: WorkedWeek) -> WorkedWeek:
        """Record one peer's hours for one week, over any record of that peer and week."""
        from reflect.domain.worked import WorkedWeek

        with self._gate.writing():
            for doc in self._worked.docs():
                if doc.get("peer") == worked.peer and doc.get("week") == worked.week.isoformat():
                    worked.id = doc["id"]
            self._worked.put(WorkedWeek.from_dict(worked.to_dict()).to_dict())
        return worked

    def trainings(self) -> TrainingBook:
        """Continuing education: the trainings and the certificate files kept for them."""
        from reflect.store.trainings import TrainingBook

        return TrainingBook(self.layout, self._gate)

    def growth(self) -> Growth:
        """Competency ratings and development goals (`reflect.store.growth`)."""
        from reflect.store.growth import Growth

        return Growth(self._gate, self._ratings, self._goals)

    def tallies(self) -> Tallies:
        """Per-month counts of the entries, kept between runs (`reflect.store.tallies`)."""
        from reflect.store.tallies import Tallies

        return Tallies(self.layout, self._gate, self._engine.months())

    def review_drafts(self) -> ReviewDrafts:
        """Reviews in progress, one per peer, offered back when that peer's review opens."""
        from reflect.store.review_drafts import ReviewDrafts

        return ReviewDrafts(self.layout, self._gate)

    def drafts(self) -> list[Draft]:
        """Encounters in progress, newest first (a draft that does not read is left for doctor)."""
        with self._gate.reading():
            docs = self._drafts.docs()
        out = []
        for doc in reversed(docs):  # ties: last saved first
            try:
                out.append(Draft.from_dict(doc))
            except ValidationError:
                continue
        return sorted(out, key=lambda d: d.saved, reverse=True)

    def save_draft(self, draft: Draft) -> Draft:
        """Saved last in the file, so file order is save order (`saved` has whole seconds)."""
        draft.saved = now()
        doc = draft.to_dict()
        with self._gate.writing():
            self._drafts.put(doc, to_end=True)
        return draft

    def discard_draft(self, draft_id: str) -> None:
        with self._gate.writing():
            self._drafts.remove(draft_id)

    # --- settings and health ----------------------------------------------------------------

    def settings(self) -> Settings:
        return self._settings.read()

    def set_encryption(self, recipient: str | None) -> encryption.Converted:
        """Encrypt every file of the journal to `recipient`, or decrypt them all (None; the
        identity unlocked first), under the exclusive lock; crash-safe (store/encryption.py)."""
        with self._gate.writing():
            return encryption.convert(self.layout, recipient)

    def save_settings(self, settings: Settings) -> Settings:
        with self._gate.locked(True):
            self._settings.write(settings)
        return settings

    def check(self, *, repair: bool = False) -> HealthReport:
        """Read every file; report what is wrong; with `repair`, put right what can be."""
        return self._health.check(repair=repair)

    @property
    def _health(self) -> Health:
        """The doctor, made (and its module imported) on first use."""
        if self._checker is None:
            from reflect.store.health import Health

            self._checker = Health(self._gate, self._engine, self._settings, self._stories, self._meetings, self._drafts)
        return self._checker
