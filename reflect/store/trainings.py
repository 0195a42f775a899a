"""Trainings and their certificates: one small table, and one file per certificate kept.

The table (`trainings.json` beside the meetings) is written whole through `atomic_write`
under the journal's exclusive lock, like the stories. A certificate is the bytes of the
file the person added, kept as `certificates/<hash of the training's id>` through the
same `atomic_write` and read back through `read_bytes`, so it is kept (and, where the
journal is encrypted, encrypted) like every other journal file. The record holds its
name, size and SHA-256; a certificate read back that does not match them is reported,
never handed out as if it were the one added.

The Journal facade reaches it as `journal.trainings()`.
"""

from __future__ import annotations

import hashlib
import os

from reflect.domain.training import Certificate, Training
from reflect.paths import Layout
from reflect.store.errors import JournalError, NotFound
from reflect.store.lock import Gate
from reflect.store.storage import KEEP_BACKUPS, atomic_write, fsync_dir, read_bytes
from reflect.store.tables import Table


def trainings_table(layout: Layout) -> Table:
    """The trainings table of a journal (the importer merges into it too)."""
    return Table(layout.trainings, "trainings", backup_dir=layout.backup_dir, keep=KEEP_BACKUPS)


def certificate_of(name: str, data: bytes) -> Certificate:
    """What identifies a certificate file: its name, size and SHA-256."""
    return Certificate(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())


class TrainingBook:
    """The trainings of one journal, and the certificate files kept for them."""

    def __init__(self, layout: Layout, gate: Gate) -> None:
        self.layout = layout
        self._gate = gate
        self._table = trainings_table(layout)

    def all(self) -> list[Training]:
        """Every training, oldest first (ties by title)."""
        with self._gate.reading():
            docs = self._table.docs()
        return sorted((Training.from_dict(d) for d in docs), key=lambda t: (t.date, t.title.casefold(), t.id))

    def get(self, training_id: str) -> Training:
        """The training with this id, or with this unique start of it."""
        found = self.all()
        exact = [t for t in found if t.id == training_id]
        matches = exact or ([t for t in found if t.id.startswith(training_id)] if training_id else [])
        if len(matches) > 1:
            raise NotFound(f"that id matches {len(matches)} trainings; give more of it")
        if not matches:
            raise NotFound("no training with that id (see `reflect training list`)")  # never the value typed
        return matches[0]

    def files_kept(self, trainings: list[Training]) -> set[str]:
        """The ids of these trainings whose certificate file is in this journal (a record
        imported from another journal names its certificate without bringing the file)."""
        with self._gate.reading():
            return {t.id for t in trainings if t.certificate is not None and self.layout.certificate(t.id).is_file()}

    def save(self, training: Training, certificate: bytes | None = None) -> Training:
        """Insert or replace a training by id. With `certificate` (the file's bytes), the
        file is kept first and the record then names it (`training.certificate` must be
        `certificate_of` those bytes), so a record never names a file that is not there."""
        doc = Training.from_dict(training.to_dict()).to_dict()
        if certificate is not None:
            if training.certificate is None or training.certificate != certificate_of(training.certificate.name, certificate):
                raise ValueError("the training's certificate does not describe the bytes given")
        with self._gate.writing():
            if certificate is not None:
                path = self.layout.certificate(training.id)
                atomic_write(path, certificate)
            self._table.put(doc)
            if training.certificate is None:
                self._remove_file(training.id)
        return training

    def delete(self, training_id: str) -> Training:
        """Remove a training and its certificate file; returns what was removed."""
        with self._gate.writing():
            training = self.get(training_id)
            self._table.remove(training.id)
            self._remove_file(training.id)
        return training

    def certificate(self, training_id: str) -> tuple[Training, bytes]:
        """A training and its certificate's bytes, checked against the record. A training
        with none kept, or whose file is gone or changed, is a JournalError saying which."""
        training = self.get(training_id)
        meta = training.certificate
        if meta is None:
            raise NotFound(f"training {training.id} has no certificate kept")
        with self._gate.reading():
            data = read_bytes(self.layout.certificate(training.id))
        if data is None:
            raise JournalError(
                f"training {training.id}: its certificate file is not in this journal "
                "(a record imported from another journal brings its details, not the file)"
            )
        if hashlib.sha256(data).hexdigest() != meta.sha256 or len(data) != meta.size:
            raise JournalError(f"training {training.id}: the certificate file kept does not match its record (damaged?)")
        return training, data

    def _remove_file(self, training_id: str) -> None:
        path = self.layout.certificate(training_id)
        try:
            os.unlink(path)
        except FileNotFoundError:
            return
        fsync_dir(path.parent)
