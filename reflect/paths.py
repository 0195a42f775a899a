"""The one place that decides where reflect keeps its files.

Defaults follow the XDG base directories; `--db PATH` or `REFLECT_DB` override the
journal file, and `REFLECT_CONFIG` the settings file (tests set both).
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "reflect"


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var, "").strip()
    return Path(value) if value else Path.home() / fallback


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / APP


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / APP


def journal_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The journal's main file: `--db`, else `REFLECT_DB`, else the XDG default."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("REFLECT_DB", "").strip()
    if env:
        return Path(env).expanduser()
    return data_dir() / "journal.json"


def settings_path(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get("REFLECT_CONFIG", "").strip()
    if env:
        return Path(env).expanduser()
    return config_dir() / "settings.json"


def parts_dir(journal: Path) -> Path:
    """Folder beside the main file holding the monthly entry files, index, drafts and backups."""
    return journal.with_name(journal.name + ".d")


def lock_path(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")
