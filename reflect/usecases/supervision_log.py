"""The supervision log: every meeting in a window, its totals, and each rule's check.

A rule pack is found by name among those shipped (`reflect/rules/supervision/NAME.json`)
or read from a file a person wrote; either way `supervision_rules.parse_pack` reads it
strictly. The log is built from the meeting records only: a meeting's stored agenda
(which may quote private entries) never reaches it, and the free text it does carry
(summary, competence, areas to grow, action items) is masked for identifiers by kind,
as the agenda masks the peer's words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflect.domain.supervision_rules import Check, Pack, Worked, evaluate, local_day, parse_pack

if TYPE_CHECKING:
    from reflect.domain.model import Meeting
    from reflect.store import Journal

LOG_FORMAT = "reflect-supervision-log"
LOG_VERSION = 1


class RulesError(ValueError):
    """A rule pack that cannot be used: one line naming the file (or name) and the field."""


def _shipped_dir() -> Any:
    return resources.files("reflect").joinpath("rules", "supervision")


def shipped_packs() -> list[str]:
    """The names of the rule packs that ship with reflect, sorted."""
    return sorted(p.name.removesuffix(".json") for p in _shipped_dir().iterdir() if p.name.endswith(".json"))


def is_path(spec: str) -> bool:
    """Whether `--rules` names a file (has a folder part or ends in .json) rather than a pack."""
    return "/" in spec or "\\" in spec or spec.endswith(".json")


def load_pack(spec: str) -> Pack:
    """The pack named `spec` (shipped) or in the file `spec`; `RulesError` otherwise."""
    spec = spec.strip()
    if not spec:
        raise RulesError("rules: the pack name is empty")
    if is_path(spec):
        where = f"rules file {spec}"
        try:
            text = Path(spec).expanduser().read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RulesError(f"{where}: no such file") from None
        except IsADirectoryError:
            raise RulesError(f"{where}: is a folder, not a rules file") from None
        except UnicodeDecodeError:
            raise RulesError(f"{where}: not UTF-8 text") from None
        except OSError as exc:
            raise RulesError(f"{where}: {exc.strerror or exc}") from None
    else:
        names = shipped_packs()
        if spec not in names:
            raise RulesError(
                f"rules: no pack named {spec!r} (shipped: {', '.join(names)}; or give the path of your own .json file)"
            )
        where = f"rule pack {spec}"
        text = _shipped_dir().joinpath(f"{spec}.json").read_text(encoding="utf-8")
    return parse_rules_text(text, where)


def parse_rules_text(text: str, where: str) -> Pack:
    """A pack from the text of a rules file; `where` names it in the one-line error."""
    from reflect.domain.formats import _InputError, _loads
    from reflect.domain.model import ValidationError

    try:
        data = _loads(text)
    except json.JSONDecodeError as exc:
        raise RulesError(f"{where}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except _InputError as exc:
        raise RulesError(f"{where}: {exc}") from None
    try:
        return parse_pack(data)
    except ValidationError as exc:
        raise RulesError(f"{where}: {exc}") from None
