"""The journal encrypted at rest: every file that holds text is an age file to the
person's key, opened with their identity; nothing of an entry's text is left beside it;
a wrong passphrase changes nothing; and the standard `age` format opens any file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pyrage
import pytest
from click.testing import CliRunner

from age_helpers import install_identity, unlocked
from reflect import paths
from reflect.cli import main
from reflect.domain.model import Draft, Entry, Listen, Meeting, Story
from reflect.store import Journal, codec
from reflect.store.codec import AGE_HEADER

UTC = timezone.utc
SENTENCE = "the lighthouse keeper sang to the gulls"


def every_file(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


def holding(root: Path, text: str) -> list[Path]:
    needle = text.encode("utf-8")
    return [p for p in every_file(root) if needle in p.read_bytes()]


@pytest.fixture
def journal_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A journal in its own folder, with every kind of file that holds text, old backups,
    a temp file a killed writer left, a file set aside by repair and a schema-upgrade copy."""
    folder = tmp_path / "data"
    monkeypatch.setenv("REFLECT_DB", str(folder / "journal.json"))
    install_identity(tmp_path, monkeypatch)
    j = Journal()
    for n in range(4):  # four versions: backups 1..3 of the month and its shard
        j.save(Entry(occurred=datetime(2024, 3, 1 + n, tzinfo=UTC), listen=Listen(story=f"{SENTENCE} {n}")))
    j.save_story(Story(title="lighthouse", text=SENTENCE))
    held = datetime(2024, 3, 20, tzinfo=UTC)
    j.save_meeting(Meeting(held=held, since=held.replace(day=1), until=held, peer="sam", notes=SENTENCE,
                           agenda={"peer": "sam", "sections": [{"key": "safety", "note": SENTENCE}]}))  # fmt: skip
    j.save_draft(Draft(entry={"listen": {"story": SENTENCE}}))
    j.review_drafts().put({"id": "sam", "notes": SENTENCE})
    lay = paths.Layout(folder / "journal.json")
    (lay.entries_dir / ".2024-03.json.999.1.tmp").write_text(SENTENCE)  # a killed writer's temp
    (lay.entries_dir / "2024-02.json.corrupt-20240301").write_text(SENTENCE)  # set aside by repair
    old = folder / "journal.json.backup-schema1-20240101"
    (old / "journal.json.d" / "entries").mkdir(parents=True)
    (old / "journal.json.d" / "entries" / "2024-01.json").write_text(SENTENCE)
    assert len(holding(folder, SENTENCE)) > 10
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_after_encrypt_no_file_under_the_journal_holds_a_sentence(journal_dir: Path) -> None:
    code, _out, err = run("encrypt")
    assert code == 0, err
    assert "cannot be recovered" in err.splitlines()[0]  # said before it starts
    assert holding(journal_dir, SENTENCE) == []
    assert holding(journal_dir, "lighthouse") == []
    marker = json.loads((journal_dir / "journal.json.d" / "encryption.json").read_text())
    assert marker["codec"] == "age" and not marker["converting"]
    text_files = [p for p in every_file(journal_dir) if p.name not in ("encryption.json", "journal.json.lock")]
    assert all(p.read_bytes().startswith(AGE_HEADER) for p in text_files)
    assert not any(paths.is_temp_name(p.name) for p in every_file(journal_dir))
    # Everything still reads, and a new save is encrypted too.
    j = Journal()
    assert sorted(e.listen.story for e in j.entries()) == [f"{SENTENCE} {n}" for n in range(4)]
    assert j.meetings(with_agenda=True)[0].agenda["sections"][0]["note"] == SENTENCE  # type: ignore[index]
    assert j.drafts()[0].entry["listen"]["story"] == SENTENCE
    j.save(Entry(occurred=datetime(2024, 4, 1, tzinfo=UTC), listen=Listen(story="a second sentence")))
    assert holding(journal_dir, "a second sentence") == []
    code, out, _ = run("list", "--search", "second sentence")  # search decrypts before it scans
    assert code == 0 and "a second sentence" in out


