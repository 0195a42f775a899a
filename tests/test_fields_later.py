"""What `@record` derives is the same when built lazily (issue 9, item 18: start-up).

`to_dict`/`from_dict` are compiled on a record's first use, once; `__repr__` and `__eq__`
are Record's own rather than compiled per class by dataclass. Behaviour is unchanged.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from reflect.domain.model import Credentials, Entry, Listen, Story, ValidationError, now


def test_each_derived_method_is_compiled_once_on_first_use() -> None:
    code = (
        "from reflect.domain.model import Story\n"
        "stub_to, stub_from = Story.__dict__['to_dict'], Story.__dict__['from_dict']\n"
        "doc = Story(title='t').to_dict(); Story.from_dict(doc)\n"
        "to, fr = Story.__dict__['to_dict'], Story.__dict__['from_dict']\n"
        "Story(title='u').to_dict(); Story.from_dict(doc)\n"
        "print(to is not stub_to, fr is not stub_from, Story.__dict__['to_dict'] is to, Story.__dict__['from_dict'] is fr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "True"], out.stderr


def test_a_hand_written_from_dict_still_wraps_the_derived_one() -> None:
    entry = Entry(occurred=now(), person="A", listen=Listen(story="a story"))
    again = Entry.from_dict(entry.to_dict())
    assert (again.person, again.listen.story) == ("A", "a story")
    with pytest.raises(ValidationError, match="listen"):
        Entry.from_dict({**entry.to_dict(), "listen": {"story": 3}})


def test_repr_and_equality_are_those_of_a_dataclass() -> None:
    a = Credentials(peer="P", supervisor="S")
    assert repr(a) == "Credentials(peer='P', supervisor='S')"
    assert a == Credentials(peer="P", supervisor="S")
    assert a != Credentials(peer="P", supervisor="T")
    assert a != Story(title="P")  # another record kind is never equal
    assert a.__eq__(object()) is NotImplemented
    with pytest.raises(TypeError):
        hash(a)
    assert dataclasses.is_dataclass(a) and dataclasses.asdict(a) == {"peer": "P", "supervisor": "S"}
    story = Story(title="t")
    fields = ", ".join(f"{f.name}={getattr(story, f.name)!r}" for f in dataclasses.fields(story))  # as dataclass writes it
    assert repr(story) == f"Story({fields})"
