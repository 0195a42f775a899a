"""A training: one course or event of continuing education, as a renewal board asks for it.

Boards ask for the title, the provider, the date, the hours and the category, and for
the certificate on request (domain.md, "Continuing education"; random audits are
common). A training is about the peer's own learning, never about the people they
serve, so it has no private flag. The certificate itself is a file kept in the journal's
folder; the record holds what identifies that file (name, size, SHA-256), so an export
says which certificate belongs to which course without carrying the file.

Categories are short lowercase words. The rule packs (`reflect/rules/training/`) name
the ones they count; `GENERAL_CATEGORIES` are offered whatever the pack. A record
accepts any such word, so a journal written with a person's own pack imports anywhere.

Pure: no textual, no tinydb, no disk.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from reflect.domain.fields import (
    COUNT,
    DATE,
    HOURS,
    TEXT,
    Record,
    ValidationError,
    _join,
    _str,
    declare,
    ident,
    record,
    str_list,
    sub,
    text,
)

#: Offered whatever the rule pack: ethics, peer- or recovery-specific, and anything else
#: (elective). `supervision` and `cultural` are common extra asks of employers and boards.
GENERAL_CATEGORIES: tuple[str, ...] = ("ethics", "peer", "elective", "cultural", "supervision")

CATEGORY_PATTERN = r"^[a-z][a-z0-9-]{0,39}$"
_CATEGORY = re.compile(CATEGORY_PATTERN)
SHA256_PATTERN = r"^[0-9a-f]{64}$"
_SHA256 = re.compile(SHA256_PATTERN)
MAX_CERTIFICATE_BYTES = 20 * 1024 * 1024  # a scan or a PDF; a larger file is not a certificate


def check_category(value: Any, path: str = "category") -> str:
    """A category: a short lowercase word (letters, digits, hyphens), e.g. `ethics`."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(path, "required: the training's category (e.g. ethics, peer, elective)")
    word = value.strip()
    if not _CATEGORY.match(word):
        raise ValidationError(
            path, "expected a short lowercase word of letters, digits and hyphens (e.g. ethics, peer, elective)"
        )
    return word


def _parse_category(d: dict[str, Any], key: str, path: str) -> str:
    return check_category(d.get(key), _join(path, key))


def _parse_sha256(d: dict[str, Any], key: str, path: str) -> str:
    value = _str(d, key, path)
    if not _SHA256.match(value):
        raise ValidationError(_join(path, key), "expected a SHA-256 digest: 64 lowercase hexadecimal digits")
    return value


def _parse_name(d: dict[str, Any], key: str, path: str) -> str:
    """A file's name, as it was given: no folders, one line."""
    value = _str(d, key, path).strip()
    if not value or "/" in value or "\\" in value or any(ord(c) < 32 for c in value) or len(value) > 255:
        raise ValidationError(_join(path, key), "expected a file name (one line, no folders, at most 255 characters)")
    return value


@record("a certificate", order=("name", "size", "sha256"))
class Certificate(Record):
    """The certificate file kept for a training: what identifies it, not its bytes."""

    name: str = text("File name", parse=_parse_name, help="the file's name as it was added")
    size: int = declare(COUNT, default=0, label="Size", help="bytes")
    sha256: str = text("SHA-256", parse=_parse_sha256, help="the file's SHA-256 digest, hexadecimal")


@record(
    "a training",
    order=("id", "title", "provider", "date", "hours", "category", "tags", "certificate", "notes"),
)
class Training(Record):
    """One course, workshop, webinar or conference session of continuing education."""

    title: str = declare(TEXT, label="Title", required="required: the training's title", help="as on the certificate")
    provider: str = declare(
        TEXT, label="Provider", required="required: who gave the training", help="the organisation or trainer"
    )  # fmt: skip
    date: dt.date = declare(DATE, label="Date", required="required: the day the training was completed")
    hours: float = declare(
        HOURS, label="Hours", required="required: the hours of credit (e.g. 1.5)",
        help="hours of credit, in quarter-hour steps",
    )  # fmt: skip
    category: str = declare(
        TEXT, default="", label="Category", parse=_parse_category,
        help="a short lowercase word: ethics, peer, elective, or one your rules name",
    )  # fmt: skip
    id: str = ident()
    tags: list[str] = str_list(
        "Tags", help="words a rule pack may count by, e.g. `network` for the Georgia network's events"
    )  # fmt: skip
    certificate: Certificate | None = sub(Certificate, "Certificate", optional=True, help="the certificate kept, if any")
    notes: str = text("Notes", help="anything else worth keeping (a CEU number, an approval code)")

    def course_key(self) -> tuple[str, str]:
        """The same course: title and provider, case and spacing aside."""
        return (" ".join(self.title.casefold().split()), " ".join(self.provider.casefold().split()))
