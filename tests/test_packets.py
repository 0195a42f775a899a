"""Sealed packets for supervision: `reflect keys`, `export --to`, and reading packets back.

Three people: a peer (who writes the journal and sends), their supervisor, and a third
person the packet is not for. Their age identities are made once per module as plain
identity files plus the public key beside each (no scrypt); the passphrase-sealed
identity is made once too, and unlocked only where a test is about the passphrase.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import age_helpers
import pyrage
import pytest

from cli_helpers import one_line_error, run, snapshot
from reflect import paths
from reflect.domain.formats import parse_import
from reflect.domain.settings import Settings
from reflect.store import identity
from reflect.usecases import packets

SHARED = "the kettle sang while we talked about the long winter"
PRIVATE = "my own relapse in the spring still weighs on me"
PASSPHRASE = age_helpers.PASSPHRASE


@dataclass(frozen=True)
class Person:
    secret_file: Path  # a plain age identity file, as given to --identity
    identity: Path  # where REFLECT_IDENTITY points: identity.pub beside it holds the key
    public: str

    @property
    def keys(self) -> identity.Keys:
        return identity.from_secret(self.secret_file.read_text())


def _person(root: Path, name: str) -> Person:
    folder = root / name
    folder.mkdir()
    key = pyrage.x25519.Identity.generate()
    secret = folder / "key.txt"
    secret.write_text(f"{key}\n")
    public = str(key.to_public())
    where = folder / "identity.age"
    paths.public_key_path(where).write_text(f"{public}\n")
    return Person(secret, where, public)


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Person]:
    root = tmp_path_factory.mktemp("people")
    return {name: _person(root, name) for name in ("peer", "supervisor", "third")}


@pytest.fixture(scope="module")
def sealed_identity() -> tuple[Path, str]:
    """The suite's shared passphrase-sealed identity (tests/age_helpers.py: one scrypt
    unlock per worker), and its public key."""
    shared = age_helpers.shared_identity()
    return shared.sealed, shared.public


def _entry(day: int, story: str, private: bool = False) -> str:
    return json.dumps({
        "id": f"{day:08x}-1111-4000-8000-000000000000", "peer": "robin",
        "occurred": f"2026-11-{day:02d}T10:00:00+00:00", "listen": {"story": story},
        "flags": {"crisis": False, "boundary": False, "discuss": True, "self_care": False, "celebrate": False},
        "question": "how much of my story is too much?",
        "visibility": "private" if private else "shared",
    })  # fmt: skip


@pytest.fixture
def peer_journal(people: dict[str, Person], monkeypatch: pytest.MonkeyPatch) -> None:
    """The peer's journal (one shared and one private entry), their key, the supervisor's key set."""
    monkeypatch.setenv("REFLECT_IDENTITY", str(people["peer"].identity))
    assert run("import", "-", input=_entry(10, SHARED) + "\n" + _entry(11, PRIVATE, private=True) + "\n").exit_code == 0
    assert run("config", "supervisor_key", people["supervisor"].public).exit_code == 0


def _packet(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "inputs" / "packet.age"
    out.parent.mkdir(exist_ok=True)
    result = run("export", "--to", "supervisor", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return out


def _entries_of(text: str) -> dict[str, str]:
    return {e.id: e.listen.story for e in parse_import(text, source="packet").entries}


# --- reflect keys, and the supervisor's key in settings ------------------------------------


def test_keys_creates_the_identity_once_then_prints_the_same_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pp = tmp_path / "pp"
    pp.write_text(PASSPHRASE + "\n")
    monkeypatch.setenv("REFLECT_PASSPHRASE_FILE", str(pp))
    first = run("keys")
    assert first.exit_code == 0, first.stderr
    key = first.stdout.strip()
    assert key.startswith("age1") and first.stdout == key + "\n"
    where = paths.identity_path()
    assert str(where) in first.stderr and "back up" in first.stderr
    assert where.exists() and identity.public_key(where) == key
    monkeypatch.delenv("REFLECT_PASSPHRASE_FILE")  # printing the key needs no passphrase
    again = run("keys")
    assert (again.exit_code, again.stdout, again.stderr) == (0, key + "\n", "")


def test_keys_without_a_passphrase_source_creates_nothing(tmp_path: Path) -> None:
    one_line_error(run("keys"), "passphrase", "REFLECT_PASSPHRASE_FILE", code=2)
    assert not paths.identity_path().exists()


def test_supervisor_key_is_checked_and_stored(people: dict[str, Person], tmp_path: Path) -> None:
    key = people["supervisor"].public
    before = snapshot(tmp_path)
    for bad in ("age1notakey", key[:-3], "ssh-ed25519 AAAA", "AGE-SECRET-KEY-1XYZ"):
        line = one_line_error(run("config", "supervisor_key", bad), "supervisor_key", code=2)
        assert bad not in line
    assert snapshot(tmp_path) == before
    assert run("config", "supervisor_key", f"  {key} ").exit_code == 0
    assert run("config", "supervisor_key").stdout == key + "\n"
    data = json.loads(Path(os.environ["REFLECT_CONFIG"]).read_text())
    assert data["supervisor_key"] == key
    with pytest.raises(ValueError, match="supervisor_key"):  # the file keeps the same rule
        Settings.from_dict(dict(data, supervisor_key="age1broken"))


# --- sealing ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("peer_journal")
def test_a_packet_opens_for_the_supervisor_and_the_peer_and_for_nobody_else(
    people: dict[str, Person], tmp_path: Path
) -> None:
    packet = _packet(tmp_path)
    raw = packet.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n")  # a standard age file
    assert packet.stat().st_mode & 0o077 == 0
    for who in ("supervisor", "peer"):
        text = packets.open_packet(packet, people[who].keys)
        assert list(_entries_of(text).values()) == [SHARED]
        assert pyrage.decrypt(raw, [people[who].keys.identity]).decode() == text  # what `age -d -i` does
    with pytest.raises(packets.NotAddressed, match="this packet is not addressed to you"):
        packets.open_packet(packet, people["third"].keys)


@pytest.mark.usefixtures("peer_journal")
def test_the_packet_holds_no_plaintext_and_no_private_entry(people: dict[str, Person], tmp_path: Path) -> None:
    packet = _packet(tmp_path, "--format", "jsonl")
    raw = packet.read_bytes()
    for needle in (SHARED, PRIVATE, "kettle", "robin", "too much", "2026-11-10"):
        assert needle.encode() not in raw
    text = packets.open_packet(packet, people["supervisor"].keys)
    assert SHARED in text and PRIVATE not in text
    named = _packet(tmp_path, "--id", "0000000b")  # a private entry goes out when named
    assert PRIVATE in packets.open_packet(named, people["supervisor"].keys)
    markdown = packets.open_packet(_packet(tmp_path, "--format", "markdown"), people["peer"].keys)
    assert SHARED in markdown and PRIVATE not in markdown


@pytest.mark.usefixtures("peer_journal")
def test_export_to_several_keys_and_to_a_pipe(people: dict[str, Person]) -> None:
    result = run("export", "--to", people["third"].public, "--to", "supervisor")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"age-encryption.org/v1\n")
    for who in ("peer", "supervisor", "third"):
        assert SHARED in packets.open_bytes(result.stdout_bytes, people[who].keys, source="-")


@pytest.mark.usefixtures("peer_journal")
def test_export_to_refuses_what_it_cannot_seal(people: dict[str, Person], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "inputs" / "p.age"
    out.parent.mkdir()
    one_line_error(run("export", "--to", "age1typo", "-o", str(out)), "--to", code=2)
    assert run("config", "--unset", "supervisor_key").exit_code == 0
    one_line_error(run("export", "--to", "supervisor", "-o", str(out)), "supervisor_key", code=2)
    monkeypatch.setenv("REFLECT_IDENTITY", str(tmp_path / "nobody" / "identity.age"))
    one_line_error(run("export", "--to", people["supervisor"].public, "-o", str(out)), "reflect keys", code=2)
    assert not out.exists()


# --- reading packets back --------------------------------------------------------------------


@pytest.mark.usefixtures("peer_journal")
def test_import_reads_a_packet_addressed_to_you_and_refuses_one_that_is_not(
    people: dict[str, Person], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packet = _packet(tmp_path)
    monkeypatch.setenv("REFLECT_DB", str(tmp_path / "supervisor" / "journal.json"))
    before = snapshot(tmp_path)
    line = one_line_error(run("import", str(packet), "--identity", str(people["third"].secret_file)), code=2)
    assert line == f"reflect: {packet}: this packet is not addressed to you"
    assert snapshot(tmp_path) == before
    done = run("import", str(packet), "--identity", str(people["supervisor"].secret_file))
    assert done.exit_code == 0, done.stderr
    assert "1 added" in done.stderr


@pytest.mark.usefixtures("peer_journal")
def test_a_damaged_packet_is_one_clear_line(people: dict[str, Person], tmp_path: Path) -> None:
    raw = _packet(tmp_path).read_bytes()
    flipped = bytearray(raw)
    flipped[-20] ^= 0x01
    for name, data in (("cut.age", raw[: len(raw) // 2]), ("flipped.age", bytes(flipped))):
        bad = tmp_path / "inputs" / name
        bad.write_bytes(data)
        before = snapshot(tmp_path)
        for args in (["import", str(bad)], ["review", "--format", "json", "--from", str(bad)]):
            one_line_error(run(*args, "--identity", str(people["supervisor"].secret_file)), name, "damaged", code=2)
        assert snapshot(tmp_path) == before


@pytest.mark.usefixtures("peer_journal")
def test_a_wrong_identity_is_a_clean_error_with_the_journal_unchanged(
    tmp_path: Path, sealed_identity: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    packet = _packet(tmp_path)
    monkeypatch.setenv("REFLECT_IDENTITY", str(sealed_identity[0]))
    wrong = tmp_path / "inputs" / "wrong"
    wrong.write_text("not the passphrase\n")
    monkeypatch.setenv("REFLECT_PASSPHRASE_FILE", str(wrong))
    before = snapshot(tmp_path)
    one_line_error(run("import", str(packet)), "passphrase does not open", code=2)
    not_identity = tmp_path / "inputs" / "not-a-key.txt"
    not_identity.write_text("hello\n")
    one_line_error(run("import", str(packet), "--identity", str(not_identity)), "--identity", "not an age identity", code=2)
    one_line_error(run("import", str(packet), "--identity", str(tmp_path / "missing.txt")), "--identity", code=2)
    assert snapshot(tmp_path) == before


def test_the_own_identity_opens_a_packet_with_one_unlock_for_many_files(
    people: dict[str, Person], tmp_path: Path, sealed_identity: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A supervisor reviews two peers' packets: the passphrase is asked for once, and a
    plain file beside them needs none."""
    where, public = sealed_identity
    sent = []
    for day, peer in ((12, "robin"), (13, "sam")):
        doc = parse_import(_entry(day, f"{SHARED} ({peer})").replace('"robin"', f'"{peer}"'), source="x")
        from io import StringIO

        from reflect.domain.formats import write_json
        from reflect.domain.model import now

        out = StringIO()
        write_json(out, doc.entries, exported_at=now())
        packet = tmp_path / "inputs" / f"{peer}.age"
        packet.parent.mkdir(exist_ok=True)
        packet.write_bytes(packets.seal(out.getvalue().encode(), [public, people["peer"].public]))
        sent.append(str(packet))
    plain = tmp_path / "inputs" / "plain.json"
    plain.write_text("[" + _entry(14, "a plain file").replace('"robin"', '"kai"') + "]")
    pp = tmp_path / "inputs" / "pp"
    pp.write_text(PASSPHRASE + "\n")
    monkeypatch.setenv("REFLECT_IDENTITY", str(where))
    monkeypatch.setenv("REFLECT_PASSPHRASE_FILE", str(pp))
    unlocks = []
    real_unlock = identity.unlock
    monkeypatch.setattr(identity, "unlock", lambda *a: unlocks.append(1) or real_unlock(*a))
    args = ["review", "--format", "json", "--since", "2026-11-01", "--until", "2026-11-30"]
    result = run(*args, *(f for s in [*sent, str(plain)] for f in ("--from", s)))
    assert result.exit_code == 0, result.stderr
    assert {a["peer"] for a in json.loads(result.stdout)["agendas"]} == {"robin", "sam", "kai"}
    assert len(unlocks) == 1
    plain_only = run(*args, "--from", str(plain))
    assert plain_only.exit_code == 0 and len(unlocks) == 1


