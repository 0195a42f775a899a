"""One declaration per record field, and what derives from it.

A record is a dataclass whose fields are declared with the helpers below (`text`,
`choice`, `flag`, `sub`...). Each helper returns a dataclass field carrying a `Field`:
the field's kind (its JSON shape and how it is validated), its labels, help text, CSV
column and form widget. `@record` reads those declarations once and builds the
record's `to_dict` and `from_dict`, so a field is spelled in one place; the CSV
columns, Markdown and entry-view labels and the encounter's form map are derived by
the functions at the end, and a test checks the shipped JSON Schema against it.

Pure: no textual, no tinydb, no disk.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import MISSING, dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterator, NamedTuple, TypeVar

from reflect.domain.years import MAX_YEAR, MIN_YEAR, date_problem, datetime_problem

# --- errors and small value helpers ----------------------------------------------------


class ValidationError(ValueError):
    """A record does not fit the contract. `path` names the field, e.g. `select.checks.brief`."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


def now() -> datetime:
    """The current time, aware, in the local zone, to the second."""
    return datetime.now(timezone.utc).astimezone().replace(microsecond=0)


def new_id() -> str:
    return str(uuid.uuid4())


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def kind_of(value: Any) -> str:
    """How an error names a value's JSON type: 'a string', 'a list', 'null'. Errors name
    the kind of a refused value, never the value: it could identify someone."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def number_kind(value: Any) -> str:
    """`kind_of`, telling a number that is negative or not whole from other numbers."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return kind_of(value)
    if isinstance(value, float) and not value.is_integer():
        return "a number that is not whole"
    return "a negative number" if value < 0 else "a number out of range"


def not_one_of(value: Any, choices: tuple[str, ...]) -> str:
    """The problem of a value outside `choices`, naming the choices and not the value."""
    listed = ", ".join(choices)
    return f"not one of {listed}" if isinstance(value, str) else f"expected one of {listed}, got {kind_of(value)}"


def parse_iso_datetime(value: Any, path: str) -> datetime:
    """An ISO 8601 date-time; one without an offset is taken as local time.

    Only years every part of reflect handles are accepted (`reflect.domain.years`): the
    message names the field and the problem, never the value."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(path, "not an ISO 8601 date-time") from None
    else:
        raise ValidationError(path, f"expected an ISO 8601 date-time, got {kind_of(value)}")
    problem = datetime_problem(dt)  # before astimezone, which overflows at the calendar's edges
    if problem is None and dt.tzinfo is None:
        dt = dt.astimezone()
        problem = datetime_problem(dt)
    if problem is not None:
        raise ValidationError(path, problem)
    return dt


def parse_iso_date(value: Any, path: str) -> date:
    """An ISO 8601 day, in the years reflect holds."""
    day: date | None = None
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            pass
    if day is None:
        raise ValidationError(path, "not an ISO 8601 date (YYYY-MM-DD)")
    problem = date_problem(day)
    if problem is not None:
        raise ValidationError(path, problem)
    return day


def parse_hours(value: Any, path: str) -> float:
    """Hours of credit: a number above 0 in quarter-hour steps (1, 1.5, 0.75), at most
    MAX_HOURS. Boards count hours and half hours; a finer figure is a typo."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(path, f"expected a number of hours, got {kind_of(value)}")
    hours = float(value)
    if not 0 < hours <= MAX_HOURS:
        raise ValidationError(path, f"expected more than 0 and at most {MAX_HOURS} hours, got {value!r}")
    if not (hours * 4).is_integer():
        raise ValidationError(path, f"expected whole, half or quarter hours (e.g. 1.5 or 0.75), got {value!r}")
    return hours


