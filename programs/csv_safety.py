"""Cells for CSV files that people open in a spreadsheet: the HSDS package and result lists."""

import re

# A spreadsheet runs a cell starting with one of these as a formula ("=HYPERLINK(…)" in a
# listing's name, typed by anyone who can edit or import one); a tab or carriage return first
# can hide one. OWASP's advice: start such a text cell with an apostrophe, which shows as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def safe_cell(value):
    """The value, made inert for spreadsheets if it is text that would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
