"""SAMHSA's locator export, CSV or XLSX: the leading columns, then one column per service code.

A code column holds 1 where the facility offers the service. Every code a term knows
(`Term.samhsa_code`, case-insensitive) maps to that term; a code column no term knows is
reported in the summary with how many rows held 1 in it.
"""

import io
import zipfile
from collections.abc import Iterator

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
        name=get("name2") or get("name1"),
        organization=get("name1"),
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
    for column, value in values.items():
        if column in LEADING or str(value).strip() not in {"1", "1.0"}:
            continue
        if code := taxonomy.by_samhsa_code.get(column.upper()):
            row.terms.add(code)
        else:
            row.unmapped.append(column)
    for kind in filter(None, get("type_facility").replace(",", " ").split()):
        if code := taxonomy.by_samhsa_code.get(kind.upper()):
            row.terms.add(code)
    return row


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
