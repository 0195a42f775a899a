"""Small tables (stories, meetings, drafts): one way to keep a few documents keyed by id.

Each lives in a TinyDB-shaped file (an object of tables, each an object of documents
keyed "1", "2", ...), read whole and written whole through `atomic_write` on every
change, under the journal's lock: the files stay small, so no engine is needed. A
table may keep each document's agenda in a file of its own (meetings), so listing the
table never parses years of agendas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reflect.store.storage import CorruptFile, dumps, read_json, read_tables, write_json

Doc = dict[str, Any]


def next_key(rows: dict[str, Any]) -> str:
    """The key TinyDB would give the next document of a table: one past the largest."""
    return str(max((int(k) for k in rows), default=0) + 1)


def split_agenda(doc: Doc) -> tuple[Doc, Doc | None]:
    """A meeting document as its table holds it (agenda None) and the agenda kept apart."""
    return dict(doc, agenda=None), doc.get("agenda")


def read_agenda_file(path: Path) -> Doc | None:
    """A meeting's agenda as it was: a plain JSON object (not a TinyDB file)."""
    data = read_json(path)
    if data is not None and not isinstance(data, dict):
        raise CorruptFile(path, "not an agenda (expected a JSON object)")
    return data


class Table:
    """One table `name` of the file at `path`, whose other tables are kept as they are.

    `agenda_path`, when given, names the file each document's agenda is kept in
    (meetings); documents are then written with `agenda: None` and their agenda apart.
    """

    def __init__(
        self,
        path: Path,
        name: str,
        *,
        backup_dir: Path,
        keep: int,
        agenda_path: Callable[[str], Path] | None = None,
    ):
        self.path = path
        self.name = name
        self.backup_dir = backup_dir
        self.keep = keep
        self.agenda_path = agenda_path

    # --- reading (lock held by the caller) -------------------------------------------------

    def load(self) -> dict[str, Any]:
        """The whole file as parsed ({} when missing)."""
        return read_tables(self.path) or {}

    def rows(self, data: dict[str, Any] | None = None) -> dict[str, Doc]:
        """This table's documents by key, from `data` (the file read whole) or from disk."""
        return dict(((self.load() if data is None else data).get(self.name)) or {})

    def docs(self) -> list[Doc]:
        return list(self.rows().values())

    def agenda(self, doc_id: str) -> Doc | None:
        return read_agenda_file(self.agenda_path(doc_id)) if self.agenda_path else None

    def with_agendas(self, docs: Iterable[Doc]) -> list[Doc]:
        return [dict(d, agenda=self.agenda(d.get("id", ""))) for d in docs]

    # --- writing (exclusive lock held by the caller) ---------------------------------------

    def write(self, data: dict[str, Any], rows: dict[str, Doc]) -> None:
        """Replace this table in `data` (the file read whole) with `rows`, and write it."""
        data[self.name] = rows
        write_json(self.path, data, backup_dir=self.backup_dir, keep=self.keep)

    def write_agenda(self, doc_id: str, agenda: Doc) -> None:
        if self.agenda_path is not None:
            write_json(self.agenda_path(doc_id), agenda, backup_dir=self.backup_dir, keep=1)

    def staged(self, data: dict[str, Any], rows: dict[str, Doc]) -> tuple[Path, bytes, int]:
        """`write` as a file of a larger write (path, bytes, backups kept), for `Engine.apply`
        to commit with the rest: an import's entries, stories and meetings land together."""
        data[self.name] = rows
        return self.path, dumps(data), self.keep

    def staged_agenda(self, doc_id: str, agenda: Doc) -> list[tuple[Path, bytes, int]]:
        return [] if self.agenda_path is None else [(self.agenda_path(doc_id), dumps(agenda), 1)]

    def place(self, rows: dict[str, Doc], doc: Doc, *, to_end: bool = False) -> Doc:
        """Put `doc` into `rows` by its id: over the stored one where it is (TinyDB's upsert),
        or, `to_end`, removed and added last (file order is then save order). Returns the
        document as the table holds it; its agenda, if any, is the caller's to write."""
        stored, _ = split_agenda(doc) if self.agenda_path else (doc, None)
        key = next((k for k, v in rows.items() if v.get("id") == doc["id"]), None)
        if key is not None and to_end:
            del rows[key]
            key = None
        if key is None:
            rows[next_key(rows)] = stored
        else:
            rows[key] = dict(rows[key], **stored)
        return stored

    def put(self, doc: Doc, *, to_end: bool = False) -> None:
        """Insert or replace `doc` by id. An agenda given is written to its own file; none
        given keeps the one already stored."""
        data = self.load()
        rows = self.rows(data)
        self.place(rows, doc, to_end=to_end)
        agenda = doc.get("agenda") if self.agenda_path else None
        if agenda is not None:
            self.write_agenda(doc["id"], agenda)
        self.write(data, rows)

    def remove(self, doc_id: str) -> None:
        """Remove the document with this id; a missing file stays missing."""
        if not self.path.exists():
            return
        data = self.load()
        self.write(data, {k: v for k, v in self.rows(data).items() if v.get("id") != doc_id})

    def replace_all(self, docs: Iterable[Doc]) -> None:
        """The file holds exactly `docs` in this table, keyed 1..n (the schema upgrade)."""
        rows: dict[str, Doc] = {}
        for doc in docs:
            stored, agenda = split_agenda(doc) if self.agenda_path else (doc, None)
            if agenda is not None:
                self.write_agenda(stored["id"], agenda)
            rows[next_key(rows)] = stored
        self.write({}, rows)
