"""The settings file: read, checked, and written with backups like every journal file.

It lives apart from the journal (under `$XDG_CONFIG_HOME`), so it has its own backups
folder; what a valid setting is belongs to `Settings.from_dict`.
"""

from __future__ import annotations

from pathlib import Path

from reflect import paths
from reflect.domain.model import ValidationError
from reflect.domain.settings import Settings
from reflect.store.errors import JournalCorrupt, JournalError
from reflect.store.storage import KEEP_BACKUPS, CorruptFile, read_json, write_json


def default_peer_name() -> str:
    import getpass  # here: it imports termios, which opening the app does not need

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return ""


class SettingsFile:
    def __init__(self, path: Path):
        self.path = path
        self.backup_dir = paths.settings_backup_dir(path)

    def read(self) -> Settings:
        try:
            data = read_json(self.path)
        except CorruptFile as exc:
            raise JournalCorrupt(exc.path, exc.reason) from None
        if data is None:
            return Settings()
        try:
            return Settings.from_dict(data)
        except ValidationError as exc:
            raise JournalError(
                f"{self.path}: {exc}; it was left untouched. Correct it, or run "
                "`reflect doctor --repair` to restore its last good copy"
            ) from None

    def write(self, settings: Settings) -> None:
        """Validated first: a setting `from_dict` refuses is never written (lock held)."""
        doc = Settings.from_dict(settings.to_dict()).to_dict()
        write_json(self.path, doc, backup_dir=self.backup_dir, keep=KEEP_BACKUPS)

    @staticmethod
    def problem(path: Path) -> str | None:
        """Why a settings file (or a backup of it) cannot be used, or None when it reads."""
        try:
            data = read_json(path)
            if data is not None:
                Settings.from_dict(data)
        except CorruptFile as exc:
            return exc.reason
        except ValidationError as exc:
            return str(exc)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None
