"""The dates people type, and supervision schedules.

Pure: stdlib and python-dateutil only (no textual, no tinydb, no disk).

Two rules run through this module:

* Never guess. Every accepted form is spelled out below; anything else raises
  `DateError` quoting the input and showing forms that work. dateutil's fuzzy
  parser is deliberately not used: "yesterdayy" silently becoming today would
  put entries in the wrong supervision window.
* "Local" means the zone of the `now`/`after` the caller passes, or the
  machine's zone when none is passed. Local wall times for other dates are
  attached with `naive.astimezone()`, so each date gets its own UTC offset and
  "yesterday" stays midnight across a daylight-saving change.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # dateutil is imported where a phrase or a schedule is read: home's first
    from dateutil.rrule import rrule  # frame needs neither (about 8 ms of a start, with six)

from reflect.domain.years import MAX_YEAR, MIN_YEAR, in_future  # noqa: F401 - declared in years.py

__all__ = [
    "DateError",
    "MAX_YEAR",
    "MIN_YEAR",
    "SCHEDULE_ANCHOR",
    "describe_schedule",
    "format_when",
    "in_future",
    "next_meeting",
    "parse_schedule",
    "parse_when",
]


class DateError(ValueError):
    """A date or schedule that cannot be read; the message quotes it and says what works."""


DATE_HINT = "try 2026-11-03, yesterday, 3 days ago, last tuesday or tuesday 3pm"
SCHEDULE_HINT = (
    "try weekly, every 2 weeks on tuesday at 10:00, every other friday at 2pm, "
    "every month on the first monday at 9am, or an RRULE such as FREQ=WEEKLY;BYDAY=TU;BYHOUR=10"
)

#: The DTSTART given to schedules that have none: Monday 2026-01-05 00:00, floating
#: (read as local time). A fixed anchor keeps "every 2 weeks" on the same weeks
#: whatever day it is asked, and its Monday makes whole weeks count from Monday.
SCHEDULE_ANCHOR = datetime(2026, 1, 5)

# --- words ----------------------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_WORDS: dict[str, int] = {}
for _i, _name in enumerate(_WEEKDAYS):
    _WEEKDAY_WORDS[_name] = _i
    _WEEKDAY_WORDS[_name[:3]] = _i
for _word, _i in (("tues", 1), ("weds", 2), ("thur", 3), ("thurs", 3)):
    _WEEKDAY_WORDS[_word] = _i
_WEEKDAY_RX = "(?:" + "|".join(sorted(_WEEKDAY_WORDS, key=len, reverse=True)) + ")"

_MONTHS = ("january", "february", "march", "april", "may", "june", "july",
           "august", "september", "october", "november", "december")  # fmt: skip
_MONTH_WORDS: dict[str, int] = {}
for _i, _name in enumerate(_MONTHS, start=1):
    _MONTH_WORDS[_name] = _i
    _MONTH_WORDS[_name[:3]] = _i
_MONTH_WORDS["sept"] = 9
_MONTH_RX = "(?:" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + ")"

_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_TIME_RX = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}(?::\d{2})?|noon|midday|midnight)"
_COUNT_RX = r"(?:\d+|an?|one)"


def _count(word: str) -> int:
    return int(word) if word.isdigit() else 1


def _normalise(text: str) -> str:
    """Lower case, commas as spaces, single spaces: the only leniency we allow."""
    return " ".join(text.replace(",", " ").split()).lower()


def _parse_time(text: str) -> time | None:
    """'3pm', '9:15am', '15:30', '15:30:45', 'noon', 'midnight'; None if out of range."""
    if text in ("noon", "midday"):
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)", text)
    if m:
        hour, minute = int(m[1]), int(m[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if m[3].startswith("p") else 0)
        return time(hour, minute)
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if m:
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
        return time(hour, minute, second)
    return None


# --- parse_when -------------------------------------------------------------------

# Each pattern is compiled by `re` on its first use (and cached there), not at import: home
# imports this module to label times, and its first frame reads no phrase (compiling these
# eight was about 3 ms of the start).
_ISO_DATETIME = (
    r"\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:z|[+-]\d{2}(?::?\d{2})?)?"
)
_AGO_EXACT = rf"({_COUNT_RX}) (second|sec|minute|min|hour|hr)s? ago"
_AGO_DAYS = rf"({_COUNT_RX}) (day|week|wk|month|year|yr)s? ago"
_IN_DAYS = rf"in ({_COUNT_RX}) (day|week|wk|month|year|yr)s?"
_TIME_LAST = rf"(?:(?P<day>.+?) )?(?:at )?(?P<time>{_TIME_RX})"
_TIME_FIRST = rf"(?:at )?(?P<time>{_TIME_RX}) (?:on )?(?P<day>.+)"
_DAY_MONTH = (
    rf"(?:(?P<wd>{_WEEKDAY_RX}) )?(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?P<m>{_MONTH_RX})(?: (?P<y>\d{{4}}))?"
)
_MONTH_DAY = (
    rf"(?:(?P<wd>{_WEEKDAY_RX}) )?(?P<m>{_MONTH_RX}) (?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?: (?P<y>\d{{4}}))?"
)


class _Unreadable(Exception):
    """Internal: the phrase is not one we read; `reason` adds detail to the message."""

    def __init__(self, reason: str = ""):
        super().__init__(reason)
        self.reason = reason


def _local(now: datetime | None) -> tuple[datetime, Callable[[datetime], datetime], Callable[[datetime], datetime]]:
    """`now` plus two helpers: attach a naive local wall time, convert an aware time to local."""
    if now is None or now.tzinfo is None:
        now = datetime.now().astimezone() if now is None else now.astimezone()
        return now, lambda naive: naive.astimezone(), lambda aware: aware.astimezone()
    tz = now.tzinfo
    return now, lambda naive: naive.replace(tzinfo=tz), lambda aware: aware.astimezone(tz)


def _weekday(word: str) -> int:
    return _WEEKDAY_WORDS[word.rstrip("s") if word not in _WEEKDAY_WORDS else word]


def _calendar_day(m: re.Match[str], today: date) -> date:
    """'3 nov', 'tue 3 nov', '3 nov 2025', 'nov 3 2025': a year left out is this year."""
    year = int(m["y"]) if m["y"] else today.year
    try:
        day = date(year, _MONTH_WORDS[m["m"]], int(m["d"]))
    except ValueError as exc:
        raise _Unreadable(str(exc)) from None
    if m["wd"] is not None and _WEEKDAY_WORDS[m["wd"]] != day.weekday():
        raise _Unreadable(f"{day.day} {_MONTH_ABBR[day.month - 1]} {day.year} is a {_WEEKDAYS[day.weekday()].title()}")
    return day


def _parse_day(s: str, today: date, future: bool = False) -> date:
    """A phrase naming a whole day. Raises _Unreadable for anything else.

    With `future` (due dates), a bare weekday is the coming one (today included)."""
    if s in ("", "today"):
        return today
    if s == "yesterday":
        return today - timedelta(days=1)
    if s == "tomorrow":
        return today + timedelta(days=1)
    if s in ("last week", "last month", "last year"):
        s = "1 " + s.split()[1] + " ago"
    m = re.fullmatch(_AGO_DAYS, s) or re.fullmatch(_IN_DAYS, s)
    if m:
        n, unit = _count(m[1]), m[2]
        if s.startswith("in "):
            n = -n
        from dateutil.relativedelta import relativedelta

        delta = {
            "day": relativedelta(days=n),
            "week": relativedelta(weeks=n),
            "wk": relativedelta(weeks=n),
            "month": relativedelta(months=n),
            "year": relativedelta(years=n),
            "yr": relativedelta(years=n),
        }[unit]
        try:
            return today - delta
        except (OverflowError, ValueError):
            raise _Unreadable("too far away") from None
    m = re.fullmatch(rf"(?:(last|this) )?({_WEEKDAY_RX})", s)
    if m:
        target = _WEEKDAY_WORDS[m[2]]
        back = (today.weekday() - target) % 7
        if m[1] == "last":
            return today - timedelta(days=back or 7)  # strictly before today
        if m[1] == "this":
            return today + timedelta(days=target - today.weekday())  # in this Monday-Sunday week
        if future:
            return today + timedelta(days=(target - today.weekday()) % 7)  # coming, today included
        return today - timedelta(days=back)  # most recent, today included
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            return date.fromisoformat(s)
        except ValueError as exc:
            raise _Unreadable(str(exc)) from None
    m = re.fullmatch(_DAY_MONTH, s) or re.fullmatch(_MONTH_DAY, s)
    if m:
        return _calendar_day(m, today)
    raise _Unreadable()


def parse_when(text: str, *, now: datetime | None = None, end: bool = False, future: bool = False) -> datetime:
    """Read a date someone typed into an aware datetime in the local zone.

    Forms: ISO dates and date-times (an offset is honoured, then converted to local);
    `now`, `today`, `yesterday`, `tomorrow`; `N minutes|hours|days|weeks|months|years ago`
    (`a week ago`, `an hour ago`); `in N days|weeks|months|years` (due dates);
    `last week|month|year` (= 1 week/month/year ago);
    `tuesday` (the most recent, today included), `last tuesday` (strictly before today),
    `this tuesday` (in this Monday-Sunday week); `3 nov`, `tue 3 nov`, `3 nov 2025`
    (so `format_when` labels read back); and any day phrase with a time: `yesterday 3pm`,
    `last tuesday at 15:30`, `3pm yesterday`, `9:15am` (today).

    A day without a time is 00:00, or 23:59:59.999999 with `end=True`, so that
    `--until yesterday` includes all of yesterday. `now`, `N minutes|hours ago` and
    phrases with a time are exact and ignore `end`. With `future=True` (a due date), a
    bare weekday means the coming one rather than the most recent.
    """
    raw = text
    s = _normalise(text)
    s = s[3:] if s.startswith("at ") else s
    now, attach, convert = _local(now)

    def fail(reason: str = "") -> DateError:
        detail = f" ({reason})" if reason else ""
        return DateError(f"cannot read the date {raw!r}{detail}: {DATE_HINT}")

    if not s:
        raise fail()
    if re.fullmatch(_ISO_DATETIME, s):
        try:
            parsed = datetime.fromisoformat(s.upper())
        except ValueError as exc:
            raise fail(str(exc)) from None
        return attach(parsed) if parsed.tzinfo is None else convert(parsed)
    if s == "now":
        return now
    m = re.fullmatch(_AGO_EXACT, s)
    if m:
        n, unit = _count(m[1]), m[2]
        seconds = n * {"second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600}[unit]
        try:
            return convert(now.astimezone(timezone.utc) - timedelta(seconds=seconds))
        except OverflowError:
            raise fail("too far back") from None

    m = re.fullmatch(_TIME_LAST, s) or re.fullmatch(_TIME_FIRST, s)
    day_text, clock = (m["day"] or "", _parse_time(m["time"])) if m else (s, None)
    if m and clock is None:
        raise fail(f"no such time {m['time']!r}")
    try:
        day = _parse_day(day_text, now.date(), future)
    except _Unreadable as exc:
        raise fail(exc.reason) from None
    if clock is None:
        clock = time.max if end else time.min
    return attach(datetime.combine(day, clock))


# --- format_when ----------------------------------------------------------------


def format_when(dt: datetime, *, now: datetime | None = None) -> str:
    """A short label for lists: `today 14:30`, `yesterday 09:00`, `tomorrow 10:00`,
    `Tue 3 Nov 14:30` within this year, `3 Nov 2025 14:30` otherwise.

    Shown in the local zone (that of `now` when given). English names, not the
    C locale's, so labels are stable and `parse_when` reads every one of them back.
    """
    now, attach, convert = _local(now)
    dt = attach(dt) if dt.tzinfo is None else convert(dt)
    clock = f"{dt.hour:02d}:{dt.minute:02d}"
    days = (dt.date() - now.date()).days
    if days == 0:
        return f"today {clock}"
    if days == -1:
        return f"yesterday {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    month = _MONTH_ABBR[dt.month - 1]
    if dt.year == now.year:
        return f"{_DAY_ABBR[dt.weekday()]} {dt.day} {month} {clock}"
    return f"{dt.day} {month} {dt.year} {clock}"


# --- schedules ------------------------------------------------------------------

_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
             "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "last": -1}  # fmt: skip
_ORDINAL_RX = "(?:" + "|".join(_ORDINALS) + ")"
_DAY_LIST_RX = rf"{_WEEKDAY_RX}s?(?: (?:and )?{_WEEKDAY_RX}s?)*"
_FREQ_NAMES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")  # dateutil's rrule frequencies
_UNIT_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY"}


def _schedule_error(raw: str, reason: str = "") -> DateError:
    detail = f" ({reason})" if reason else ""
    return DateError(f"cannot read the schedule {raw!r}{detail}: {SCHEDULE_HINT}")


def _phrase_to_rrule(s: str, starting: date | None = None) -> str | None:
    """A schedule phrase as DTSTART/RRULE lines, or None if it is not one we read.
    `starting` (the day the schedule is set) anchors a phrase that names no start."""
    rest = s
    freq, interval, byday, bymonthday, dtstart = "", 1, "", "", ""

    def take(pattern: str) -> re.Match[str] | None:
        nonlocal rest
        m = re.match(rf"(?:{pattern})(?: |$)", rest)
        if m:
            rest = rest[m.end() :]
        return m

    if m := take(r"daily|weekly|fortnightly|monthly"):
        freq, interval = {"daily": ("DAILY", 1), "weekly": ("WEEKLY", 1),
                          "fortnightly": ("WEEKLY", 2), "monthly": ("MONTHLY", 1)}[m[0].strip()]  # fmt: skip
    elif m := take(r"every (?:(other) |(\d+) )?(day|week|month)s?"):
        freq, interval = _UNIT_FREQ[m[3]], 2 if m[1] else int(m[2] or 1)
    elif m := take(rf"every (?:(other) |(\d+) )?({_DAY_LIST_RX})"):
        freq, interval = "WEEKLY", 2 if m[1] else int(m[2] or 1)
        byday = ",".join(_RRULE_DAYS[_weekday(w)] for w in re.findall(_WEEKDAY_RX + "s?", m[3]))
    else:
        return None
    if interval < 1:
        return None

    said_on = bool(take("on"))
    if freq == "WEEKLY" and not byday and (m := take(_DAY_LIST_RX)):
        byday = ",".join(_RRULE_DAYS[_weekday(w)] for w in re.findall(_WEEKDAY_RX + "s?", m[0]))
    elif freq == "MONTHLY" and (m := take(rf"(?:the )?({_ORDINAL_RX}) ({_WEEKDAY_RX})")):
        byday = f"{_ORDINALS[m[1]]:+d}{_RRULE_DAYS[_weekday(m[2])]}"
    elif freq == "MONTHLY" and take(r"(?:the )?last day"):
        bymonthday = "-1"
    elif freq == "MONTHLY" and (m := take(r"(the )?(\d{1,2})(st|nd|rd|th)?")):
        if not (said_on or m[1] or m[3]) or not 1 <= int(m[2]) <= 31:
            return None  # "monthly 15" is not clear enough to read as the 15th
        bymonthday = str(int(m[2]))
    elif said_on:
        return None

    # A phrase that names no day gets one written out, so describe_schedule shows it.
    if freq == "WEEKLY" and not byday:
        byday = _RRULE_DAYS[SCHEDULE_ANCHOR.weekday()]
    if freq == "MONTHLY" and not byday and not bymonthday:
        bymonthday = "1"

    clock = None
    if m := take(rf"(?:at )?({_TIME_RX})"):
        clock = _parse_time(m[1])
        if clock is None:
            return None
    if m := take(r"(?:starting|from|beginning) (?:on )?(\d{4}-\d{2}-\d{2})"):
        try:
            dtstart = date.fromisoformat(m[1]).strftime("%Y%m%dT000000")
        except ValueError:
            return None
    if rest:
        return None
    if not dtstart and starting is not None:
        first = starting
        if freq == "WEEKLY":  # the first meeting day from `starting` on opens the count
            days = {_RRULE_DAYS.index(d) for d in byday.split(",")}
            while first.weekday() not in days:
                first += timedelta(days=1)
        dtstart = first.strftime("%Y%m%dT000000")

    parts = [f"FREQ={freq}"]
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    if bymonthday:
        parts.append(f"BYMONTHDAY={bymonthday}")
    if byday:
        parts.append(f"BYDAY={byday}")
    if clock is not None:
        parts += [f"BYHOUR={clock.hour}", f"BYMINUTE={clock.minute}"]
        if clock.second:
            parts.append(f"BYSECOND={clock.second}")
    rule = "RRULE:" + ";".join(parts)
    return f"DTSTART:{dtstart}\n{rule}" if dtstart else rule


def _split_rrule(text: str) -> tuple[str, str]:
    """(DTSTART line or "", RRULE body) of a raw rule; DateError-free, raises _Unreadable."""
    dtstart, body = "", ""
    for line in (part.strip() for part in text.strip().splitlines()):
        if not line:
            continue
        head = line.upper()
        if head.startswith("DTSTART") and not dtstart:
            # dateutil would read "DTSTART:2026" as some day this year: check the shape first.
            if not re.fullmatch(r"DTSTART(?:;TZID=[^:;]+)?:\d{8}(?:T\d{6}Z?)?", line, re.IGNORECASE):
                raise _Unreadable("DTSTART must look like DTSTART:20261124T100000")
            dtstart = line
        elif head.startswith("RRULE:") and not body:
            body = line[len("RRULE:") :].strip().upper()
        elif head.startswith("FREQ=") and not body:
            body = head
        else:
            raise _Unreadable("only one RRULE line and an optional DTSTART line")
    if not body:
        raise _Unreadable("no RRULE")
    return dtstart, body


def _load(text: str) -> tuple[rrule, str]:
    """A validated rule and its canonical text. Raises _Unreadable."""
    dtstart_line, body = _split_rrule(text)
    fields = {}
    for part in body.split(";"):
        key, eq, value = part.partition("=")
        if not eq or not key or key in fields:
            raise _Unreadable(f"bad RRULE part {part!r}")
        fields[key] = value
    if fields.get("FREQ") not in _FREQ_NAMES:
        raise _Unreadable("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
    for key in ("INTERVAL", "COUNT"):  # dateutil loops forever on INTERVAL=0
        if key in fields and (not fields[key].isdigit() or int(fields[key]) < 1):
            raise _Unreadable(f"{key} must be a whole number from 1")
    source = (dtstart_line + "\n" if dtstart_line else "") + "RRULE:" + body
    from dateutil.rrule import rrule, rrulestr

    try:
        if dtstart_line:
            rule = rrulestr(source)
        else:
            rule = rrulestr(source, dtstart=SCHEDULE_ANCHOR)
    except (ValueError, TypeError, OverflowError, KeyError) as exc:
        raise _Unreadable(str(exc) or type(exc).__name__) from None
    if not isinstance(rule, rrule):
        raise _Unreadable("only one RRULE")
    canonical = str(rule)
    start = rule._dtstart
    if start is not None and start.tzinfo is not None:
        # str() drops zones; keep the given DTSTART line and an UNTIL in UTC.
        rule_line = canonical.splitlines()[-1]
        until = rule._until
        if until is not None:
            stamp = until.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            rule_line = re.sub(r"UNTIL=[0-9TZ]+", f"UNTIL={stamp}", rule_line)
        canonical = f"{dtstart_line}\n{rule_line}"
    return rule, canonical


def parse_schedule(text: str, *, starting: date | None = None) -> str:
    """Validate a supervision schedule; return canonical `DTSTART:...\\nRRULE:...` text.

    Reads a raw RRULE (with or without `RRULE:`, optional DTSTART line) or a phrase:
    `weekly`, `fortnightly`, `monthly`, `every week on tuesday at 10:00`,
    `every 2 weeks on tuesday at 10:00`, `every other friday at 2pm`,
    `every month on the first monday at 9am`, `every month on the 15th`,
    `every 4 weeks on thursday`, optionally `... starting 2026-11-24` to pick which
    weeks an every-N-weeks meeting falls on. A phrase naming no day gets Monday
    (weekly) or the 1st (monthly) written out; no time means the start of the day.
    Without a DTSTART the fixed SCHEDULE_ANCHOR is written in, so the result is
    self-contained: `dateutil.rrule.rrulestr` gives the same dates as `next_meeting`.
    `starting` (the day a person sets the schedule) is written in instead for a phrase,
    so "every 2 weeks on tuesday" means the first Tuesday from that day on, then every
    other one, not whichever weeks the fixed anchor happens to pick.
    "" means no schedule and is returned as "". Canonical text reads back unchanged.
    """
    raw = text
    if not text.strip():
        return ""
    s = _normalise(text)
    if "freq=" in s or s.startswith(("rrule:", "dtstart")):
        source = text
    else:
        source = _phrase_to_rrule(s, starting) or ""
        if not source:
            raise _schedule_error(raw)
    try:
        return _load(source)[1]
    except _Unreadable as exc:
        raise _schedule_error(raw, exc.reason) from None


def _rule(schedule: str) -> rrule:
    try:
        return _load(parse_schedule(schedule))[0]
    except _Unreadable as exc:  # pragma: no cover - parse_schedule validated it
        raise _schedule_error(schedule, exc.reason) from None


def next_meeting(schedule: str, *, after: datetime | None = None) -> datetime | None:
    """The first meeting strictly after `after` (default now), aware; None if no schedule
    is set or the rule has no occurrence left (COUNT/UNTIL).

    Takes a phrase or an RRULE (it runs parse_schedule). Floating times (no zone in
    DTSTART) are wall times in the zone of `after`, or the local zone; a rule without
    DTSTART is anchored at SCHEDULE_ANCHOR so "every 2 weeks" gives the same dates
    whatever day it is asked.
    """
    if not schedule.strip():
        return None
    rule = _rule(schedule)
    now, attach, convert = _local(after)
    start = rule._dtstart
    if start is not None and start.tzinfo is not None:
        found = rule.after(now, inc=False)
        return None if found is None else convert(found)
    found = rule.after(now.replace(tzinfo=None), inc=False)
    return None if found is None else attach(found)


def _nth(n: int) -> str:
    """15 -> '15th'; -1 -> 'last'."""
    if n == -1:
        return "last"
    if n < 0:
        return f"{_nth(-n)} from last"
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _ordinal(n: int) -> str:
    """1 -> 'first', as in 'the first Monday'; -1 -> 'last'."""
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n) or _nth(n)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_schedule(schedule: str) -> str:
    """A short phrase for screens, e.g. "every 2 weeks on Tuesday at 10:00".

    "" gives "no schedule". Rules beyond what we put into words (BYSETPOS, BYWEEKNO...)
    are shown as their RRULE text rather than described wrongly.
    """
    if not schedule.strip():
        return "no schedule"
    canonical = parse_schedule(schedule)
    rule, _ = _load(canonical)
    body = canonical.splitlines()[-1].removeprefix("RRULE:")
    fields = dict(part.split("=", 1) for part in body.split(";"))
    start = rule._dtstart
    known = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
             "BYHOUR", "BYMINUTE", "BYSECOND", "WKST"}  # fmt: skip
    if set(fields) - known or len(fields.get("BYMINUTE", "0").split(",")) > 1:
        return body

    freq = fields["FREQ"]
    interval = int(fields.get("INTERVAL", "1"))
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[freq]
    words = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"

    days: list[str] = []
    for token in filter(None, fields.get("BYDAY", "").split(",")):
        m = re.fullmatch(r"([+-]?\d+)?([A-Z]{2})", token)
        if not m:
            return body
        name = _WEEKDAYS[_RRULE_DAYS.index(m[2])].title()
        days.append(f"the {_ordinal(int(m[1]))} {name}" if m[1] else name)
    monthdays = [int(d) for d in filter(None, fields.get("BYMONTHDAY", "").split(","))]
    months = [int(x) for x in filter(None, fields.get("BYMONTH", "").split(","))]
    if months and not (freq == "YEARLY" and len(months) == 1 and len(monthdays) <= 1 and not days):
        return body
    if days and monthdays:
        return body
    if days:
        words += " on " + _and(days)
    elif monthdays:
        label = "the last day" if monthdays == [-1] else "the " + _and([_nth(d) for d in monthdays])
        if freq == "YEARLY":
            month = _MONTH_ABBR[(months[0] if months else start.month) - 1]
            label = f"{monthdays[0]} {month}" if monthdays[0] > 0 else f"the last day of {month}"
        words += " on " + label
    elif freq == "WEEKLY":
        words += " on " + _WEEKDAYS[start.weekday()].title()
    elif freq == "MONTHLY":
        words += " on the " + _nth(start.day)
    elif freq == "YEARLY":
        words += f" on {start.day} {_MONTH_ABBR[(months[0] if months else start.month) - 1]}"

    hours = [int(h) for h in filter(None, fields.get("BYHOUR", "").split(","))] or [start.hour]
    minute = int(fields.get("BYMINUTE", str(start.minute)))
    if hours != [0] or minute:
        words += " at " + _and([f"{h:02d}:{minute:02d}" for h in hours])
    if "COUNT" in fields:
        n = int(fields["COUNT"])
        words += f", {n} time{'s' if n != 1 else ''} in all"
    if rule._until is not None:
        until = rule._until
        words += f", until {until.day} {_MONTH_ABBR[until.month - 1]} {until.year}"
    return words
