"""An entry an import writes as the bytes it is stored as (see `reflect.domain.import_stream`).

Its own module, imported by the importer: the engine only passes these along beside
documents, and opening the app, which imports the engine, imports nothing it does not use
(a slotted frozen dataclass is about 2 ms of a start).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PackedPut:
    """An entry to write as the compact JSON it is stored as (an import's: see
    `reflect.domain.import_stream`), with what the write needs to know of it."""

    id: str
    month: str
    text: bytes  # the stored document, UTF-8: exactly `dumps` of it
    updated: str  # its `updated` stamp, as stored
