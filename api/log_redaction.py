"""Nothing secret in the logs: bearer tokens, anything shaped like a JWT, and
query strings (where a careless client may put a token or a query's
variables) are cut from every record the server's log handlers write.

uvicorn's access log names each request's full target; ``redact_logs`` is run
once uvicorn has configured its logging (``waymark serve``).
"""

from __future__ import annotations

import logging
import re

from api.logs import FORMATTED_FROM_ARGUMENTS

#: ``Bearer <anything>``, and the three dot-separated base64url parts of a JWT.
_SECRETS = re.compile(
    r"(?i:bearer)\s+\S+|eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _SECRETS.sub(REDACTED, text)


def _access_argument(argument: object) -> object:
    """An access line's argument without its query string or any secret."""
    if not isinstance(argument, str):
        return argument
    return redact(argument.partition("?")[0])


class Redaction(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name in FORMATTED_FROM_ARGUMENTS and isinstance(record.args, tuple):
            # uvicorn's access formatter unpacks the arguments: they are
            # redacted where they stand, never folded into the message (which
            # made the line a logging error: a JWT-shaped path hid its request).
            record.args = tuple(_access_argument(arg) for arg in record.args)
            return True
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.exc_info:
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
            record.msg, record.args = cleaned, None
        return True


def redact_logs(
    loggers: tuple[str, ...] = ("", "uvicorn", "uvicorn.access", "uvicorn.error"),
) -> None:
    """Adds the redaction to the handlers of these loggers and the last-resort
    handler (which writes warnings when no handler is configured)."""
    redaction = Redaction()
    handlers = {h for name in loggers for h in logging.getLogger(name).handlers}
    if logging.lastResort is not None:
        handlers.add(logging.lastResort)
    for handler in handlers:
        if not any(isinstance(f, Redaction) for f in handler.filters):
            handler.addFilter(redaction)
