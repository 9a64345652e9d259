"""SAMHSA's locator export, CSV or XLSX: the leading columns, then one column per service code.

A code column says yes where the facility offers the service (1 in SAMHSA's files; Y, TRUE, X
or an Excel boolean once a spreadsheet saved it: `codes.flag`). What each code gives a listing
is the table `samhsa_codes.csv` (`programs.importers.codes`): terms, or nothing for a reason the
table gives. A code column the table does not list falls back on a term whose `samhsa_code` it
is (a term staff added). The summary's unmapped list names what is left: code columns nobody
knows (with how many rows held something in them), `type_facility` values the table does not
list, code cells that are neither yes nor no (column, value and line), and codes whose term this
database lacks.
"""

import io
import re
import zipfile
from collections.abc import Iterator

from programs.importers import codes
from programs.importers.core import (
    ImportFileError,
    Row,
    check_columns,
    csv_rows,
    decode,
    derived_id,
    getter,
)

SOURCE = "samhsa-locator"
LEADING = [
    "name1", "name2", "street1", "street2", "city", "state", "zip", "zip4", "county", "phone",
    "intake_prompt", "intake1", "intake2", "website", "latitude", "longitude", "type_facility",
]  # fmt: skip
REQUIRED = {"name1", "street1", "city", "state", "zip"}
WHAT = "a SAMHSA locator file"


def read(data: bytes, *, encoding, taxonomy, result) -> Iterator[Row]:
    if data.startswith(b"PK\x03\x04"):
        result.encoding = "xlsx"
        rows = _xlsx_rows(data)
    else:
        text, result.encoding = decode(data, encoding)
        rows = csv_rows(text, REQUIRED, WHAT)
    for line, values in rows:
        yield _row(line, values, taxonomy)


def _row(line: int, values: dict[str, str], taxonomy) -> Row:
    get = getter(values)
    zip4 = get("zip4").split(".")[0]
    row = Row(
        line=line,
        **names(get("name1"), get("name2")),
        street=get("street1"),
        street2=get("street2"),
        city=get("city"),
        state=get("state"),
        zip_code=f"{get('zip')}-{zip4.zfill(4)}" if zip4 and get("zip") else get("zip"),
        latitude=get("latitude"),
        longitude=get("longitude"),
        phone=get("phone"),
        intake_phone=get("intake1"),
        website=get("website"),
        external_id=derived_id(get("name1"), get("name2"), get("street1"), get("zip")[:5]),
        id_derived=True,
    )
    code_map = codes.load()
    for column, value in values.items():
        if column in LEADING or not column:
            continue
        offered = codes.flag(value)
        entry = code_map.column(column)
        if entry is None and column.upper() in taxonomy.by_samhsa_code:
            entry = taxonomy.by_samhsa_code[column.upper()]  # a term staff gave this code
        if entry is None:
            if offered is not False:  # a column nobody knows, holding something: named
                row.unmapped.append(column)
        elif offered is None:
            cell = str(value).strip()
            row.unmapped.append(f"{column}: {cell!r} is not a yes/no flag (line {line})")
        elif offered:
            _give(row, entry, column, taxonomy)
    for kind in filter(None, re.split(r"[\s,;]+", get("type_facility"))):
        if entry := code_map.facility_type(kind):
            _give(row, entry, f"type_facility {kind}", taxonomy)
        else:
            row.unmapped.append(f"type_facility {kind}")
    return row


def _give(row: Row, entry: codes.Code | str, name: str, taxonomy) -> None:
    """Give the row the terms of one code (a row of the table, or a term's own code); name the
    terms this database lacks."""
    for target in entry.targets if isinstance(entry, codes.Code) else [entry]:
        if target in taxonomy.by_code:
            row.terms.add(target)
        else:
            row.unmapped.append(f"{name} (term {target} is not in the taxonomy)")


# SAMHSA's second name field (name2, filled in 3,646 of the 6,736 rows of the 12-state file) holds
# one of three things: the rest of a name cut at the first field's width ("Intermountain Centers
# for" + "Human Development", "Helping Ourselves Pursue Enrichment" + "(HOPE) Inc"), often followed
# by "/" and a site ("(SCAN)/Youth Recovery Home"); a trade name ("DBA Heartland House"); or the
# site or unit of the organization named first ("Outpatient", "OP 1", "Mesa"). So the heading is
# the first name made whole, then the site after a dash; a trade name is the heading, run by the
# legal name. (Until 2026-12 name2 alone was the heading: programs called "OP" and "Outpatient".)
_JOINING = {"and", "of", "for", "the", "at", "in", "on", "to", "&", "de", "y"}
_SUFFIXES = {"inc", "llc", "pc", "pa", "pllc", "ps", "corp", "center", "centers"}
_DBA = re.compile(r"^(?:dba|d/b/a|aka)\b\.?:?\s*", re.IGNORECASE)


def names(name1: str, name2: str) -> dict[str, str]:
    """The listing's name and its organization's, from SAMHSA's name1 and name2."""
    first, second = name1.strip(), name2.strip()
    head, slash, rest = second.partition("/")
    if second and _continues(first, head):
        first, second = f"{first} {head.strip()}", rest.strip() if slash else ""
    if match := _DBA.match(second):
        return {"name": second[match.end() :] or first, "organization": first}
    return {"name": f"{first} – {second}" if second else first, "organization": first}


def _continues(first: str, head: str) -> bool:
    """Whether name2 (up to any "/") is the rest of name1 rather than a name of its own."""
    head = head.strip()
    if not head or not first:
        return False
    last_word = first.split()[-1].lower()
    next_word = head.split()[0].lower().strip(".,")
    return (
        last_word in _JOINING
        or head.startswith("(")
        or head[0].islower()
        or (next_word in _SUFFIXES and len(head.split()) <= 2)
    )


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(f"Not a readable XLSX workbook ({error}).") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip().lower() for h in next(rows, [])]
        check_columns(header, REQUIRED, WHAT)
        for line, values in enumerate(rows, 2):
            if any(v not in (None, "") for v in values):
                yield line, {h: _cell(v) for h, v in zip(header, values, strict=False)}
    finally:
        book.close()


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # ZIP 2134.0 → "2134", a 1.0 flag → "1"
    return "" if value is None else str(value)