@pytest.mark.usefixtures("peer_journal")
def test_review_from_a_packet(people: dict[str, Person], tmp_path: Path) -> None:
    packet = _packet(tmp_path)
    args = ["review", "--format", "json", "--since", "2026-11-01", "--until", "2026-11-30", "--from", str(packet)]
    result = run(*args, "--identity", str(people["supervisor"].secret_file))
    assert result.exit_code == 0, result.stderr
    assert "how much of my story is too much?" in result.stdout
    line = one_line_error(run(*args, "--identity", str(people["third"].secret_file)), code=2)
    assert line.endswith("this packet is not addressed to you")


def test_an_armored_packet_is_read_too(people: dict[str, Person], tmp_path: Path) -> None:
    """`age -a` writes ASCII armor; reflect writes binary but reads both."""
    armored = tmp_path / "inputs" / "armored.age"
    armored.parent.mkdir()
    doc = "[" + _entry(15, SHARED) + "]"
    armored.write_bytes(pyrage.encrypt(doc.encode(), [people["supervisor"].keys.recipient], armored=True))
    result = run("import", str(armored), "--identity", str(people["supervisor"].secret_file))
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stderr


# --- the installed command -------------------------------------------------------------------


def test_sending_a_packet_to_a_supervisor_through_the_installed_reflect(tmp_path: Path) -> None:
    """The README walk-through, in real processes: the supervisor makes a key, the peer
    stores it and sends a packet, the supervisor reads the agenda from it. On a terminal,
    `--to` without `-o` is refused, and the name it suggests says nothing of whom."""
    import re
    import subprocess

    from test_cli_process import reflect_cmd

    import shutil

    pp = tmp_path / "pp"
    pp.write_text(PASSPHRASE + "\n")
    base = dict(os.environ, REFLECT_PASSPHRASE_FILE=str(pp))
    supervisor = dict(base, REFLECT_IDENTITY=str(tmp_path / "sup" / "identity.age"),
                      REFLECT_DB=str(tmp_path / "sup" / "journal.json"))  # fmt: skip
    (tmp_path / "sup").mkdir()  # the supervisor made their identity earlier (creating one is tested above)
    shared = age_helpers.shared_identity()
    shutil.copy2(shared.sealed, supervisor["REFLECT_IDENTITY"])
    shutil.copy2(paths.public_key_path(shared.sealed), paths.public_key_path(Path(supervisor["REFLECT_IDENTITY"])))
    peer = dict(base, REFLECT_IDENTITY=str(tmp_path / "peer" / "identity.age"))
    (tmp_path / "peer").mkdir()
    key = pyrage.x25519.Identity.generate()  # the peer's key: a public key beside the identity path
    paths.public_key_path(Path(peer["REFLECT_IDENTITY"])).write_text(f"{key.to_public()}\n")

    def reflect(env: dict[str, str], *args: str, **kw: object) -> subprocess.CompletedProcess[bytes]:
        streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kw}
        return subprocess.run(reflect_cmd() + list(args), env=env, timeout=120, **streams)  # type: ignore[call-overload]

    made = reflect(supervisor, "keys")
    assert made.returncode == 0, made.stderr
    sup_key = made.stdout.decode().strip()
    assert sup_key == shared.public
    assert reflect(peer, "config", "supervisor_key", sup_key).returncode == 0
    assert reflect(peer, "import", "-", input=(_entry(10, SHARED) + "\n").encode()).returncode == 0
    packet = tmp_path / "packet.age"
    sent = reflect(peer, "export", "--to", "supervisor", "-o", str(packet), "--since", "2026-11-01")
    assert sent.returncode == 0, sent.stderr
    assert SHARED.encode() not in packet.read_bytes()
    agenda = reflect(supervisor, "review", "--from", str(packet), "--format", "markdown",
                     "--since", "2026-11-01", "--until", "2026-11-30")  # fmt: skip
    assert agenda.returncode == 0, agenda.stderr
    assert b"how much of my story is too much?" in agenda.stdout

    import pty

    leader, follower = pty.openpty()
    try:
        refused = reflect(peer, "export", "--to", "supervisor", stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert refused.returncode == 2
    line = refused.stderr.decode().strip()
    assert "-o FILE" in line and "robin" not in line
    assert re.search(r"-o reflect-packet-[0-9a-f]{8}\.age\)$", line), line


# --- what a packet says about itself ---------------------------------------------------------


@pytest.mark.usefixtures("peer_journal")
def test_the_packet_names_its_sender_and_window_inside_only(people: dict[str, Person], tmp_path: Path) -> None:
    """An empty fortnight still reaches the supervisor as this peer's agenda, named from
    inside the packet: the file's name says nothing."""
    assert run("config", "peer", "robin").exit_code == 0
    out = tmp_path / "inputs" / "reflect-packet-0a1b2c3d.age"
    out.parent.mkdir()
    sent = run("export", "--to", "supervisor", "-o", str(out), "--since", "2026-10-01", "--until", "2026-10-14")
    assert sent.exit_code == 0, sent.stderr
    doc = json.loads(packets.open_packet(out, people["supervisor"].keys))
    assert doc["entries"] == []
    assert doc["packet"] == {"peer": "robin", "since": "2026-10-01T00:00:00+00:00",
                             "until": "2026-10-14T23:59:59.999999+00:00"}  # fmt: skip
    import jsonschema

    from reflect.domain.formats import schema_path

    jsonschema.Draft202012Validator(json.loads(schema_path().read_text())).validate(doc)
    assert parse_import(json.dumps(doc), source="x").packet is not None
    agenda = run("review", "--format", "json", "--from", str(out), "--identity", str(people["supervisor"].secret_file),
                 "--since", "2026-10-01", "--until", "2026-10-14")  # fmt: skip
    assert agenda.exit_code == 0, agenda.stderr
    assert [a["peer"] for a in json.loads(agenda.stdout)["agendas"]] == ["robin"]


def test_a_malformed_packet_description_is_refused_by_name(tmp_path: Path) -> None:
    doc = {"format": "reflect-export", "version": 1, "exported_at": "2026-11-01T00:00:00+00:00",
           "entries": [], "stories": [], "meetings": [], "packet": {"peer": "robin", "since": "soon", "until": None}}  # fmt: skip
    bad = tmp_path / "inputs" / "bad.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps(doc))
    one_line_error(run("import", str(bad)), "packet.since", code=2)
    one_line_error(run("review", "--format", "json", "--from", str(bad)), "packet.since", code=2)
