"""Log lines never carry raw control characters from input: not in a message's
arguments, nor in an exception's message."""

from __future__ import annotations

import logging

import pytest

from api.logs import escape_log_records

HOSTILE = "adv\x1b[31m\nFORGED line\u202e"


def test_a_message_argument_is_escaped(caplog: pytest.LogCaptureFixture) -> None:
    escape_log_records()
    logging.getLogger("waymark.test").warning("refused %s", HOSTILE)
    (line,) = [record.getMessage() for record in caplog.records]
    assert line == "refused adv\\x1b[31m\\nFORGED line\\u202e"


def test_an_exception_message_is_escaped_and_its_traceback_keeps_its_lines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    escape_log_records()
    try:
        raise ValueError(HOSTILE)
    except ValueError:
        logging.getLogger("waymark.test").exception("failed")
    (record,) = caplog.records
    text = logging.Formatter().format(record)
    assert "\x1b" not in text and "\u202e" not in text
    assert "ValueError: adv\\x1b[31m\\nFORGED line\\u202e" in text
    assert text.splitlines()[1].startswith("Traceback")


def test_escaping_twice_is_escaping_once(caplog: pytest.LogCaptureFixture) -> None:
    escape_log_records()
    escape_log_records()
    logging.getLogger("waymark.test").warning("%s", "\x00")
    assert caplog.records[0].getMessage() == "\\x00"


def test_an_access_line_keeps_its_fields_for_uvicorns_formatter(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """uvicorn's access formatter unpacks the record's arguments: collapsing
    them into the message made every access line a logging error."""
    from uvicorn.logging import AccessFormatter

    escape_log_records()
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/x{HOSTILE}", "1.1", 200
    )
    (record,) = caplog.records
    formatter = AccessFormatter(
        "%(client_addr)s %(request_line)s %(status_code)s", use_colors=False
    )
    line = formatter.format(record)
    assert line == (
        "127.0.0.1:5000 GET /xadv\\x1b[31m\\nFORGED line\\u202e HTTP/1.1 200 OK"
    )
