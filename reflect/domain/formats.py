"""The journal's formats: JSON, JSON Lines, CSV and Markdown writers, and import parsing.

Pure on purpose: no textual, no tinydb, and no file is opened here. Writers take a
text stream the caller opened (for CSV, open it with ``newline=""``) and write to it
as they go, so a 50,000-entry export never sits in memory as one string. Parsing
takes the text and returns model objects; the caller writes nothing until
`parse_import` has validated the whole input.

Every writer accepts entries as `Entry` objects or, as a fast path, as dicts already
in the shape of `Entry.to_dict()` (the store's documents). Dicts are trusted and
written as they are: validation happens when data comes in, not when it goes out.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from reflect.domain import cycle
from reflect.domain.jsonscan import Scanner, element_offset, line_at
from reflect.domain.fields import CHOICE, LIST, csv_columns, labels, spec_of
from reflect.domain.spreadsheet import cell as spreadsheet_cell
from reflect.domain.training import Training
from reflect.domain.growth import Goal, Rating
from reflect.domain.years import RANGE_PROBLEM, datetime_problem
from reflect.domain.worked import WorkedWeek
from reflect.domain.model import (
    CONTRACT_VERSION,
    Entry,
    Meeting,
    Story,
    ValidationError,
    iso,
    kind_of,
    parse_iso_datetime,
)

from reflect.domain.packet import PacketInfo

FORMAT = "reflect-export"
VERSION = CONTRACT_VERSION
DOCUMENT_FIELDS = (
    "format", "version", "exported_at", "entries", "stories", "meetings", "worked", "trainings", "ratings",
    "goals", "packet",
)  # fmt: skip

# One encoder, built once: json.dumps(..., ensure_ascii=False) builds a new encoder on
# every call. indent stays None so the C encoder does the work (with indent, CPython
# 3.11 falls back to the pure-Python encoder, several times slower).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_CHUNK = 500  # entries joined per write: fewer calls into the stream, bounded memory


def schema_path(name: str = "export") -> Path:
    """The shipped JSON Schema `reflect/schema/<name>.schema.json`, found as package data
    so the CLI and the tests use the same file whether installed or run from a checkout."""
    return Path(str(resources.files("reflect").joinpath("schema", f"{name}.schema.json")))


def _as_dict(item: Any) -> dict[str, Any]:
    return item if isinstance(item, dict) else item.to_dict()


def _as_json(item: Any) -> str:
    """One record as compact JSON. A str is taken as already encoded (Journal.entry_json
    passes stored entries through, so export costs about one read of the journal)."""
    if isinstance(item, str):
        return item
    return _encode(_as_dict(item))


# --- JSON and JSON Lines ------------------------------------------------------------


def _chunks(items: Iterable[Any]) -> Iterator[list[str]]:
    """Records encoded, in lists of up to _CHUNK: fewer calls into the stream, bounded memory."""
    buf: list[str] = []
    for item in items:
        buf.append(_as_json(item))
        if len(buf) >= _CHUNK:
            yield buf
            buf = []
    if buf:
        yield buf


def _write_array(out: TextIO, items: Iterable[Any], indent: str) -> None:
    """A JSON array, one compact element per line, written in chunks."""
    sep = ",\n" + indent
    first = True
    for buf in _chunks(items):
        out.write(("[\n" + indent if first else sep) + sep.join(buf))
        first = False
    out.write("[]" if first else "\n" + indent[:-2] + "]")


def write_json(
    out: TextIO,
    entries: Iterable[Entry | dict[str, Any] | str],
    stories: Iterable[Story | dict[str, Any]] = (),
    meetings: Iterable[Meeting | dict[str, Any]] = (),
    *,
    exported_at: datetime,
    packet: PacketInfo | None = None,
    worked: Iterable[WorkedWeek | dict[str, Any]] = (),
    trainings: Iterable[Any] | None = None,
    ratings: Iterable[Any] = (),
    goals: Iterable[Any] = (),
) -> None:
    """The export document (format version 1), written by hand rather than with
    `json.dump(indent=...)` so it stays on the fast C encoder: a small indented header,
    then one entry per line. Entries start on line 6, entry k on line 5 + k, which
    keeps import error positions easy to find. A naive `exported_at` is taken as local.
    `packet` (a sealed export's sender and window) goes last, after the meetings.
    """
    if exported_at.tzinfo is None:
        exported_at = exported_at.astimezone()
    out.write(
        "{\n"
        f'  "format": {_encode(FORMAT)},\n'
        f'  "version": {VERSION},\n'
        f'  "exported_at": {_encode(iso(exported_at))},\n'
        '  "entries": '
    )
    _write_array(out, entries, "    ")
    out.write(',\n  "stories": ')
    _write_array(out, stories, "    ")
    out.write(',\n  "meetings": ')
    _write_array(out, meetings, "    ")
    worked = list(worked)
    if worked:  # hours worked (added in version 1): written when there are any
        out.write(',\n  "worked": ')
        _write_array(out, worked, "    ")
    if trainings is not None:  # added in format 1: a document without it still imports
        out.write(',\n  "trainings": ')
        _write_array(out, trainings, "    ")
    # Added in version 1, written when there are some (domain/growth.py): older readers
    # of a journal without ratings or goals see the document they always saw.
    for key, items in (("ratings", list(ratings)), ("goals", list(goals))):
        if items:
            out.write(f',\n  "{key}": ')
            _write_array(out, items, "    ")
    if packet is not None:
        out.write(f',\n  "packet": {_encode(packet.to_dict())}')
    out.write("\n}\n")


def write_jsonl(out: TextIO, entries: Iterable[Entry | dict[str, Any] | str]) -> None:
    """One entry per line: the shape for grep, jq and streaming scripts.

    Text is written unescaped (UTF-8), so U+2028 and U+2029 can appear inside a line:
    readers must split on "\\n" only, never with str.splitlines()."""
    for buf in _chunks(entries):
        out.write("\n".join(buf) + "\n")


# --- CSV ------------------------------------------------------------------------------

# The fixed column order: Entry.FIELDS with each sub-object flattened to dotted names,
# derived from the declarations in model.py (a field declared with csv=False is left out).
CSV_COLUMNS: tuple[str, ...] = csv_columns(Entry)
_CSV_PATHS = tuple(tuple(c.split(".")) for c in CSV_COLUMNS)
LIST_SEPARATOR = "; "


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, list):
        return spreadsheet_cell(LIST_SEPARATOR.join(str(v) for v in value))
    return spreadsheet_cell(str(value))  # a formula is written as text (domain/spreadsheet.py)


def _row(d: dict[str, Any], paths: tuple[tuple[str, ...], ...] = _CSV_PATHS) -> list[str]:
    row = []
    for path in paths:
        value: Any = d
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        row.append(_cell(value))
    return row


def write_csv(
    out: TextIO, entries: Iterable[Entry | dict[str, Any]], columns: tuple[str, ...] = CSV_COLUMNS
) -> None:
    """One row per entry under a header of `CSV_COLUMNS`, for spreadsheets.

    Lists are joined with "; ", booleans are true/false, null (and an absent mi or
    crisis) is an empty cell; an mi of zeros shows 0s, so "not counted" stays visible.
    Lossy by nature (a list item containing "; " cannot be told apart): use JSON to
    move data between journals."""
    paths = _CSV_PATHS if columns is CSV_COLUMNS else tuple(tuple(c.split(".")) for c in columns)
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(_row(_as_dict(e), paths) for e in entries)


# --- Markdown ---------------------------------------------------------------------------

# Every label by dotted field path, from the declarations (model.py): "listen.story" -> "What happened".
MARKDOWN_LABELS: dict[str, str] = labels(Entry)
_L = MARKDOWN_LABELS
_HEADING_LIKE = re.compile(r"^(\s*)([#>])", re.MULTILINE)


def _md_text(text: str) -> str:
    """Free text as Markdown: a line the peer began with # or > stays text, not a heading."""
    return _HEADING_LIKE.sub(r"\1\\\2", text.strip())


def _md_field(lines: list[str], label: str, value: str | None) -> None:
    if value and value.strip():
        lines.append(f"**{label}:** {_md_text(value)}")
        lines.append("")


def _md_step(out: list[str], title: str, body: list[str]) -> None:
    if body:
        out.append(f"### {title}")
        out.append("")
        out.extend(body)


def _yes_no(value: bool | None) -> str:
    return "yes" if value else "no"


def _md_record(body: list[str], rec: Any) -> None:
    """A step written field by field as its declaration says: text as it is, lists
    joined with commas, a choice left out while it holds its default."""
    for f in spec_of(type(rec)).fields:
        value = getattr(rec, f.name)
        if f.kind == LIST:
            value = ", ".join(value)
        elif f.kind == CHOICE and value == f.default:
            continue
        _md_field(body, f.label, value)


def _entry_markdown(e: Entry, titles: dict[str, str]) -> str:
    heading = [e.occurred.strftime("%Y-%m-%d %H:%M")]
    if e.person.strip():
        heading.append(e.person.strip())
    heading.append(e.setting)
    if e.private:
        heading.append("private")
    lines = [f"## {' · '.join(heading)}", ""]

    facts: list[str] = []
    if e.private:
        facts.append("- **Private entry**: kept out of exports unless asked for by name")
    if e.peer:
        facts.append(f"- {_L['peer']}: {e.peer}")
    if e.minutes is not None:
        facts.append(f"- {_L['minutes']}: {e.minutes}")
    active = e.flags.active()
    if active:
        facts.append(f"- {_L['flags']}: " + ", ".join(_L[f"flags.{f}"] for f in active))
    if e.competencies:
        facts.append(
            f"- {_L['competencies']}: "
            + "; ".join(f"{c} {cycle.COMPETENCY_TITLES.get(c, '')}".strip() for c in e.competencies)
        )
    if e.tags:
        facts.append(f"- {_L['tags']}: " + ", ".join(e.tags))
    facts.append(f"- {_L['id']}: `{e.id}`")
    lines += facts + [""]

    if e.crisis is not None:
        body: list[str] = []
        if e.crisis.actions:
            actions = "; ".join(cycle.CRISIS_ACTION_LABELS.get(a, a) for a in e.crisis.actions)
            body.append(f"**{_L['crisis.actions']}:** {actions}")
            body.append("")
        if e.crisis.supervisor_notified_at is not None:
            body.append(f"**{_L['crisis.supervisor_notified_at']}:** {iso(e.crisis.supervisor_notified_at)}")
            body.append("")
        _md_field(body, _L["crisis.notes"], e.crisis.notes)
        _md_step(lines, _L["crisis"], body or ["No safety actions recorded.", ""])

    body = []
    _md_record(body, e.listen)
    _md_step(lines, _L["listen"], body)

    body = []
    _md_record(body, e.reflect)
    _md_step(lines, _L["reflect"], body)

    s = e.select
    answered = [(k, _L[f"select.checks.{k}"]) for k in cycle.CHECK_KEYS if getattr(s.checks, k) is not None]
    body = []
    if s.decision != "undecided" or s.story_id or s.part or s.purposes or answered or s.held_back_because:
        _md_field(body, _L["select.decision"], cycle.DECISION_LABELS.get(s.decision, s.decision))
        _md_field(body, _L["select.held_back_because"], s.held_back_because)
        if s.story_id:
            _md_field(body, _L["select.story_id"], titles.get(s.story_id, s.story_id))
        _md_field(body, _L["select.part"], s.part)
        _md_field(body, _L["select.purposes"], ", ".join(s.purposes))
        if answered:
            body.append(f"**{_L['select.checks']}:**")
            body.append("")
            body += [f"- {q} {_yes_no(getattr(s.checks, k))}" for k, q in answered]
            body.append("")
    _md_step(lines, _L["select"], body)

    body = []
    _md_record(body, e.share)
    _md_step(lines, _L["share"], body)

    if e.mi is not None:
        counts = " · ".join(f"{_L[f'mi.{k}']} {getattr(e.mi, k)}" for k, _ in cycle.OARS)
        body = [counts, ""]
        _md_field(body, _L["mi.change_talk"], ", ".join(e.mi.change_talk))
        _md_step(lines, _L["mi"], body)

    if e.group is not None:  # a group encounter: how many, and the theme (never names)
        body = [f"{_L['group.headcount']}: {e.group.headcount or 'not counted'}", ""]
        _md_field(body, _L["group.theme"], e.group.theme)
        _md_step(lines, _L["group"], body)

    body = []
    _md_field(body, _L["question"], e.question)
    _md_step(lines, "For supervision", body)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def write_markdown(
    out: TextIO,
    entries: Iterable[Entry | dict[str, Any]],
    *,
    stories: Iterable[Story | dict[str, Any]] | None = None,
    title: str = "Journal",
) -> None:
    """A journal to read or print: one section per entry, the four steps as subsections,
    empty fields and steps left out, private entries marked. With `stories`, the
    selected story shows by its title instead of its id."""
    titles: dict[str, str] = {}
    for s in stories or ():
        d = _as_dict(s)
        titles[d["id"]] = d["title"]
    if title:
        out.write(f"# {title}\n\n")
    sep = ""
    for item in entries:
        e = item if isinstance(item, Entry) else Entry.from_dict(item)
        out.write(sep + _entry_markdown(e, titles))
        sep = "\n"


# --- import -----------------------------------------------------------------------------


class ImportFormatError(ValueError):
    """Input that cannot be imported. The message is one line naming the source, the
    position (entry number and line, where there is one) and the reason."""

    def __init__(self, source: str, position: str, reason: str):
        self.source = source
        self.position = position
        self.reason = reason
        super().__init__(": ".join(p for p in (source, position, reason) if p))


@dataclass
class ImportDoc:
    """What an input holds, fully validated. `kind` is the shape that was read:
    "document", "array", "entry" or "jsonl"."""

    entries: list[Entry] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    kind: str = "document"
    trainings: list[Training] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    exported_at: datetime | None = None
    packet: PacketInfo | None = None  # a sealed packet's sender and window
    worked: list[WorkedWeek] = field(default_factory=list)


def _parse_items(
    items: list[Any],
    what: str,
    parse: Any,
    source: str,
    where: Any,
    check_text: bool = False,
) -> list[Any]:
    """Validate each record; `where(i)` names its position only when one fails.
    `check_text`: the input has \\uD800-style escapes, so look for lone surrogates.
    Each parsed item is let go of (`items[i] = None`) once its record is made: a big
    input never holds its parse tree and all its records at once."""
    out = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(items):
        items[i] = None
        try:
            obj = parse(raw)
            if isinstance(obj, Entry):
                _check_in_range(obj.occurred)
        except ValidationError as exc:
            raise ImportFormatError(source, where(i), str(exc)) from None
        except (ValueError, OverflowError):  # a date the calendar cannot hold in this time zone
            raise ImportFormatError(source, where(i), f"a date-time is {RANGE_PROBLEM}") from None
        if check_text:
            bad = _unencodable(raw)
            if bad is not None:
                raise ImportFormatError(
                    source, where(i), f"{bad}: holds a lone UTF-16 surrogate (\\ud800 to \\udfff), which is not text"
                )
        first = seen.setdefault(obj.id, i)
        if first != i:
            raise ImportFormatError(
                source, where(i), f"id: {obj.id!r} appears twice in this input (first as {what} {first + 1})"
            )
        out.append(obj)
    return out


def _check_in_range(occurred: datetime) -> None:
    """The store files an entry by its UTC month: a date-time outside the years reflect
    holds (`reflect.domain.years`) is refused here with its position. `Entry.from_dict`
    already refuses one; this keeps the promise for entries built in code."""
    problem = datetime_problem(occurred)
    if problem is not None:
        raise ValidationError("occurred", problem)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _unencodable(value: Any, path: str = "") -> str | None:
    """The field holding a string that cannot be written as UTF-8 (a lone surrogate,
    which JSON's \\u escapes can spell), or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "value"
        return None
    if isinstance(value, dict):
        for k, v in value.items():
            found = _unencodable(k, path) or _unencodable(v, f"{path}.{k}" if path else str(k))
            if found:
                return found
    elif isinstance(value, list):
        for n, v in enumerate(value):
            found = _unencodable(v, f"{path}[{n}]")
            if found:
                return found
    return None


class _InputError(ValueError):
    """Valid JSON text that reflect still refuses (duplicate keys, NaN)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are unique: with a key given twice, json.loads would keep
    the last value and silently drop the other."""
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _InputError(f"the key {k!r} appears twice in one object; which value is meant?")
            seen.add(k)
    return d


def _constant(name: str) -> Any:
    raise _InputError(f"{name} is not a JSON value (give a number or null)")


def _loads(text: str) -> Any:
    """json.loads, strict: duplicate keys and NaN/Infinity are refused (_InputError);
    nesting too deep for Python or a number too long to read raise _InputError too."""
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except RecursionError:
        raise _InputError("nested too deeply to be an entry") from None
    except json.JSONDecodeError:
        raise
    except _InputError:
        raise
    except ValueError:  # sys.get_int_max_str_digits(): a number thousands of digits long
        raise _InputError("a number too long to be a count (thousands of digits)") from None


def _position(what: str, i: int, line: int | None) -> str:
    return f"{what} {i + 1}" + ("" if line is None else f" (line {line})")


def _other_format(text: str) -> str:
    """"CSV" or "Markdown" when `text` (not JSON) reads as one of reflect's other export
    formats (a `#` heading first; a comma-separated header line), else ""."""
    first = text.lstrip().split("\n", 1)[0].strip()
    if first.startswith("#"):
        return "Markdown"
    if first[:1] not in ("{", "[", '"') and "," in first:
        return "CSV"
    return ""


def parse_import(text: str, *, source: str = "<stdin>", default_peer: str = "") -> ImportDoc:
    """Read any shape `reflect import` accepts and validate all of it, so that the
    caller can write everything or nothing: an export document (format marker and a
    version this reflect knows), a JSON array of entries, one entry object, or JSON
    Lines. The first problem raises `ImportFormatError`. Missing optional fields get
    their defaults; an empty peer becomes `default_peer`; an id used twice within the
    input is an error (whether it clashes with the journal is the caller's question).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ImportFormatError(source, "", "empty input: nothing to import")

    def entry(raw: Any) -> Entry:
        return Entry.from_dict(raw, default_peer=default_peer)

    check_text = _SURROGATE_ESCAPE.search(text) is not None
    streamed = _stream(text, entry, check_text)
    if streamed is not None:
        return streamed
    try:
        data = _loads(text)
    except _InputError as exc:
        raise ImportFormatError(source, "", str(exc)) from None
    except json.JSONDecodeError as exc:
        if _looks_like_jsonl(text):
            return _parse_jsonl(text, source, entry, check_text)
        found = _other_format(text)
        if found:  # an export written with --format csv or markdown: say so, not "line 1 column 1"
            raise ImportFormatError(source, "", f"this is a {found} file; only JSON exports and packets can be read back") from None
        raise ImportFormatError(
            source, "", f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None

    if isinstance(data, list):
        entries = _parse_items(
            data, "entry", entry, source,
            lambda i: _position("entry", i, _line_or_none(text, None, i)), check_text,
        )  # fmt: skip
        return ImportDoc(entries=entries, kind="array")
    if not isinstance(data, dict):
        raise ImportFormatError(
            source, "", f"expected an export document, a list of entries or one entry object, got {kind_of(data)}"
        )
    if "format" not in data and "occurred" not in data and set(data) & set(DOCUMENT_FIELDS):
        raise ImportFormatError(
            source, "", f'looks like an export document but has no "format": expected "format": "{FORMAT}"'
        )
    if "format" not in data:
        line = line_at(text, len(text) - len(text.lstrip(" \t\n\r")))
        entries = _parse_items([data], "entry", entry, source, lambda i: _position("entry", i, line), check_text)
        return ImportDoc(entries=entries, kind="entry")
    return _parse_document(data, text, source, entry, check_text)


_STRICT = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant).raw_decode
_LISTS = {"entries": "entry", "stories": "story", "meetings": "meeting"}


def _stream(text: str, entry: Any, check_text: bool) -> ImportDoc | None:
    """An export document or an array of entries read one record at a time: each element
    is decoded (as strictly as `_loads`), validated and let go before the next, so a big
    input is never held as one parse tree beside its records. Only the path where all is
    well: None on anything else (bad JSON, a bad record, another shape), and the whole-text
    parse then reads it again and says what is wrong, exactly as before."""
    parsers: dict[str, Any] = {"entries": entry, "stories": Story.from_dict, "meetings": Meeting.from_dict}
    try:
        scan = Scanner(text)
        head = text.lstrip(" \t\n\r")[:1]
        if head == "[":
            records = _stream_items(scan, entry, check_text)
            scan.end()
            return ImportDoc(entries=records, kind="array")
        if head != "{":
            return None
        data: dict[str, Any] = {}
        lists: dict[str, list[Any]] = {}
        for key in scan.members():
            if key in data or key in lists:
                return None
            if key in _LISTS and text[scan.pos] == "[":
                lists[key] = _stream_items(scan, parsers[key], check_text)
            else:
                data[key], scan.pos = _STRICT(text, scan.pos)
        scan.end()
        if data.get("format") != FORMAT:
            return None
        checked = _parse_document(data, text, "", entry, check_text)  # the header's checks, as ever
    except Exception:  # noqa: BLE001 - whatever it is, the whole-text parse names it
        return None
    # Every other part of the document (hours worked, trainings, ratings, goals, the
    # packet's header) was parsed whole above, as `_parse_document` reads it.
    return dataclasses.replace(
        checked,
        entries=lists.get("entries", checked.entries),
        stories=lists.get("stories", checked.stories),
        meetings=lists.get("meetings", checked.meetings),
    )


def _stream_items(scan: Scanner, parse: Any, check_text: bool) -> list[Any]:
    """The records of the array at the cursor, each decoded, checked as `_parse_items`
    checks it, and dropped; ValueError (or any other error) on the first problem."""
    out: list[Any] = []
    seen: set[str] = set()
    text = scan.text
    for _ in scan.items():
        raw, scan.pos = _STRICT(text, scan.pos)
        obj = parse(raw)
        if isinstance(obj, Entry):
            _check_in_range(obj.occurred)
        if check_text and _unencodable(raw) is not None:
            raise ValueError("a lone surrogate")
        if obj.id in seen:
            raise ValueError("an id twice")
        seen.add(obj.id)
        out.append(obj)
    return out


def _line_or_none(text: str, key: str | None, index: int) -> int | None:
    offset = element_offset(text, key, index)
    return None if offset is None else line_at(text, offset)


def _parse_document(data: dict[str, Any], text: str, source: str, entry: Any, check_text: bool = False) -> ImportDoc:
    fmt = data["format"]
    if fmt != FORMAT:
        raise ImportFormatError(
            source, "", f'format: expected "{FORMAT}", got {fmt!r}: this is not a reflect export'
        )
    unknown = [k for k in data if k not in DOCUMENT_FIELDS]
    if unknown:
        raise ImportFormatError(
            source, "", f"unknown field {unknown[0]!r} in the export document "
            f"(known: {', '.join(DOCUMENT_FIELDS)})",
        )  # fmt: skip
    version = data.get("version")
    if version is None:
        raise ImportFormatError(source, "", f"version: missing; expected {VERSION}")
    if type(version) is not int:
        raise ImportFormatError(source, "", f"version: expected a whole number, got {kind_of(version)}")
    if version > VERSION:
        raise ImportFormatError(
            source, "", f"export format version {version} is newer than this reflect reads "
            f"(version {VERSION}): upgrade reflect to import it",
        )  # fmt: skip
    if version < 1:
        raise ImportFormatError(source, "", f"version: {version} is not an export format version")
    exported_at = None
    if data.get("exported_at") is not None:
        try:
            exported_at = parse_iso_datetime(data["exported_at"], "exported_at")
        except ValidationError as exc:
            raise ImportFormatError(source, "", str(exc)) from None
    lists: dict[str, list[Any]] = {}
    for key in ("entries", "stories", "meetings", "worked", "trainings", "ratings", "goals"):
        value = data.get(key)
        if value is None:
            value = []
        if not isinstance(value, list):
            raise ImportFormatError(source, "", f"{key}: expected a list, got {kind_of(value)}")
        lists[key] = value

    def where(key: str, what: str) -> Any:
        return lambda i: _position(what, i, _line_or_none(text, key, i))

    packet = None
    if data.get("packet") is not None:
        try:
            packet = PacketInfo.from_dict(data["packet"])
        except ValidationError as exc:
            raise ImportFormatError(source, "", str(exc)) from None

    return ImportDoc(
        entries=_parse_items(lists["entries"], "entry", entry, source, where("entries", "entry"), check_text),
        stories=_parse_items(
            lists["stories"], "story", Story.from_dict, source, where("stories", "story"), check_text
        ),
        meetings=_parse_items(
            lists["meetings"], "meeting", Meeting.from_dict, source, where("meetings", "meeting"), check_text
        ),
        kind="document",
        exported_at=exported_at,
        packet=packet,
        worked=_parse_items(
            lists["worked"], "week worked", WorkedWeek.from_dict, source, where("worked", "week worked"), check_text
        ),
        trainings=_parse_items(
            lists["trainings"], "training", Training.from_dict, source, where("trainings", "training"), check_text
        ),
        ratings=_parse_items(
            lists["ratings"], "rating", Rating.from_dict, source, where("ratings", "rating"), check_text
        ),
        goals=_parse_items(lists["goals"], "goal", Goal.from_dict, source, where("goals", "goal"), check_text),
    )


def _nonblank_lines(text: str) -> list[tuple[int, str]]:
    # Split on "\n" only: U+2028 and friends may sit unescaped inside a JSON string.
    return [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


def _looks_like_jsonl(text: str) -> bool:
    """Text that is not one JSON value is JSON Lines when it has several lines and the
    first stands alone as an object; otherwise the whole-document error is the useful one."""
    lines = _nonblank_lines(text)
    if len(lines) < 2:
        return False
    try:
        return isinstance(_loads(lines[0][1]), dict)
    except ValueError:  # JSONDecodeError or _InputError
        return False


def _parse_jsonl(text: str, source: str, entry: Any, check_text: bool = False) -> ImportDoc:
    raw: list[Any] = []
    line_of: list[int] = []
    for n, line in _nonblank_lines(text):
        try:
            raw.append(_loads(line))
        except _InputError as exc:
            raise ImportFormatError(source, f"line {n}", str(exc)) from None
        except json.JSONDecodeError as exc:
            raise ImportFormatError(
                source, f"line {n}", f"not valid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        line_of.append(n)
    entries = _parse_items(raw, "entry", entry, source, lambda i: _position("entry", i, line_of[i]), check_text)
    return ImportDoc(entries=entries, kind="jsonl")
