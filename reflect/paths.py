"""The one place that decides where reflect keeps its files.

Defaults follow the XDG base directories; `--db PATH` or `REFLECT_DB` override the
journal file, `REFLECT_CONFIG` the settings file (tests set both), and `REFLECT_IDENTITY`
the age identity file.
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


class JournalPathError(ValueError):
    """The journal's location was given but is empty. `REFLECT_DB=$TYPO reflect import` must
    not quietly mean the default journal: a script would write into the person's own."""


def journal_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The journal's main file: `--db` (`override`), else `REFLECT_DB`, else the XDG default.
    JournalPathError when the one that decides is given but empty."""
    if override is not None:
        if not os.fspath(override).strip():
            raise JournalPathError("--db: the journal path is empty")
        return Path(override).expanduser()
    if "REFLECT_DB" in os.environ:
        env = os.environ["REFLECT_DB"].strip()
        if not env:
            raise JournalPathError(
                "REFLECT_DB is set but empty: give it a journal path, or unset it to use the default journal"
            )
        return Path(env).expanduser()
    return data_dir() / "journal.json"


def settings_path(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get("REFLECT_CONFIG", "").strip()
    if env:
        return Path(env).expanduser()
    return config_dir() / "settings.json"


def identity_path(settings: Path | None = None) -> Path:
    """The person's age identity (passphrase-encrypted): `REFLECT_IDENTITY`, else beside the
    settings file, in the config folder: apart from the journal's data, as HHS asks of a
    key, so a copy of the data folder alone opens nothing. Its public key goes beside it
    in `identity.pub`."""
    env = os.environ.get("REFLECT_IDENTITY", "").strip()
    if env:
        return Path(env).expanduser()
    return (settings if settings is not None else settings_path()).with_name("identity.age")


def public_key_path(identity: Path) -> Path:
    """The plain recipients file beside an identity: its public key, readable with no passphrase."""
    return identity.with_suffix(".pub")


def keyring_flag_path(identity: Path) -> Path:
    """A plain file beside the identity saying the person chose to keep its passphrase in
    the OS keyring (`reflect passphrase --remember`); without it the keyring is never asked."""
    return identity.with_suffix(".keyring")


def identity_backup_path(identity: Path) -> Path:
    """The sealed identity as it was, kept while `reflect passphrase` replaces it."""
    return identity.with_name(identity.name + ".previous")


def conversion_backup_dir(journal: Path) -> Path:
    """A copy of the journal's files kept while `reflect encrypt`/`decrypt` converts them."""
    return journal.with_name(f"{journal.name}.converting-backup")


def parts_dir(journal: Path) -> Path:
    """Folder beside the main file holding the monthly entry files, index, drafts and backups."""
    return journal.with_name(journal.name + ".d")


def lock_path(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


def editor_temp_dir() -> Path:
    """Where the `$EDITOR` file of a long field goes: `$XDG_RUNTIME_DIR` when it is a folder
    (private to the user, and usually in memory), else the system temp folder."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    if runtime and Path(runtime).is_dir():
        return Path(runtime)
    import tempfile

    return Path(tempfile.gettempdir())


# --- names inside the journal's folders ---------------------------------------------------

TEMP_SUFFIX = ".tmp"


def temp_path(path: Path, pid: int, thread: int) -> Path:
    """The temp file a write of `path` goes to before its rename: `.NAME.PID.TID.tmp`
    (created exclusively and never through a link; see `reflect.store.storage`)."""
    return path.with_name(f".{path.name}.{pid}.{thread}{TEMP_SUFFIX}")


def is_temp_name(name: str) -> bool:
    """Names `temp_path` gives: a leftover one is a write a killed process never finished."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def backup_name(path: Path, n: int) -> str:
    """Backup `n` of `path`: `NAME.N`. 1 is a copy of the file as last written, 2 the
    version before it, and so on."""
    return f"{path.name}.{n}"


def corrupt_path(path: Path, stamp: str) -> Path:
    """Where a file that does not parse is set aside by a repair: `NAME.corrupt-STAMP`."""
    return path.with_name(f"{path.name}.corrupt-{stamp}")


def settings_backup_dir(settings: Path) -> Path:
    return settings.parent / "backups"


def schema_backup_dir(journal: Path, version: int, stamp: str) -> Path:
    """The full copy taken before upgrading a journal from schema `version`."""
    return journal.with_name(f"{journal.name}.backup-schema{version}-{stamp}")


def through_link(path: Path) -> Path:
    """`path`, or the file it points to when it is a symbolic link (followed to the end)."""
    if os.path.islink(path):
        return Path(os.path.realpath(path))
    return path


class Layout:
    """Every file of one journal, from its main file's path (see `reflect.store.journal`)."""

    def __init__(self, journal: Path):
        # `--db` given as a symbolic link means the file it points to: its folder and
        # lock go beside that file, and a write replaces that file, never the link.
        journal = through_link(journal)
        self.main = journal
        self.parts = parts_dir(journal)
        self.lock = lock_path(journal)
        self.entries_dir = self.parts / "entries"
        self.index_dir = self.parts / "index"
        self.backup_dir = self.parts / "backups"
        self.agendas_dir = self.parts / "agendas"
        self.drafts = self.parts / "drafts.json"
        self.meetings = self.parts / "meetings.json"
        self.review_drafts = self.parts / "review-drafts.json"
        self.pending = self.parts / "pending.json"
        self.encryption = self.parts / "encryption.json"  # plain: how the files are kept
        self.trainings = self.parts / "trainings.json"
        self.certificates_dir = self.parts / "certificates"
        self.ratings = self.parts / "ratings.json"  # competency ratings (reflect.domain.growth)
        self.goals = self.parts / "goals.json"  # development goals
        self.stamps = self.parts / "stamps.json"  # each month's newest change (store/stamps.py)
        self.inbox = self.parts / "inbox"  # entries saved before the identity was unlocked
        self.tallies = self.parts / "tallies.json"  # per-month counts, derived (reflect.store.tallies)

    def month(self, month: str) -> Path:
        """The entries of one UTC month, `YYYY-MM`."""
        return self.entries_dir / f"{month}.json"

    def months(self, names: list[str]) -> list[str]:
        """The months whose files are among `names` (a listing of `entries_dir`), sorted."""
        return sorted(n[:-5] for n in names if n.endswith(".json") and not n.startswith("."))

    def shard(self, shard: str) -> Path:
        return self.index_dir / f"{shard}.json"

    def agenda(self, meeting_id: str) -> Path:
        """A meeting's agenda file, named by a hash so any id makes a safe file name."""
        import hashlib

        safe = hashlib.sha1(meeting_id.encode("utf-8")).hexdigest()
        return self.agendas_dir / f"{safe}.json"

    def certificate(self, training_id: str) -> Path:
        """A training's certificate file, named by a hash so any id makes a safe file name
        (the name the person gave it is kept in the training record)."""
        import hashlib

        safe = hashlib.sha1(training_id.encode("utf-8")).hexdigest()
        return self.certificates_dir / safe

    def data_folders(self) -> list[Path]:
        """The folders holding only the journal's files (temp files in them are ours)."""
        return [self.parts, self.entries_dir, self.index_dir, self.agendas_dir, self.backup_dir, self.certificates_dir, self.inbox]
