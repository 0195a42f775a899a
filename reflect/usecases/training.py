"""Continuing education: adding, changing and removing trainings, their certificates, and
where the peer stands against their board's renewal rules.

Input is checked by the record's declarations (`Training.from_dict`) before anything is
written; a category must be one the rules know (the general ones, every shipped pack's,
and the chosen pack's), so a typo does not quietly count toward nothing. Rule packs are
chosen by name (shipped) or by a file's path; `load_rules` reads either.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflect.domain.fields import ValidationError
from reflect.domain.training import MAX_CERTIFICATE_BYTES, Training
from reflect.domain.training_rules import (
    RulePack,
    RulesError,
    Status,
    is_pack_name,
    known_categories,
    parse_pack,
    shipped_names,
    shipped_pack,
    status,
)
from reflect.usecases.growth import LooksIdentifying as LooksIdentifying  # noqa: F401 - what add and edit refuse with
from reflect.usecases.growth import identifier_check as identifier_check_texts

if TYPE_CHECKING:
    from reflect.store import Journal

MAX_PACK_BYTES = 256 * 1024  # a rule pack is a page of JSON


@dataclass(frozen=True)
class Rules:
    """A rule pack and how settings keep the choice (its name, or its file's full path)."""

    pack: RulePack
    setting: str


def load_rules(value: str, option: str = "training_rules") -> Rules:
    """The rule pack `value` names: a shipped pack by name (`pa-cps`), or a pack file by
    its path. `RulesError` (a ValidationError) says what is wrong, naming `option`."""
    value = value.strip()
    if is_pack_name(value) and not Path(value).is_file():
        if value not in shipped_names():
            raise RulesError(option, f"no rule pack named {value!r} (shipped: {', '.join(shipped_names())}; or give a file)")
        return Rules(shipped_pack(value), value)
    path = Path(value).expanduser()
    try:
        if path.stat().st_size > MAX_PACK_BYTES:
            raise RulesError(option, f"{path}: larger than {MAX_PACK_BYTES // 1024} KB, not a rule pack")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(option, f"{path}: no such file (shipped packs: {', '.join(shipped_names())})") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise RulesError(option, f"{path}: cannot be read ({reason})") from None
    return Rules(parse_pack(text, str(path)), str(path.resolve()))


def chosen_rules(journal: Journal, override: str | None = None) -> Rules:
    """`override` (--rules), else the `training_rules` setting; none is a ValidationError."""
    if override is not None and override.strip():
        return load_rules(override, "--rules")
    setting = journal.settings().training_rules
    if not setting:
        raise ValidationError(
            "training_rules", "no rules chosen: `reflect config training_rules NAME` or --rules NAME|FILE "
            f"(shipped: {', '.join(shipped_names())})",
        )  # fmt: skip
    return load_rules(setting)


def categories(journal: Journal) -> tuple[str, ...]:
    """The categories a training may be put in: the general ones, the shipped packs', and
    the chosen pack's when one is chosen and reads."""
    pack = None
    setting = journal.settings().training_rules
    if setting:
        try:
            pack = load_rules(setting).pack
        except ValidationError:
            pack = None
    return known_categories(pack)


def _check_category(journal: Journal, category: str) -> None:
    known = categories(journal)
    if category not in known:
        raise ValidationError("category", f"{category!r} is not a category your rules know (known: {', '.join(known)})")


def check_certificate(data: bytes) -> bytes:
    if not data:
        raise ValidationError("certificate", "the file is empty")
    if len(data) > MAX_CERTIFICATE_BYTES:
        raise ValidationError(
            "certificate", f"the file is larger than {MAX_CERTIFICATE_BYTES // (1024 * 1024)} MB; keep a smaller scan or a PDF"
        )  # fmt: skip
    return data


def trainings(journal: Journal) -> list[Training]:
    """Every training, oldest first."""
    return journal.trainings().all()


def certificates_kept(journal: Journal, rows: list[Training]) -> set[str]:
    """The ids among `rows` whose certificate file is in this journal."""
    return journal.trainings().files_kept(rows)


def get(journal: Journal, training_id: str) -> Training:
    if not training_id.strip():
        raise ValidationError("", "ID is empty: give a training's id or the start of it (see `reflect training list`)")
    return journal.trainings().get(training_id)


def identifier_check(training: Training, certificate: tuple[str, bytes] | None = None) -> None:
    """`LooksIdentifying` (by field and kind, never the value) when the title, provider,
    notes or certificate's file name look like they hold an identifier, as an entry's text
    is checked: a training is the peer's own, but a phone number or a name in its notes
    would travel with every export and portfolio."""
    name = certificate[0] if certificate is not None else (training.certificate.name if training.certificate else "")
    texts = {"title": training.title, "provider": training.provider, "notes": training.notes, "certificate": name}
    identifier_check_texts(texts)


def add(
    journal: Journal, fields: dict[str, Any], certificate: tuple[str, bytes] | None = None, *, anyway: bool = False
) -> Training:
    """A new training from its fields (`title`, `provider`, `date`, `hours`, `category`,
    `tags`, `notes`), with the certificate file (name, bytes) kept if given. Text that
    looks like an identifier is refused (`LooksIdentifying`) unless `anyway`."""
    training = Training.from_dict({k: v for k, v in fields.items() if v is not None and k != "id"})
    _check_category(journal, training.category)
    if not anyway:
        identifier_check(training, certificate)
    return _save(journal, training, certificate)


def edit(
    journal: Journal, training_id: str, changes: dict[str, Any], certificate: tuple[str, bytes] | None = None,
    *, drop_certificate: bool = False, anyway: bool = False,
) -> Training:  # fmt: skip
    """The training with these fields changed (the others as they were), saved. A changed
    text that looks like an identifier is refused (`LooksIdentifying`) unless `anyway`."""
    old = get(journal, training_id)
    data = old.to_dict()
    data.update({k: v for k, v in changes.items() if v is not None})
    if drop_certificate:
        data["certificate"] = None
    training = Training.from_dict(data)
    if training.category != old.category:
        _check_category(journal, training.category)
    if not anyway:
        given = {k: str(changes[k]) for k in ("title", "provider", "notes") if changes.get(k) is not None}
        identifier_check_texts({**given, "certificate": certificate[0] if certificate is not None else ""})
    return _save(journal, training, certificate)


def _save(journal: Journal, training: Training, certificate: tuple[str, bytes] | None) -> Training:
    from reflect.store.trainings import certificate_of

    data = None
    if certificate is not None:
        name, data = certificate[0], check_certificate(certificate[1])
        training.certificate = certificate_of(os.path.basename(name) or "certificate", data)
        training = Training.from_dict(training.to_dict())  # the name checked like an imported one
    return journal.trainings().save(training, data)


def delete(journal: Journal, training: Training) -> Training:
    return journal.trainings().delete(training.id)


def certificate(journal: Journal, training_id: str) -> tuple[Training, bytes]:
    """A training and its certificate's bytes, as they were added."""
    get(journal, training_id)
    return journal.trainings().certificate(training_id)


def current_status(
    journal: Journal, *, rules: str | None = None, certified_on: date | None = None, today: date | None = None
) -> Status:
    """Where the peer stands in the current renewal cycle of their rules (`rules` overrides
    the setting, `certified_on` the setting, `today` the clock)."""
    chosen = chosen_rules(journal, rules)
    day = certified_on if certified_on is not None else journal.settings().certified_day()
    return status(chosen.pack, trainings(journal), day, today or date.today())
