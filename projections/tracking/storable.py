"""Text a view can store, whatever the log holds.

Commands refuse control characters (``domain.text``), but the log keeps what
older releases accepted, and nothing the log holds may stop a projection: a NUL
(U+0000) cannot be stored in PostgreSQL ``text`` at all, and an unpaired
surrogate cannot be encoded for any store. So every string a change carries
into a view has those characters replaced by U+FFFD (the replacement
character) on its way in: the view row shows that something unreadable stood
there, on every store alike, and the log itself is never touched (a rebuild
reads the original again). Other characters are stored as they are: views are
read by code that escapes what it prints.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from functools import cache
from typing import Any, TypeVar

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

T = TypeVar("T")


def storable_text(text: str) -> str:
    """``text`` with what no view can store replaced by U+FFFD."""
    return _UNSTORABLE.sub(REPLACEMENT, text)


@cache
def _field_names(change_type: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(change_type))


def storable(change: T) -> T:
    """A change (a dataclass) whose string fields a view can store: the same
    object when they already can, which is nearly always."""
    if not is_dataclass(change) or isinstance(change, type):
        return change
    unstorable = {
        name: storable_text(value)
        for name in _field_names(type(change))
        if isinstance(value := getattr(change, name), str) and _UNSTORABLE.search(value)
    }
    return replace(change, **unstorable) if unstorable else change


def storable_changes(changes: Any) -> list[Any]:
    return [storable(change) for change in changes]
