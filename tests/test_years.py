"""Dates that break the journal are refused at the door (issue 8, item 13).

0001-01-01 and 9999-12-31 used to import, then `list` and the app crashed with
OverflowError in zones where they have no local time; a year before 1000 was filed in
`999-05.json`, which sorts after 2024. One range, declared in `reflect.domain.years`,
is checked by `parse_iso_datetime` (every stored date-time), so `Entry.from_dict` and
`parse_import` refuse the rest with one message naming the field, never the value.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest

from reflect.domain import dates, years
from reflect.domain.formats import ImportFormatError, parse_import
from reflect.domain.model import Entry, Meeting, ValidationError, parse_iso_date, parse_iso_datetime

BAD = [
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+00:00",
    "0999-05-01T10:00:00+00:00",
    "1899-12-31T23:59:59+00:00",
    "3000-01-01T00:00:00+00:00",
]
GOOD = ["1900-01-01T12:00:00+00:00", "2024-05-03T10:00:00+00:00", "2999-12-31T11:00:00+00:00"]
ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"]  # UTC+14 and UTC-11: the calendar's edges


@pytest.fixture(params=ZONES)
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test with the process in this time zone, then restore the old one."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def entry(**kw: object) -> dict[str, object]:
    return {"id": "e-1", "occurred": "2024-05-03T10:00:00+00:00", **kw}


def _no_value(message: str, value: str) -> None:
    assert value not in message and value[:10] not in message, message


@pytest.mark.parametrize("value", BAD)
def test_entry_from_dict_refuses_a_date_out_of_range(zone: str, value: str) -> None:
    with pytest.raises(ValidationError) as info:
        Entry.from_dict(entry(occurred=value))
    assert info.value.path == "occurred"
    assert "out of range" in str(info.value) and "1900" in str(info.value) and "2999" in str(info.value)
    _no_value(str(info.value), value)


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("key", ["recorded", "updated"])
def test_every_stored_date_time_is_checked(zone: str, value: str, key: str) -> None:
    with pytest.raises(ValidationError) as info:
        Entry.from_dict(entry(**{key: value}))
    assert info.value.path == key
    _no_value(str(info.value), value)


@pytest.mark.parametrize("value", BAD)
def test_parse_import_refuses_it_naming_the_field_and_position(zone: str, value: str) -> None:
    text = json.dumps([entry(id="e-0"), entry(id="e-1", occurred=value)])
    with pytest.raises(ImportFormatError) as info:
        parse_import(text, source="in.json")
    message = str(info.value)
    assert message.startswith("in.json: entry 2"), message
    assert "occurred: out of range" in message
    assert "\n" not in message
    _no_value(message, value)


@pytest.mark.parametrize("value", BAD)
def test_a_naive_date_time_out_of_range_is_refused_without_overflow(zone: str, value: str) -> None:
    naive = value[:-6]  # no offset: taken as local time, which 0001-01-01 has not everywhere
    with pytest.raises(ValidationError) as info:
        parse_iso_datetime(naive, "occurred")
    assert info.value.path == "occurred"


@pytest.mark.parametrize("value", GOOD)
def test_dates_inside_the_range_are_accepted_and_list_in_every_zone(zone: str, value: str) -> None:
    e = Entry.from_dict(entry(occurred=value))
    local = e.occurred.astimezone()  # what `list` and the app do
    assert years.MIN_YEAR - 1 <= local.year <= years.MAX_YEAR + 1
    assert len(f"{e.occurred.astimezone(timezone.utc).year:04d}") == 4  # month files sort by name


def test_an_offset_that_crosses_the_edge_is_refused() -> None:
    # in range where written, but its UTC month (the file it goes in) is not
    with pytest.raises(ValidationError):
        parse_iso_datetime("2999-12-31T23:00:00-05:00", "occurred")
    with pytest.raises(ValidationError):
        parse_iso_datetime("1900-01-01T00:30:00+01:00", "occurred")


def test_a_datetime_object_is_checked_too() -> None:
    with pytest.raises(ValidationError):
        parse_iso_datetime(datetime(1, 1, 1, tzinfo=timezone.utc), "held")


def test_other_records_refuse_it_too() -> None:
    with pytest.raises(ValidationError) as info:
        Meeting.from_dict({"id": "m-1", "held": "0999-05-01T10:00:00+00:00"})
    assert info.value.path == "held"


@pytest.mark.parametrize("value", ["0999-05-01", "3000-01-01", "1899-12-31"])
def test_days_out_of_range_are_refused(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_iso_date(value, "due")
    assert "out of range" in str(info.value)
    assert value not in str(info.value)
    assert parse_iso_date("2024-05-24", "due") == date(2024, 5, 24)


def test_the_range_is_declared_once() -> None:
    assert (dates.MIN_YEAR, dates.MAX_YEAR) == (years.MIN_YEAR, years.MAX_YEAR) == (1900, 2999)
    assert dates.in_future is years.in_future


def test_in_future_allows_a_little_clock_skew() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
    assert not years.in_future(now, now)
    assert not years.in_future(now + timedelta(minutes=4), now)
    assert years.in_future(now + timedelta(minutes=6), now)
    assert years.in_future(now + timedelta(days=1), now)
    assert not years.in_future(now - timedelta(days=1), now)
    other_zone = (now + timedelta(hours=1)).astimezone(timezone(timedelta(hours=14)))
    assert years.in_future(other_zone, now)


def test_in_future_reads_the_clock_by_default() -> None:
    assert years.in_future(datetime.now(timezone.utc) + timedelta(days=2))
    assert not years.in_future(datetime.now(timezone.utc) - timedelta(days=2))