def hours_json(hours: float) -> int | float:
    """Hours as JSON writes them: 3 rather than 3.0, 1.5 as it is."""
    return int(hours) if float(hours).is_integer() else float(hours)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _obj(data: Any, path: str, allowed: set[str] | frozenset[str], what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError(path, f"expected {what} object, got {kind_of(data)}")
    if not allowed.issuperset(data):  # no set built for a record that fits
        unknown = sorted(set(data) - allowed)
        raise ValidationError(_join(path, unknown[0]), "unknown field")
    return data


# --- the validators, one per kind (the messages are part of the contract) ----------------


def _str(data: dict[str, Any], key: str, path: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValidationError(_join(path, key), f"expected a string, got {kind_of(value)}")
    return value


def _opt_str(data: dict[str, Any], key: str, path: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(_join(path, key), f"expected a string or null, got {kind_of(value)}")
    return value


def _bool(data: dict[str, Any], key: str, path: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ValidationError(_join(path, key), f"expected true or false, got {kind_of(value)}")
    return value


def _tristate(data: dict[str, Any], key: str, path: str) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise ValidationError(_join(path, key), f"expected true, false or null, got {kind_of(value)}")
    return value


def _count(data: dict[str, Any], key: str, path: str) -> int:
    value = data.get(key, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(_join(path, key), f"expected a whole number of 0 or more, got {number_kind(value)}")
    return value


def _choice(data: dict[str, Any], key: str, path: str, choices: tuple[str, ...], default: str) -> str:
    value = data.get(key, default)
    if value is None:
        value = default
    if value not in choices:
        raise ValidationError(_join(path, key), not_one_of(value, choices))
    return value


def _str_list(
    data: dict[str, Any], key: str, path: str, choices: tuple[str, ...] | None = None
) -> list[str]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(_join(path, key), f"expected a list of strings, got {kind_of(value)}")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ValidationError(f"{_join(path, key)}[{i}]", f"expected a string, got {kind_of(item)}")
        if choices is not None and item not in choices:
            raise ValidationError(f"{_join(path, key)}[{i}]", not_one_of(item, choices))
        if item not in out:
            out.append(item)
    return out


# --- the declaration --------------------------------------------------------------------

# Kinds: the JSON shape of a field and the validator that reads it.
TEXT = "text"  # a string, null read as ""
OPT_TEXT = "text?"  # a string or null
ID = "id"  # a non-empty string; a missing one is made up
BOOL = "bool"
TRISTATE = "tristate"  # true, false or null (not asked)
COUNT = "count"  # a whole number >= 0
NUMBER = "number?"  # a whole number in a range, or null
CHOICE = "choice"  # one of `choices`
LIST = "list"  # a list of strings (of `choices` when given), duplicates dropped
DATETIME = "datetime"
OPT_DATETIME = "datetime?"
OPT_DATE = "date?"
RECORD = "record"  # a nested record, null read as its default
OPT_RECORD = "record?"  # a nested record or null
RECORDS = "records"  # a list of nested records
OBJECT = "object"  # a JSON object kept as it is
OPT_OBJECT = "object?"
DATE = "date"  # an ISO 8601 day (YYYY-MM-DD)
HOURS = "hours"  # a number of hours above 0, in quarter-hour steps, at most MAX_HOURS
MAX_HOURS = 200  # one training's credit: a course longer than that is a typo

# Form widget kinds (what a front end builds for the field).
INPUT, TEXTAREA, SELECT, RADIO, CHECKBOX, TRISTATE_W, LIST_W, MULTI, NUMBER_W, DATE_W = (
    "input", "textarea", "select", "radio", "checkbox", "tristate", "list", "multiselect", "number", "date",
)  # fmt: skip


# A NamedTuple, not a frozen dataclass: as immutable and compared by value, without
# the six methods a frozen dataclass compiles at import (about 1 ms each class, every start).
class Form(NamedTuple):
    """Where a field sits in the encounter form: its page, widget kind, label and widget id.

    `pos` orders a page whose layout differs from the record's order (0 = in record
    order); a nested record's fields take the position of the field that holds them."""

    page: str
    widget: str
    label: str = ""
    id: str = ""
    placeholder: str = ""
    pos: int = 0


Parse = Callable[[dict[str, Any], str, str], Any]  # (data, key, path) -> value


class Field(NamedTuple):
    """One record field, declared once. `label` is the export (Markdown) label; `view`
    the entry view's where it reads differently; `csv` False keeps it out of CSV."""

    name: str
    kind: str
    label: str = ""
    help: str = ""
    view: str = ""
    short: str = ""  # how a message names it (the privacy prompt), e.g. "Listen: themes"
    csv: bool = True
    form: Form | None = None
    choices: tuple[str, ...] | None = None
    record: type | None = None  # the nested record class for RECORD/OPT_RECORD/RECORDS
    required: str = ""  # the problem reported when it is missing (or blank, for text)
    free_text: bool = False  # free text a person typed: searched, privacy-checked
    parse: Parse | None = None  # a validator other than the kind's
    dump: Callable[[Any], Any] | None = None  # record -> JSON value, other than the kind's
    default: Any = None  # the value a missing optional field gets...
    default_factory: Callable[[], Any] | None = None  # ...or the function that makes it

    @property
    def view_label(self) -> str:
        return self.view or self.label

    def missing(self) -> Any:
        """The value a missing field gets."""
        return self.default if self.default_factory is None else self.default_factory()


_SPEC = "reflect.field"


def declare(kind: str, *, default: Any = MISSING, default_factory: Any = MISSING, **spec: Any) -> Any:
    """A dataclass field carrying its declaration (named when `@record` runs)."""
    decl = Field(
        "", kind, default=None if default is MISSING else default,
        default_factory=None if default_factory is MISSING else default_factory, **spec,
    )  # fmt: skip
    return dataclasses.field(default=default, default_factory=default_factory, metadata={_SPEC: decl})


def text(label: str = "", **spec: Any) -> Any:
    return declare(TEXT, default="", label=label, **spec)


def opt_text(label: str = "", **spec: Any) -> Any:
    return declare(OPT_TEXT, default=None, label=label, **spec)


def ident(**spec: Any) -> Any:
    return declare(ID, default_factory=new_id, label="Id", **spec)


def boolean(label: str = "", **spec: Any) -> Any:
    return declare(BOOL, default=False, label=label, **spec)


def tristate(label: str = "", **spec: Any) -> Any:
    return declare(TRISTATE, default=None, label=label, **spec)


def count(label: str = "", **spec: Any) -> Any:
    return declare(COUNT, default=0, label=label, **spec)


def choice(label: str, choices: tuple[str, ...], default: str, **spec: Any) -> Any:
    return declare(CHOICE, default=default, label=label, choices=choices, **spec)


def str_list(label: str = "", choices: tuple[str, ...] | None = None, **spec: Any) -> Any:
    return declare(LIST, default_factory=list, label=label, choices=choices, **spec)


def sub(record_cls: type, label: str = "", *, optional: bool = False, **spec: Any) -> Any:
    if optional:
        return declare(OPT_RECORD, default=None, label=label, record=record_cls, **spec)
    return declare(RECORD, default_factory=record_cls, label=label, record=record_cls, **spec)


# --- the record decorator ---------------------------------------------------------------

R = TypeVar("R", bound="Record")


class RecordSpec(NamedTuple):
    """A record's declaration: its fields in export order, how errors name it, its
    default path and the widget id pattern of its fields in the form."""

    fields: tuple[Field, ...]
    what: str
    path: str
    form_id: str
    allowed: frozenset[str]


class Record:
    """Base of every declared record, so the type checker sees what `@record` derives.

    `__repr__` and `__eq__` are written once here rather than compiled by `dataclass` for
    each record (as dataclass writes them: a start-up cost paid by every command)."""

    SPEC: ClassVar[RecordSpec]
    _compared: ClassVar[tuple[str, ...]]  # the fields repr shows and equality compares, in order (@record)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._compared)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = self._compared
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: as a dataclass is
    if TYPE_CHECKING:  # filled in by @record from the declarations

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

        def to_dict(self) -> dict[str, Any]: ...

        @classmethod
        def from_dict(cls: type[R], data: Any, path: str = "") -> R: ...


def spec_of(cls: type) -> RecordSpec:
    spec: RecordSpec = cls.__dict__["SPEC"]
    return spec


def record(
    what: str, *, path: str = "", order: tuple[str, ...] | None = None, form_id: str = "{name}"
) -> Callable[[type[R]], type[R]]:
    """Make `cls` a dataclass and give it `to_dict`/`from_dict` built from its declared
    fields. `order` is the export order when it differs from the attributes' (today's
    constructors take the required field first); a subclass's new fields follow its
    parent's order. A `from_dict` or `to_dict` written in the class body wraps the
    derived one (reached as `_from_dict`/`_to_dict`)."""

    def wrap(cls: type[R]) -> type[R]:
        dc = dataclass(cls, repr=False, eq=False)  # Record's __repr__ and __eq__ serve every record
        declared: dict[str, Field] = {}
        for f in dataclasses.fields(dc):  # type: ignore[arg-type]
            d = f.metadata.get(_SPEC)
            if d is None:
                raise TypeError(f"{cls.__name__}.{f.name} has no declaration")
            declared[f.name] = d._replace(name=f.name)
        dc._compared = tuple(declared)  # every dataclass field, in order
        names = _export_order(cls, tuple(declared), order)
        spec = RecordSpec(
            tuple(declared[n] for n in names), what, path, form_id, frozenset(names)
        )
        dc.SPEC = spec
        dc._to_dict = _later_to_dict(dc, spec)  # type: ignore[attr-defined]
        dc._from_dict = _later_from_dict(dc, spec)  # type: ignore[attr-defined]
        for name in ("to_dict", "from_dict"):
            own = getattr(dc, name, None)
            if own is None or getattr(own, "_derived", False):  # a hand-written one (inherited too) stays
                setattr(dc, name, dc.__dict__[f"_{name}"])
        return dc

    return wrap


# `to_dict` and `from_dict` are compiled on a record's first use, not at import: a command
# (and the app's start) reads and writes a few of the records the modules it imports declare.


def _install(dc: type, name: str, stub: object, compiled: object) -> None:
    """Put the compiled method where the stub was (as `_name`, and as `name` when derived)."""
    for attr in (f"_{name}", name):
        if dc.__dict__.get(attr) is stub:
            setattr(dc, attr, compiled)


def _later_to_dict(dc: type, spec: RecordSpec) -> Callable[[Any], dict[str, Any]]:
    def to_dict(self: Any) -> dict[str, Any]:
        compiled = _make_to_dict(spec)
        _install(dc, "to_dict", to_dict, compiled)
        return compiled(self)

    to_dict.__doc__ = "The record as plain JSON values (the export contract)."
    to_dict._derived = True  # type: ignore[attr-defined]
    return to_dict


def _later_from_dict(dc: type, spec: RecordSpec) -> classmethod[Any, Any, Any]:
    stub: classmethod[Any, Any, Any]

    def from_dict(cls: Any, data: Any, path: str | None = None) -> Any:
        compiled = classmethod(_make_from_dict(spec))
        _install(dc, "from_dict", stub, compiled)
        return compiled.__func__(cls, data, path)

    from_dict.__doc__ = "The record read from plain JSON values; ValidationError names what does not fit."
    from_dict._derived = True  # type: ignore[attr-defined]
    stub = classmethod(from_dict)
    return stub


def _export_order(cls: type, attrs: tuple[str, ...], order: tuple[str, ...] | None) -> tuple[str, ...]:
    if order is None:
        parent = next((spec_of(b) for b in cls.__mro__[1:] if "SPEC" in b.__dict__), None)
        base = () if parent is None else tuple(f.name for f in parent.fields)
        order = base + tuple(a for a in attrs if a not in base)
    if sorted(order) != sorted(attrs):
        raise TypeError(f"{cls.__name__}: export order {order} does not list the fields {attrs}")
    return order


def _kind_dump(f: Field) -> Callable[[Any], Any] | None:
    """How the kind writes a value to JSON; None when the value is written as it is."""
    if f.kind in (DATETIME, OPT_DATETIME):
        return iso
    if f.kind == OPT_DATE:
        return lambda v: None if v is None else v.isoformat()
    if f.kind == DATE:
        return lambda v: v.isoformat()
    if f.kind == HOURS:
        return hours_json
    if f.kind == LIST:
        return list
    if f.kind == RECORD:
        return lambda v: v.to_dict()
    if f.kind == OPT_RECORD:
        return lambda v: None if v is None else v.to_dict()
    if f.kind == RECORDS:
        return lambda v: [r.to_dict() for r in v]
    return None


def _make_to_dict(spec: RecordSpec) -> Callable[[Any], dict[str, Any]]:
    """`to_dict` compiled from the declaration, as dataclasses compiles `__init__`: a
    dict display is what the hand-written version was, and what keeps it as fast."""
    env: dict[str, Any] = {}
    items = []
    for f in spec.fields:
        if f.dump is not None:
            env[f"_d_{f.name}"] = f.dump
            items.append(f"{f.name!r}: _d_{f.name}(self)")
        elif f.kind == RECORD:  # inline: a call fewer per nested record
            items.append(f"{f.name!r}: self.{f.name}.to_dict()")
        elif (dump := _kind_dump(f)) is not None:
            env[f"_d_{f.name}"] = dump
            items.append(f"{f.name!r}: _d_{f.name}(self.{f.name})")
        else:
            items.append(f"{f.name!r}: self.{f.name}")
    src = "def to_dict(self):\n    return {" + ", ".join(items) + "}\n"
    exec(src, env)  # noqa: S102 - source built from declared names only
    to_dict: Callable[[Any], dict[str, Any]] = env["to_dict"]
    to_dict.__doc__ = "The record as plain JSON values (the export contract)."
    to_dict._derived = True  # type: ignore[attr-defined]
    return to_dict


def _kind_parse(f: Field) -> Parse:
    """The validator for one field: its own, or its kind's with the field's choices."""
    if f.parse is not None:
        return f.parse
    k = f.kind
    if k == TEXT:
        return _str
    if k == OPT_TEXT:
        return _opt_str
    if k == ID:
        return lambda d, key, path: _str(d, key, path) or new_id()
    if k == BOOL:
        return _bool
    if k == TRISTATE:
        return _tristate
    if k == COUNT:
        return _count
    if k == CHOICE:
        choices, default = f.choices or (), f.default
        return lambda d, key, path: _choice(d, key, path, choices, default)
    if k == LIST:
        choices_ = f.choices
        return lambda d, key, path: _str_list(d, key, path, choices_)
    if k in (DATETIME, OPT_DATETIME):

        def parse_dt(d: dict[str, Any], key: str, path: str) -> Any:
            value = d.get(key)
            return f.missing() if value is None else parse_iso_datetime(value, _join(path, key))

        return parse_dt
    if k == OPT_DATE:
        return lambda d, key, path: None if d.get(key) is None else parse_iso_date(d[key], _join(path, key))
    if k == DATE:
        return lambda d, key, path: parse_iso_date(d.get(key), _join(path, key))
    if k == HOURS:
        return lambda d, key, path: parse_hours(d.get(key), _join(path, key))
    if k in (RECORD, OPT_RECORD):
        sub_cls: Any = f.record

        def parse_sub(d: dict[str, Any], key: str, path: str) -> Any:
            value = d.get(key)
            return f.missing() if value is None else sub_cls.from_dict(value, _join(path, key))

        return parse_sub
    if k == RECORDS:
        item_cls: Any = f.record

        def parse_list(d: dict[str, Any], key: str, path: str) -> Any:
            value = d.get(key) or []
            if not isinstance(value, list):
                raise ValidationError(_join(path, key), f"expected a list, got {kind_of(value)}")
            return [item_cls.from_dict(v, f"{_join(path, key)}[{i}]") for i, v in enumerate(value)]

        return parse_list
    if k == OBJECT:

        def parse_obj(d: dict[str, Any], key: str, path: str) -> Any:
            value = d.get(key) or {}
            if not isinstance(value, dict):
                raise ValidationError(_join(path, key), f"expected an object, got {kind_of(value)}")
            return value

        return parse_obj
    if k == OPT_OBJECT:

        def parse_opt_obj(d: dict[str, Any], key: str, path: str) -> Any:
            value = d.get(key)
            if value is not None and not isinstance(value, dict):
                raise ValidationError(_join(path, key), f"expected an object or null, got {kind_of(value)}")
            return value

        return parse_opt_obj
    raise TypeError(f"{f.name}: kind {k!r} has no validator")


def _required(f: Field, parse: Parse) -> Parse:
    """A required field: missing (or blank text) reports `f.required` before anything else."""

    def parse_required(d: dict[str, Any], key: str, path: str) -> Any:
        if f.kind != TEXT and d.get(key) is None:
            raise ValidationError(_join(path, key), f.required)
        value = parse(d, key, path)
        if f.kind == TEXT and not value.strip():
            raise ValidationError(_join(path, key), f.required)
        return value

    return parse_required


def _make_from_dict(spec: RecordSpec) -> Callable[..., Any]:
    """`from_dict` from the declaration: strict about unknown fields and types, missing
    optional fields get their defaults, required fields are checked first.

    Compiled, as `to_dict` is: each field's value is taken and checked inline for the shape
    valid input has (a `str`, a bool, a known choice...), and only a value that is not
    plainly valid goes to the field's validator, which decides it (and words the error)
    exactly as before. An import of 25,000 entries makes about 1.5 million such checks."""
    ordered = [f for f in spec.fields if f.required] + [f for f in spec.fields if not f.required]
    env: dict[str, Any] = {"_obj": _obj, "_allowed": spec.allowed, "_what": spec.what, "_default_path": spec.path,
                           "dict": dict, "str": str, "int": int, "list": list, "_fast_list": _fast_list}
    lines = [
        "def from_dict(cls, data, path=None):",
        "    if path is None:",
        "        path = _default_path",
        "    if data.__class__ is not dict or not _allowed.issuperset(data):",
        "        _obj(data, path, _allowed, _what)",
        "    d = data",
    ]
    names = []
    for i, f in enumerate(ordered):
        v, p, key = f"v{i}", f"p{i}", repr(f.name)
        env[p] = _required(f, _kind_parse(f)) if f.required else _kind_parse(f)
        names.append(f"{f.name}={v}")
        call = f"{p}(d, {key}, path)"
        fast = None if f.parse is not None else _fast_check(f, v, i, env)
        if fast is None:
            lines.append(f"    {v} = {call}")
        else:
            lines.append(f"    {v} = d.get({key})")
            lines.append(f"    if {fast}:")
            lines.append(f"        {v} = {call}")
    lines.append("    return cls(" + ", ".join(names) + ")")
    exec("\n".join(lines) + "\n", env)  # noqa: S102 - source built from declared names only
    from_dict: Callable[..., Any] = env["from_dict"]
    from_dict.__doc__ = "The record read from plain JSON values; ValidationError names what does not fit."
    from_dict._derived = True  # type: ignore[attr-defined]
    return from_dict


def _fast_check(f: Field, v: str, i: int, env: dict[str, Any]) -> str | None:
    """An expression true unless `v` (the field's raw value, or None when missing) is
    plainly valid as it is, for the kinds whose valid value is the raw value itself;
    None: always ask the field's validator."""
    k = f.kind
    if k in (DATETIME, OPT_DATETIME):  # required or not: None goes to the validator
        env["_fast_datetime"] = _fast_datetime
        return f"{v}.__class__ is not str or ({v} := _fast_datetime({v})) is None"
    if f.required:
        return f"{v}.__class__ is not str or not {v}.strip()" if k == TEXT else None
    if k in (TEXT, OPT_TEXT):
        return f"{v}.__class__ is not str"  # None too: the validator gives the default
    if k == BOOL:
        return f"{v} is not True and {v} is not False"
    if k == TRISTATE:
        return f"{v} is not None and {v} is not True and {v} is not False"
    if k == COUNT:
        return f"{v}.__class__ is not int or {v} < 0"
    if k == CHOICE:
        env[f"c{i}"] = frozenset(f.choices or ())
        return f"{v}.__class__ is not str or {v} not in c{i}"
    if k == LIST:
        env[f"c{i}"] = None if f.choices is None else frozenset(f.choices)
        return f"{v}.__class__ is not list or ({v} := _fast_list({v}, c{i})) is None"
    if k in (RECORD, OPT_RECORD) and f.record is not None:
        env[f"r{i}"] = f.record
        call = f"({v} := r{i}.from_dict({v}, f'{{path}}.{f.name}' if path else {f.name!r})) is None"
        if k == OPT_RECORD and f.default is None and f.default_factory is None:  # null is the default itself
            return f"{v} is not None and {call}"
        return f"{v} is None or {call}"
    return None


def _fast_datetime(value: str) -> datetime | None:
    """A date-time in the form reflect writes (`2024-05-01T09:30:00+00:00`) and well inside
    the years reflect holds (an offset cannot take its UTC year out), as
    `parse_iso_datetime` reads it; None: let `parse_iso_datetime` decide (and word the
    error). Each entry has three: an import of 25,000 parses 75,000."""
    if len(value) != 25 or value[19] not in "+-":
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if MIN_YEAR < dt.year < MAX_YEAR and dt.tzinfo is not None else None


def _fast_list(value: list[Any], choices: frozenset[str] | None) -> list[str] | None:
    """A list of strings (of `choices`) without duplicates, or None: let `_str_list` decide."""
    out: list[str] = []
    for item in value:
        if item.__class__ is not str or (choices is not None and item not in choices):
            return None
        if item not in out:
            out.append(item)
    return out


# --- what derives from the declarations ---------------------------------------------------


def walk(cls: type, prefix: str = "") -> Iterator[tuple[str, Field]]:
    """Every field by its dotted path, nested records opened, in export order."""
    for f in spec_of(cls).fields:
        p = f"{prefix}{f.name}"
        yield p, f
        if f.kind in (RECORD, OPT_RECORD) and f.record is not None:
            yield from walk(f.record, p + ".")


def leaves(cls: type) -> Iterator[tuple[str, Field]]:
    """The fields that hold a value (not a nested record), by dotted path."""
    return ((p, f) for p, f in walk(cls) if f.kind not in (RECORD, OPT_RECORD))


def csv_columns(cls: type) -> tuple[str, ...]:
    """The CSV header: every leaf in export order, unless declared out of CSV."""
    return tuple(p for p, f in leaves(cls) if f.csv)


def labels(cls: type) -> dict[str, str]:
    """The export (Markdown) label of every declared field that has one, by dotted path."""
    return {p: f.label for p, f in walk(cls) if f.label}


def view_labels(cls: type) -> dict[str, str]:
    """The entry view's label of every field that has one, by dotted path."""
    return {p: f.view_label for p, f in walk(cls) if f.view_label}


def free_text(cls: type) -> tuple[str, ...]:
    """The dotted paths of the free text a person typed (searched, privacy-checked)."""
    return tuple(p for p, f in walk(cls) if f.free_text)


class FormItem(NamedTuple):
    """One field of the encounter form, as a front end builds and reads it."""

    path: str  # dotted entry field, e.g. "select.checks.brief"
    widget: str  # input / textarea / select / radio / checkbox / tristate / list / multiselect / number / date
    id: str  # the widget's id
    label: str
    help: str
    choices: tuple[str, ...] | None
    placeholder: str = ""


def form_map(cls: type) -> dict[str, tuple[FormItem, ...]]:
    """For each form page (in the order pages first appear), its fields in order."""
    pages: dict[str, list[tuple[int, int, FormItem]]] = {}
    for n, (path, f, pos, id_pattern) in enumerate(_form_leaves(cls, "", 0)):
        assert f.form is not None
        item = FormItem(
            path=path,
            widget=f.form.widget,
            id=f.form.id or id_pattern.format(name=f.name),
            label=f.form.label or f.label,
            help=f.help,
            choices=f.choices,
            placeholder=f.form.placeholder,
        )
        pages.setdefault(f.form.page, []).append((pos, n, item))
    return {page: tuple(i for _, _, i in sorted(items, key=lambda t: t[:2])) for page, items in pages.items()}


def _form_leaves(cls: type, prefix: str, pos: int) -> Iterator[tuple[str, Field, int, str]]:
    """(dotted path, field, page position, widget id pattern) of every field on the form."""
    spec = spec_of(cls)
    for f in spec.fields:
        p = f"{prefix}{f.name}"
        here = f.form.pos if f.form is not None and f.form.pos else pos
        if f.kind in (RECORD, OPT_RECORD) and f.record is not None and (f.form is None or not f.form.widget):
            yield from _form_leaves(f.record, p + ".", here)
        elif f.form is not None:
            yield p, f, here, spec.form_id
