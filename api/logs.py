"""Log lines never carry raw control characters from input.

Input reaches log lines through messages' arguments and exceptions' messages
(an unexpected error naming what it was given). Every record made in this
process is rendered once, as it is made, with each control, bidirectional or
invisible character escaped (``domain.text.escaped``): input can neither colour
a terminal, nor forge a log line with a newline, nor reorder what is shown. A
traceback keeps its own line breaks, and has everything else escaped.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

from domain.text import escaped

_previous_factory: Any = None
_FRAME_LINES = re.compile("[^\n]+")


def _escaped_traceback(exc_info: Any) -> str:
    # A frame's lines come from the source (their breaks are kept); everything
    # else (exception messages, chained or not) may hold input.
    chunks = traceback.TracebackException(*exc_info).format()
    return "".join(
        _FRAME_LINES.sub(lambda found: escaped(found.group()), chunk)
        if chunk.startswith("  File ")
        else escaped(chunk.removesuffix("\n")) + "\n"
        for chunk in chunks
    ).rstrip("\n")


#: Loggers whose formatters read the record's arguments one by one (uvicorn's
#: access formatter unpacks client, method, path, version and status): their
#: text arguments are escaped where they stand, so the formatter still finds them.
FORMATTED_FROM_ARGUMENTS = frozenset({"uvicorn.access"})


def _make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record: logging.LogRecord = _previous_factory(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: let the handler report it as usual
        return record
    if record.name in FORMATTED_FROM_ARGUMENTS and isinstance(record.args, tuple):
        record.args = tuple(
            escaped(arg) if isinstance(arg, str) else arg for arg in record.args
        )
    else:
        record.msg, record.args = escaped(message), None
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = _escaped_traceback(record.exc_info)
    return record


def escape_log_records() -> None:
    """Makes every log record of this process escape its input (idempotent)."""
    global _previous_factory
    if _previous_factory is not None:
        return
    _previous_factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(_make_record)
