"""Reading the encounter form back, and showing what fits the decision, by the form map.

The pages (steps.py) build one widget per form item; this module reads each one back
into the entry's shape at the item's dotted path, so no screen code names a field's
widget. Also here: which items a held-back decision hides, and when an entry is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Select, SelectionList, TextArea

from reflect.domain import cycle, fields
from reflect.domain.fields import FormItem
from reflect.domain.model import Entry
from reflect.screens.steps import FORM, HOLD_HIDES, HOLD_LABELS, HOLD_ONLY, NEW_PART, Tristate, field_base, value_at

ITEMS: dict[str, FormItem] = {item.path: item for page in FORM.values() for item in page}


def split_list(text: str) -> list[str]:
    """A comma-separated field as a list: items trimmed, empties and repeats dropped."""
    out: list[str] = []
    for item in text.split(","):
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return out


def read_item(root: Widget, item: FormItem) -> object:
    """One item's value, as the entry holds it, from its widget under `root`."""
    return read_value(root.query_one(f"#{item.id}"), item)


def read_value(widget: Widget, item: FormItem) -> object:
    """What `widget`, built for `item`, holds, as the entry holds it."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input):
        text = widget.value
        if item.widget == fields.LIST_W:
            return split_list(text)
        if item.widget == fields.NUMBER_W:
            return int(text) if text.strip().isdigit() else None
        return text
    if isinstance(widget, Select):
        value = widget.value
        return None if value in (NEW_PART, Select.BLANK) else value
    if isinstance(widget, RadioSet):
        return _radio(widget, item)
    if isinstance(widget, SelectionList):
        chosen = set(widget.selected)
        options = (widget.get_option_at_index(n).value for n in range(widget.option_count))
        return [v for v in options if v in chosen]  # in the list's order, not the ticking order
    if isinstance(widget, (Checkbox, Tristate)):
        return widget.value
    raise TypeError(f"cannot read {item.path} from {widget!r}")


def _radio(radios: RadioSet, item: FormItem) -> str:
    pressed = radios.pressed_button
    if pressed is not None and pressed.id:
        return pressed.id.removeprefix(f"{item.id}-")
    for button in radios.query(RadioButton):
        if button.value and button.id:
            return button.id.removeprefix(f"{item.id}-")
    return str(value_at(Entry(), item.path))


def read_form(
    find: Callable[[str], Widget | None],
    base: dict[str, Any],
    when: object,
    items: Iterable[FormItem] | None = None,
) -> dict[str, Any]:
    """The form over `base` (the entry as last saved) as an entry dict; `when` is the
    date field's value (an ISO time, or the text typed when it cannot be read).

    `find` gives an item's widget by id, or None for a page not built yet: nothing can
    have been typed there, so `base` holds its value. `items` reads only those items."""
    d = base
    for item in ITEMS.values() if items is None else items:
        if item.widget == fields.DATE_W:
            value = when
        else:
            widget = find(item.id)
            if widget is None:
                continue
            value = read_value(widget, item)
        *parents, name = item.path.split(".")
        here = d
        for part in parents:
            if not isinstance(here.get(part), dict):
                here[part] = {}  # an absent part (no MI counts yet)
            here = here[part]
        here[name] = value
    mi = d.get("mi") or {}
    counts = {k: mi.get(k) or 0 for k, _ in cycle.OARS}
    talk = mi.get("change_talk", [])
    d["mi"] = {**counts, "change_talk": talk} if any(counts.values()) or talk else None
    group = d.get("group")
    if isinstance(group, dict) and not group.get("headcount") and not str(group.get("theme") or "").strip():
        d["group"] = None  # no group, as the entry reads it: the form reads alike built or not
    return d


def show_for_decision(root: Widget, decision: str) -> None:
    """Holding back has its own questions: hide what only a share asks, ask why."""
    hold = decision == "hold"
    for path in HOLD_HIDES + HOLD_ONLY:
        shown = hold if path in HOLD_ONLY else not hold
        for item in (i for i in ITEMS.values() if i.path == path or i.path.startswith(path + ".")):
            for widget in root.query(f"#{item.id}, #label-{item.id}"):
                widget.display = shown
        for heading in root.query(f"#heading-{path.replace('.', '-')}"):
            heading.display = shown
    for path, label in HOLD_LABELS.items():
        item = ITEMS[path]
        for widget in root.query(f"#label-{item.id}"):  # none while its page is not built
            if isinstance(widget, Label):
                widget.update(label if hold else item.label)


def shown(widget: Widget, within: Widget) -> bool:
    """Not hidden by `display: none` on itself or a container up to `within`."""
    node: Widget | None = widget
    while node is not None and node is not within:
        if not node.display:
            return False
        node = node.parent if isinstance(node.parent, Widget) else None
    return True


def is_empty(entry: Entry) -> bool:
    """Nothing written about the encounter itself: no free text beyond a pseudonym and
    tags, and no crisis. Such an entry is refused rather than saved as "(no text)"."""
    written = {field_base(k) for k in entry.text_fields()} - {"person", "tags"}
    return not written and entry.crisis is None


def location(text: str, offset: int) -> tuple[int, int]:
    """A character offset -> (row, column) in a TextArea."""
    before = text[:offset]
    row = before.count("\n")
    col = offset - (before.rfind("\n") + 1)
    return row, col
