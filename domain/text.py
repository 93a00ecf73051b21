"""Text a command carries, checked in one place before anything is recorded.

Every identifier and every piece of text a command records passes through
``required_text`` or ``optional_text`` here (the step payloads' strings through
``checked_text``), so one rule decides what the log may hold:

- no control characters: C0 (U+0000-U+001F, including NUL), DEL and C1
  (U+007F-U+009F), except newline and tab in free text (``PROSE``), where a
  Windows line end (CR LF) or a lone CR is read as a newline;
- no unpaired surrogates (U+D800-U+DFFF), which no UTF-8 store can hold;
- no bidirectional overrides, embeddings or isolates (U+202A-U+202E,
  U+2066-U+2069), marks (U+200E, U+200F, U+061C), nor other invisible format
  characters that can make text read differently from what it holds (U+200B,
  U+2060-U+2064, U+206A-U+206F, U+FEFF, U+FFF9-U+FFFB, the tags U+E0000-U+E007F),
  line and paragraph separators (U+2028, U+2029) and the noncharacters
  (U+FDD0-U+FDEF, U+FFFE, U+FFFF);
- identifiers (``IDENTIFIER``: references, organisation and advocate ids,
  document kinds, idempotency keys) also refuse the zero-width joiners
  (U+200C, U+200D) and the soft hyphen (U+00AD), which free text in some scripts
  needs but which would make two ids look alike.

A refusal is an ``InvalidField`` naming the field and the code point, never
echoing the text (it may be what an attacker wants printed somewhere).
"""

from __future__ import annotations

import re
from enum import Enum

from domain.errors import InvalidField

# The bounds of every text field a command carries (the GraphQL input
# descriptions quote them).

#: An organisation's reference for a survivor.
REFERENCE_LIMIT = 64
#: Organisation and advocate ids, step kinds.
IDENTIFIER_LIMIT = 100
#: A document's kind, a bundle reference.
CODE_LIMIT = 64
#: A local authority's name.
PLACE_LIMIT = 100
#: Titles, who disputes a step, a source's document and pin cite, the strings of
#: a step's details, who records a change (a token's subject).
LABEL_LIMIT = 200
#: Idempotency keys.
KEY_LIMIT = 200
#: Summaries, reasons, another version of a step, notes.
PROSE_LIMIT = 1000
#: Sources cited for one step or one other version.
SOURCES_LIMIT = 20


class TextKind(Enum):
    #: A name or id: one line, no invisible characters at all.
    IDENTIFIER = "identifier"
    #: A short label or title: one line.
    LINE = "line"
    #: Free text (summaries, reasons, notes): newlines and tabs allowed.
    PROSE = "prose"


_INVISIBLE = (
    "\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff\U000e0000-\U000e007f"
    "\ud800-\udfff"
)
_FORBIDDEN = {
    TextKind.IDENTIFIER: re.compile(
        f"[\x00-\x1f\x7f-\x9f\u00ad\u200c\u200d{_INVISIBLE}]"
    ),
    TextKind.LINE: re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]"),
    TextKind.PROSE: re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]"),
}
_LINE_ENDS = re.compile("\r\n?")


def _what(character: str) -> str:
    code = ord(character)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "a control character"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "an unpaired surrogate"
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        kind = "a bidirectional control"
    else:
        kind = "an invisible formatting character"
    return f"U+{code:04X} ({kind})"


def checked_text(value: str, field: str, limit: int, kind: TextKind) -> str:
    """``value`` trimmed, if a record may hold it and it fits in ``limit``
    characters; else an ``InvalidField`` naming ``field``."""
    if not isinstance(value, str):
        raise InvalidField(field, "text")
    if kind is TextKind.PROSE and "\r" in value:
        value = _LINE_ENDS.sub("\n", value)
    text = value.strip()
    if len(text) > limit:
        raise InvalidField(field, f"at most {limit} characters")
    found = _FORBIDDEN[kind].search(text)
    if found is not None:
        allowed = (
            "; only newlines and tabs are allowed" if kind is TextKind.PROSE else ""
        )
        raise InvalidField(
            field, f"contains {_what(found.group())}, which is not allowed{allowed}"
        )
    return text


def required_text(
    value: str | None,
    field: str,
    limit: int = LABEL_LIMIT,
    kind: TextKind = TextKind.LINE,
    *,
    missing: str = "required",
) -> str:
    """Text a command must carry, trimmed; ``missing`` says what to give instead."""
    text = checked_text(value or "", field, limit, kind)
    if not text:
        raise InvalidField(field, missing)
    return text


def optional_text(
    value: str | None,
    field: str,
    limit: int = LABEL_LIMIT,
    kind: TextKind = TextKind.LINE,
) -> str | None:
    """Text a command may carry, trimmed; None when absent or blank."""
    if value is None:
        return None
    return checked_text(value, field, limit, kind) or None


_UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")


def escaped(text: str) -> str:
    """``text`` with every character ``LINE`` text refuses (newlines and tabs
    too) written as a Python escape (``\\x1b``, ``\\u202e``): what a log line
    may print of input, so input can neither colour a terminal, forge a line nor
    reorder what is shown."""
    return _UNPRINTABLE.sub(lambda found: ascii(found.group())[1:-1], text)