def test_a_journal_file_opens_with_pyrage_and_the_identity(journal_dir: Path) -> None:
    """The standard-format promise: `age -d -i key FILE` opens any file of the journal."""
    assert run("encrypt")[0] == 0
    key = unlocked().identity  # test_identity shows `age -d identity.age` gives this key
    month = journal_dir / "journal.json.d" / "entries" / "2024-03.json"
    stories = json.loads(pyrage.decrypt(month.read_bytes(), [key]))["entries"]
    assert f"{SENTENCE} 0" in {doc["listen"]["story"] for doc in stories.values()}


def test_a_wrong_passphrase_is_one_line_exit_2_and_the_journal_unchanged(
    journal_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("encrypt")[0] == 0
    before = {p: p.read_bytes() for p in every_file(journal_dir)}
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    monkeypatch.setenv("REFLECT_PASSPHRASE_FILE", str(wrong))
    codec.forget_identities()  # as a fresh process
    for args in (["decrypt"],):  # each wrong try costs a scrypt run: one command
        code, out, err = run(*args)
        assert code == 2 and out == ""
        assert err.strip().splitlines() == ["reflect: the passphrase does not open the identity; nothing was changed"]
    assert {p: p.read_bytes() for p in every_file(journal_dir)} == before
    codec.forget_identities()
    monkeypatch.delenv("REFLECT_PASSPHRASE_FILE")
    code, _, err = run("list")  # no terminal, no file: says how to give it
    assert code == 2 and "REFLECT_PASSPHRASE_FILE" in err


def test_decrypt_brings_every_file_back_plain(journal_dir: Path) -> None:
    assert run("encrypt")[0] == 0
    code, _, err = run("decrypt")
    assert code == 0, err
    assert not (journal_dir / "journal.json.d" / "encryption.json").exists()
    assert not any(p.read_bytes().startswith(AGE_HEADER) for p in every_file(journal_dir))
    assert sorted(e.listen.story for e in Journal().entries()) == [f"{SENTENCE} {n}" for n in range(4)]


def test_encrypting_needs_only_the_public_key_and_writing_too(journal_dir: Path) -> None:
    """A save into an encrypted journal never waits for the passphrase: a process that
    unlocked nothing writes an encrypted file (it is reading that needs the identity)."""
    assert run("encrypt")[0] == 0
    codec.forget_identities()
    lay = paths.Layout(journal_dir / "journal.json")
    from reflect.store.storage import atomic_write

    atomic_write(lay.drafts.with_name("probe.json"), SENTENCE.encode())
    assert lay.drafts.with_name("probe.json").read_bytes().startswith(AGE_HEADER)
    with pytest.raises(codec.Locked):
        Journal().count()
    codec.add_identity(unlocked().identity, unlocked().public)


def test_the_commands_through_the_installed_reflect(journal_dir: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("reflect")
    env = dict(os.environ)
    done = subprocess.run([str(exe), "encrypt"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # messages on stderr only
    assert "encrypted" in done.stderr and holding(journal_dir, SENTENCE) == []
    assert len(list(Journal().entries())) == 4


def test_export_to_a_file_is_plain_by_request_and_says_so(journal_dir: Path, tmp_path: Path) -> None:
    assert run("encrypt")[0] == 0
    out = tmp_path / "out.json"
    code, stdout, err = run("export", "-o", str(out))
    assert code == 0 and stdout == ""
    assert SENTENCE in out.read_text() and "is not encrypted, though the journal is" in err
    code, stdout, _ = run("export")  # stdout is data: asked for, given plain
    assert code == 0 and SENTENCE in stdout


def test_no_clipboard_anywhere() -> None:
    """Nothing of the journal is put on the system clipboard (no copy to it in reflect)."""
    import reflect

    root = Path(reflect.__file__).parent
    for source in root.rglob("*.py"):
        text = source.read_text(encoding="utf-8").replace("def copy_to_clipboard", "")  # the app's override
        assert ".copy_to_clipboard(" not in text and "pyperclip" not in text and "]52;" not in text, source


def test_a_save_before_the_key_is_unlocked_waits_sealed_in_the_inbox(journal_dir: Path) -> None:
    """The crisis saved while the passphrase prompt still shows: written with the public
    key alone, filed into its month by the first open that has the key."""
    assert run("encrypt")[0] == 0
    codec.forget_identities()  # as the app before the passphrase is typed
    crisis = Entry(occurred=datetime(2024, 5, 1, tzinfo=UTC), listen=Listen(story="called the crisis line"))
    Journal().save(crisis, None)
    waiting = list((journal_dir / "journal.json.d" / "inbox").iterdir())
    assert len(waiting) == 1 and waiting[0].read_bytes().startswith(AGE_HEADER)
    assert holding(journal_dir, "crisis line") == []
    keys = unlocked()
    codec.add_identity(keys.identity, keys.public)
    assert Journal().get(crisis.id).listen.story == "called the crisis line"
    assert list((journal_dir / "journal.json.d" / "inbox").iterdir()) == []
    assert len(list(Journal().entries())) == 5


def test_a_process_already_running_writes_encrypted_once_another_encrypts(journal_dir: Path) -> None:
    running = Journal()
    running.save(Entry(occurred=datetime(2024, 6, 1, tzinfo=UTC), listen=Listen(story="before it")))
    assert run("encrypt")[0] == 0
    running.save(Entry(occurred=datetime(2024, 7, 1, tzinfo=UTC), listen=Listen(story="written after it")))
    assert holding(journal_dir, "written after it") == []
    assert holding(journal_dir, "before it") == []


def test_a_passphrase_change_and_the_copy_it_keeps_meanwhile(journal_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    where = paths.identity_path()
    stale = paths.identity_backup_path(where)
    stale.write_bytes(where.read_bytes())  # as a kill in a passphrase change would leave it
    new = tmp_path / "new.txt"
    new.write_text("a brand new passphrase\n")
    monkeypatch.setenv("REFLECT_NEW_PASSPHRASE_FILE", str(new))
    code, _, err = run("passphrase")
    assert code == 0, err
    assert "was changed" in err and not stale.exists()
    from reflect.store import identity

    assert identity.unlock(where, "a brand new passphrase").public == unlocked().public


def test_encrypt_creates_the_identity_when_there_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "first.txt"
    secret.write_text("my first passphrase\n")
    monkeypatch.setenv("REFLECT_PASSPHRASE_FILE", str(secret))
    Journal().save(Entry(occurred=datetime(2024, 3, 1, tzinfo=UTC), listen=Listen(story=SENTENCE)))
    assert not paths.identity_path().exists()
    code, _, err = run("encrypt")
    assert code == 0, err
    lines = err.splitlines()
    assert "cannot be recovered" in lines[0] and "creating your identity" in lines[1]
    public = paths.public_key_path(paths.identity_path()).read_text().split()[-1]
    assert root_marker().recipient == public
    assert holding(tmp_path, SENTENCE) == []


def root_marker() -> codec.Marker:
    from reflect.root import encryption

    return encryption()


def test_a_damaged_encrypted_file_is_named_and_repaired_from_its_encrypted_backup(journal_dir: Path) -> None:
    assert run("encrypt")[0] == 0
    month = journal_dir / "journal.json.d" / "entries" / "2024-03.json"
    month.write_bytes(month.read_bytes()[:-40])  # torn
    code, _, err = run("list")
    assert code == 1 and "does not decrypt" in err and "2024-03.json" in err
    code, _, err = run("doctor", "--repair")
    assert code == 0, err
    assert sorted(e.listen.story for e in Journal().entries()) == [f"{SENTENCE} {n}" for n in range(4)]
    assert holding(journal_dir, SENTENCE) == []  # the set-aside torn file is ciphertext too
