"""`reflect encrypt`, `decrypt` and a passphrase change killed (SIGKILL) at random points
lose nothing: the journal opens with every entry, in one state or the other, and the next
open finishes the conversion.

Each run forks a child that does the work and kills itself at its K-th file operation
(a write, fsync, rename, unlink, mkdir, open), K drawn at random over all the operations
the whole job makes; the parent then opens the journal as a new process would. Forking
keeps the unlocked identity (no scrypt run per child), so a run costs milliseconds.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from age_helpers import PASSPHRASE, install_identity, unlocked
from reflect import paths
from reflect.domain.model import Draft, Entry, Listen, Story
from reflect.store import Journal, codec, identity
from reflect.store.codec import AGE_HEADER

UTC = timezone.utc
SENTENCE = "the ferry left without the harbour cat"
STORIES = sorted(f"{SENTENCE} {n}" for n in range(9))
RUNS = int(os.environ.get("REFLECT_KILL_RUNS", "10"))  # every point: REFLECT_KILL_RUNS=100000 (minutes)
_COUNTED = ("write", "fsync", "replace", "unlink", "mkdir", "rmdir", "open")


def in_child(job: Callable[[], None], kill_at: int, count_to: Path) -> int:
    """Run `job` in a forked child killed at its `kill_at`-th file operation; returns the
    child's exit status. A child that finishes writes how many operations it made."""
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            made = [0]
            for name in _COUNTED:
                real = getattr(os, name)

                def counted(*a: object, _real: Callable[..., object] = real, **k: object) -> object:
                    made[0] += 1
                    if made[0] == kill_at:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return _real(*a, **k)

                setattr(os, name, counted)
            job()
            with open(count_to, "w") as f:  # noqa: PTH123 - counted too, harmless after the job
                f.write(str(made[0]))
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(3)
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError("the child hung")
        time.sleep(0.005)


def operations(job: Callable[[], None], tmp_path: Path) -> int:
    count = tmp_path / "count"
    assert in_child(job, 10**9, count) == 0
    return int(count.read_text())


def build(folder: Path) -> None:
    j = Journal()
    for n in range(9):
        j.save(Entry(occurred=datetime(2024, 1 + n % 3, 2 + n, tzinfo=UTC), listen=Listen(story=f"{SENTENCE} {n}")))
    j.save_story(Story(title="ferry", text=SENTENCE))
    j.save_draft(Draft(entry={"listen": {"story": SENTENCE}}))


def stories_now() -> list[str]:
    return sorted(e.listen.story for e in Journal().entries())


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("REFLECT_DB", str(folder / "journal.json"))
    install_identity(tmp_path, monkeypatch)
    keys = unlocked()
    codec.add_identity(keys.identity, keys.public)
    build(folder)
    return folder


def _restore(template: Path, folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(template, folder, symlinks=True)


def _kills(job: Callable[[], None], work: Path, tmp_path: Path, check: Callable[[], None]) -> None:
    template = tmp_path / "template"
    shutil.copytree(work, template, symlinks=True)
    total = operations(job, tmp_path)
    _restore(template, work)
    seed = random.randrange(1 << 30)
    points = random.Random(seed).sample(range(1, total + 1), min(RUNS, total))
    for point in points:
        status = in_child(job, point, tmp_path / "count")
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (seed, point, status)
        assert stories_now() == STORIES, f"killed at operation {point} of {total} (seed {seed})"
        check()
        _restore(template, work)


def _finished(work: Path) -> codec.Marker:
    marker = codec.read_marker(paths.Layout(work / "journal.json").encryption)
    assert not marker.converting  # the open above finished what the kill interrupted
    assert not paths.conversion_backup_dir(work / "journal.json").exists()
    return marker


def _no_plaintext_if_encrypted(work: Path) -> None:
    marker = _finished(work)
    files = [p for p in work.rglob("*") if p.is_file()]
    if marker.seals:
        assert not [p for p in files if SENTENCE.encode() in p.read_bytes()]
    else:
        assert not [p for p in files if p.read_bytes().startswith(AGE_HEADER)]


def test_encrypt_killed_anywhere_loses_nothing(work: Path, tmp_path: Path) -> None:
    public = unlocked().public
    _kills(lambda: Journal().set_encryption(public), work, tmp_path, lambda: _no_plaintext_if_encrypted(work))


def test_decrypt_killed_anywhere_loses_nothing(work: Path, tmp_path: Path) -> None:
    Journal().set_encryption(unlocked().public)
    _kills(lambda: Journal().set_encryption(None), work, tmp_path, lambda: _no_plaintext_if_encrypted(work))


def test_a_passphrase_change_killed_anywhere_leaves_a_working_identity(work: Path, tmp_path: Path) -> None:
    Journal().set_encryption(unlocked().public)
    where = paths.identity_path()
    before = where.read_bytes()
    keys = unlocked()
    copy = tmp_path / "identity.copy"
    shutil.copy2(where, copy)
    job = lambda: identity.reseal(where, keys, "a new passphrase")  # noqa: E731
    total = operations(job, tmp_path)
    for point in random.Random().sample(range(1, total + 1), min(2, total)):  # each child seals: a scrypt run
        shutil.copy2(copy, where)
        in_child(job, point, tmp_path / "count")
        if where.read_bytes() != before:
            assert identity.unlock(where, "a new passphrase").public == keys.public
        else:
            assert identity.unlock(where, PASSPHRASE).public == keys.public  # remembered: no scrypt
        assert stories_now() == STORIES
