"""Logging that never records what a visitor searched for."""

import logging
import re

# From "?" to the end of the URL: a space or a quote ends it in request lines and messages.
_QUERY_STRING = re.compile(r"\?[^\s\"']*")


class DropQueryStrings(logging.Filter):
    """Cut query strings out of a record's message: "GET /?location=94110" → "GET /".

    Django's request log and runserver's access log put the URL next to the status (and, in a
    deployment's own format, often the client address); the query string is the search itself.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = _QUERY_STRING.sub("", message), None
        return True
