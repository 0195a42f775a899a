"""`reflect supervision log`: the meetings of a window, totals and checks, in each format.

Meetings are put in through the store (`Journal.import_records`) and once through
`reflect import`, as a person back-filling records would; the log is read through
click's CliRunner and, once, through the installed `reflect` in a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest

from cli_helpers import one_line_error, run, snapshot
from reflect.domain.attestation import digest
from reflect.domain.formats import schema_path
from reflect.domain.model import ActionItem, Attestation, Credentials, Entry, Listen, Meeting
from reflect.store import Journal

UTC = timezone.utc
MON = datetime(2026, 3, 2, 10, tzinfo=UTC)  # a Monday
SECRET = "the private story of Quinton"
AGENDA_TEXT = "agenda item quoting a private entry"


def meeting(i: int, *, minutes: int = 60, kind: str = "individual", peer: str = "sam", **kw: object) -> Meeting:
    held = MON + timedelta(weeks=i)
    return Meeting(
        held=held, since=held - timedelta(days=7), until=held, id=f"m{i:03d}", peer=peer, supervisor="Dr Lee",
        minutes=minutes, kind=kind, delivery="in-person", summary=f"week {i}: boundaries",
        credentials=Credentials("CPS-1", "LCSW-9"), **kw,
    )  # fmt: skip


def attested(m: Meeting) -> Meeting:
    m.attestations = [Attestation(role="supervisor", name="Dr Lee", at=m.held + timedelta(hours=2), digest=digest(m))]
    return m


@pytest.fixture
def journal(db_path: Path) -> Journal:
    """Six weekly meetings with week 2 missed, all attested; one with an agenda that
    quotes a private entry, one whose summary holds a phone number."""
    j = Journal(db_path)
    private = Entry(occurred=MON, listen=Listen(story=SECRET), visibility="private")
    ms = [meeting(i) for i in range(6) if i != 2]
    ms[0].agenda = {"sections": [{"title": "Safety", "items": [{"text": AGENDA_TEXT, "entries": [private.id]}]}]}
    ms[0].discussed = [AGENDA_TEXT]
    ms[0].notes = f"notes about {SECRET}"
    ms = [attested(m) for m in ms]
    ms[1].summary = "call her back on 555-123-4567"  # changed after it was attested
    j.import_records([private], meetings=ms)
    return j


UNTIL = ["--since", "2026-03-02", "--until", "2026-04-12"]  # six whole weeks


def log(*args: str) -> dict:
    result = run("supervision", "log", *UNTIL, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path("supervision-log").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


# --- JSON --------------------------------------------------------------------------------------


def test_json_names_the_missed_week_and_validates(journal: Journal, validator) -> None:
    doc = log("--rules", "texas-initial")
    validator.validate(doc)
    assert doc["format"] == "reflect-supervision-log" and doc["version"] == 1
    assert (doc["peer"], doc["since"], doc["until"]) == ("sam", "2026-03-02", "2026-04-12")
    assert [m["id"] for m in doc["meetings"]] == ["m000", "m001", "m003", "m004", "m005"]
    assert doc["totals"] == {"meetings": 5, "minutes": 300, "individual_minutes": 300, "group_minutes": 0, "observed": 0}
    [check] = doc["rules"]["checks"]
    assert check["ok"] is False and "week of 2026-03-16: no supervision" in check["detail"]
    assert doc["rules"]["name"] == "texas-initial" and "354.3103" in doc["rules"]["source"]["rule"]


def test_every_key_and_no_rules(journal: Journal, validator) -> None:
    doc = log()
    validator.validate(doc)
    assert list(doc) == ["format", "version", "peer", "since", "until", "meetings", "totals", "rules"]
    assert doc["rules"] is None
    assert list(doc["meetings"][0]) == [
        "id", "held", "peer", "supervisor", "credentials", "minutes", "kind", "delivery", "observed",
        "summary", "competence", "growth_areas", "actions", "attestations",
    ]  # fmt: skip


def test_the_schema_refuses_what_the_log_never_writes(validator) -> None:
    doc = {"format": "reflect-supervision-log", "version": 1, "peer": None, "since": None, "until": "2026-01-01",
           "meetings": [], "totals": {"meetings": 0, "minutes": 0, "individual_minutes": 0, "group_minutes": 0,
                                      "observed": 0}, "rules": None}  # fmt: skip
    validator.validate(doc)
    for bad in ({"until": None}, {"totals": {}}, {"rules": {"name": "x", "source": {}, "checks": []}}, {"agenda": {}}):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate({**doc, **bad})


def test_attestations_hold_until_the_record_changes(journal: Journal) -> None:
    doc = log()
    holds = {m["id"]: [a["holds"] for a in m["attestations"]] for m in doc["meetings"]}
    assert holds == {"m000": [True], "m001": [False], "m003": [True], "m004": [True], "m005": [True]}
    # m001 was attested before its summary was written: it says so in every format.
    changed = journal.get_meeting("m003")
    changed.minutes = 90
    journal.save_meeting(changed)
    doc = log()
    assert [a["holds"] for a in doc["meetings"][2]["attestations"]] == [False]
    md = run("supervision", "log", *UNTIL, "--format", "markdown").stdout
    assert md.count("NO LONGER HOLDS") == 2


def test_nothing_private_and_identifiers_masked(journal: Journal) -> None:
    for fmt in ("json", "markdown", "csv", "html"):
        out = run("supervision", "log", *UNTIL, "--rules", "dc", "--format", fmt).stdout
        assert SECRET not in out and "Quinton" not in out, fmt
        assert AGENDA_TEXT not in out, fmt
        assert "555-123-4567" not in out and "[phone]" in out, fmt


# --- Markdown and CSV ---------------------------------------------------------------------------


def test_markdown_order_meetings_totals_checks(journal: Journal) -> None:
    out = run("supervision", "log", *UNTIL, "--rules", "dc", "--format", "markdown").stdout
    assert out.index("## Meetings") < out.index("## Totals") < out.index("## Rules:")
    assert "**NOT MET**" in out and "week of 2026-03-16: no supervision" in out
    assert "check with the issuing body" in out.casefold()


def test_csv_parses_row_per_meeting_total_and_check(journal: Journal) -> None:
    out = run("supervision", "log", *UNTIL, "--rules", "bpa", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    kinds = [r["record"] for r in rows]
    assert kinds == ["meeting"] * 5 + ["total"] * 5 + ["check"]
    assert {r["id"]: r["value"] for r in rows if r["record"] == "total"}["minutes"] == "300"
    check = rows[-1]
    assert check["ok"] == "false" and "short 15 h" in check["detail"]
    assert rows[1]["attestations"].endswith("NO LONGER HOLDS: the record was changed after it was attested")


# --- options and errors ----------------------------------------------------------------------------


def test_output_file_is_written_whole_and_private(journal: Journal, tmp_path: Path) -> None:
    target = tmp_path / "log.html"
    result = run("supervision", "log", *UNTIL, "--format", "html", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert "wrote the supervision log (5 meeting(s))" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_rules_default_to_the_setting(journal: Journal) -> None:
    assert run("config", "supervision_rules", "icrc").exit_code == 0
    assert log()["rules"]["name"] == "icrc"
    assert log("--rules", "dc")["rules"]["name"] == "dc"
    refused = run("config", "supervision_rules", "nowhere")
    one_line_error(refused, "supervision_rules", "no pack named 'nowhere'", code=2)


def test_a_bad_rules_file_is_one_line_naming_the_field(journal: Journal, tmp_path: Path) -> None:
    (tmp_path / "inputs").mkdir()
    mine = tmp_path / "inputs" / "mine.json"
    pack = json.loads((Path(__file__).parent.parent / "reflect/rules/supervision/dc.json").read_text())
    pack["rules"][0]["period"] = "fortnight"
    mine.write_text(json.dumps(pack))
    before = snapshot(tmp_path)
    result = run("supervision", "log", "--rules", str(mine), "--format", "json")
    one_line_error(result, "rules file", "mine.json", "rules[0].period", "expected one of: week, month", code=2)
    mine.write_text("{not json")
    one_line_error(run("supervision", "log", "--rules", str(mine), "--format", "json"), "not valid JSON", code=2)
    one_line_error(run("supervision", "log", "--rules", "nope", "--format", "json"), "no pack named 'nope'", code=2)
    one_line_error(run("supervision", "log", "--rules", str(tmp_path / "gone.json"), "--format", "json"), "no such file", code=2)
    assert snapshot(tmp_path) == before
    # A good file of a person's own, in the same format, is used as it is.
    pack["rules"][0]["period"] = "month"
    pack["name"] = "mine"
    mine.write_text(json.dumps(pack))
    assert log("--rules", str(mine))["rules"]["name"] == "mine"


def test_window_and_peer_errors(journal: Journal) -> None:
    one_line_error(run("supervision", "log", "--since", "2026-04-01", "--until", "2026-03-01", "--format", "json"),
                   "--since is after --until", code=2)  # fmt: skip
    one_line_error(run("supervision", "log", "--peer", " ", "--format", "json"), "--peer", code=2)
    other = meeting(1, peer="alex")
    other.id = "alex-1"
    journal.import_records(meetings=[other])
    one_line_error(run("supervision", "log", *UNTIL, "--rules", "dc", "--format", "json"), "2 peers", "--peer", code=2)
    assert [m["id"] for m in log("--peer", "alex")["meetings"]] == ["alex-1"]
    assert len(log()["meetings"]) == 6  # without rules, every peer's meetings


def test_meetings_through_reflect_import(tmp_path: Path) -> None:
    """A paper record back-filled with `reflect import` reaches the log."""
    doc = {"format": "reflect-export", "version": 1, "entries": [],
           "meetings": [meeting(0, kind="group", observed=True).to_dict()]}  # fmt: skip
    (tmp_path / "in.json").write_text(json.dumps(doc))
    assert run("import", str(tmp_path / "in.json")).exit_code == 0
    out = json.loads(run("supervision", "log", "--format", "json", "--rules", "bpa").stdout)
    assert out["totals"]["group_minutes"] == 60 and out["totals"]["observed"] == 1
    assert out["since"] is None  # from the first meeting


def test_the_installed_command(journal: Journal, tmp_path: Path) -> None:
    """Through the installed script: the shipped packs and the schema are found as package
    data (in CI the package is installed non-editable), and textual is never imported."""
    folder = Path(sys.executable).parent
    cmd = [str(folder / "reflect"), "supervision", "log", *UNTIL, "--rules", "montana", "--format", "json"]
    env = dict(os.environ, PYTHONWARNINGS="ignore", REFLECT_DEBUG="1")
    done = subprocess.run(cmd, capture_output=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr.decode()
    doc = json.loads(done.stdout)
    assert doc["rules"]["name"] == "montana"
    checks = {c["id"]: c for c in doc["rules"]["checks"]}
    assert "hours worked not known" in checks["ratio"]["detail"]
    code = (
        "import sys\n"
        "from reflect.cli import main\n"
        "try:\n    main(['supervision', 'log', '--rules', 'dc', '--format', 'html'])\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert probe.returncode == 0, probe.stderr
    assert probe.stderr.strip().splitlines()[-1] == "False" and "<!DOCTYPE html>" in probe.stdout


def test_package_data_is_declared() -> None:
    """Every data file under reflect/ (rule packs, schemas, the stylesheet) matches a
    package-data glob, so a non-editable install carries it."""
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parent.parent
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["reflect"]
    data = [p.relative_to(root / "reflect").as_posix() for p in (root / "reflect").rglob("*")
            if p.is_file() and p.suffix in (".json", ".tcss")]  # fmt: skip
    assert any(d.startswith("rules/supervision/") for d in data)
    for d in data:
        assert any(fnmatch.fnmatch(d, g) for g in globs), d


# --- the log reads stored documents, not objects -------------------------------------------------


def test_masking_in_one_scan_is_masking_each_text() -> None:
    from reflect.domain.privacy import mask_identifiers
    from reflect.domain.supervision_log import mask_all

    texts = [
        "call 555-123-4567", "", "  mail jo@example.org now ", "no identifiers here.", "call 555-123-4567",
        "lives at 12 Elm Street", "www.example.org/x", "SSN 123-45-6789", "ends with a number 42", "peer",
        "x" * 25_000,
    ]  # fmt: skip
    expected = [mask_identifiers(t.strip()[:20_000]) + ("…" if len(t.strip()) > 20_000 else "") for t in texts]
    assert mask_all(texts) == expected


def test_a_texts_masking_worked_out_for_every_peer_at_once_is_each_logs_own(journal: Journal) -> None:
    """`supervision_logs` scans every peer's free text once; each log must be what that
    peer's own log shows, identifiers masked, and a text the shared scan lacks is still
    scanned, never shown as it is."""
    from reflect.domain.supervision_log import mask_all
    from reflect.usecases.supervision_log import supervision_log, supervision_logs

    ms = [meeting(i, peer=p) for i, p in enumerate(("sam", "jo", "sam"), start=20)]
    for i, m in enumerate(ms):
        m.summary = f"week {i}: call {m.peer} on 555-123-{4560 + i}"
    ms[1].actions = [ActionItem("Mail jo@example.org", owner="jo")]
    journal.import_records(meetings=ms)
    made = datetime(2026, 9, 1, tzinfo=timezone.utc)
    every = supervision_logs(journal, rules="", today=made.date(), made=made)
    assert [log.peer for log in every] == ["jo", "sam"]
    for log in every:
        assert log == supervision_log(journal, peer=log.peer, rules="", today=made.date(), made=made)
        mine = [m for m in log.meetings if m.id in {x.id for x in ms}]
        assert mine and all("555-123" not in m.summary and "[phone]" in m.summary for m in mine)
    assert every[0].meetings[0].actions[0].text == "Mail [email]"
    assert mask_all(["call 555-123-4567", "ok"], {"ok": "ok"}) == ["call [phone]", "ok"]


def test_the_digest_of_a_stored_document_is_the_records(journal: Journal) -> None:
    """The log checks attestations on stored documents; that must be the digest the record's
    own check computes, for every stored meeting (a done action and empty fields too)."""
    from reflect.domain.attestation import digest as record_digest
    from reflect.domain.attestation import stored_digest
    from reflect.domain.supervision_log import complete

    m = meeting(9)
    m.actions = [ActionItem("Read the code", owner="sam", done=True)]
    journal.import_records(meetings=[m])
    docs = journal.meeting_dicts()
    assert len(docs) == 6
    for doc in docs:
        assert stored_digest(complete(doc)) == record_digest(Meeting.from_dict(doc))


def test_a_meeting_stored_before_the_added_fields(db_path: Path) -> None:
    """A meeting written by an older reflect (no minutes, kind, attestations...) reads with
    them empty, as `Meeting.from_dict` reads it."""
    j = Journal(db_path)
    j.import_records(meetings=[meeting(0)])
    raw = json.loads(j.meetings_path.read_text())
    row = raw["meetings"]["1"]
    for key in ("minutes", "kind", "delivery", "observed", "summary", "competence", "growth_areas", "credentials", "attestations"):
        del row[key]
    j.meetings_path.write_text(json.dumps(raw))
    doc = log()
    assert doc["meetings"][0]["minutes"] == 0 and doc["meetings"][0]["kind"] == ""
    assert doc["meetings"][0]["attestations"] == [] and doc["totals"]["meetings"] == 1


def test_rules_command_lists_and_reads_packs(tmp_path: Path) -> None:
    listed = run("supervision", "rules")
    assert listed.exit_code == 0
    assert [line.split(":")[0] for line in listed.stdout.splitlines()] == ["bpa", "dc", "icrc", "montana", "texas", "texas-initial"]
    shown = run("supervision", "rules", "montana")
    assert "ratio (ratio)" in shown.stdout and "gap (gap)" in shown.stdout and "note: " in shown.stdout
    (tmp_path / "inputs").mkdir()
    bad = tmp_path / "inputs" / "bad.json"
    bad.write_text('{"format": "reflect-supervision-rules", "version": 1, "name": "x", "title": "x", "source": 3}')
    one_line_error(run("supervision", "rules", str(bad)), "rules file", "source: expected a source object", code=2)


def test_csv_cells_a_spreadsheet_would_run_are_written_as_text(db_path: Path) -> None:
    """CSV injection (OWASP): a cell starting with =, +, -, @, tab or CR gets a single quote."""
    j = Journal(db_path)
    texts = ['=SUM(1,2)*cmd', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "plain"]
    ms = [meeting(i) for i in range(len(texts))]
    for m, t in zip(ms, texts, strict=True):
        m.summary = t
    j.import_records(meetings=ms)
    out = run("supervision", "log", "--since", "2026-03-01", "--until", "2026-06-01", "--format", "csv").stdout
    summaries = [r["summary"] for r in csv.DictReader(io.StringIO(out, newline="")) if r["record"] == "meeting"]
    assert [s[0] for s in summaries[:5]] == ["'"] * 5 and summaries[5] == "plain"
    assert summaries[0] == "'" + texts[0]
