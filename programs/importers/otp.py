"""SAMHSA's list of certified opioid treatment programs (methadone clinics).

Columns ID (the program's name), ADDRESS, CITY, STATE, POSTAL, Latitude, Longitude. Published
as Windows-1252, which `core.decode` detects; each row is a methadone program in a certified OTP.
"""

from collections.abc import Iterator

from programs.importers.core import ImportFileError, Row, csv_rows, decode, derived_id

SOURCE = "otp-directory"
TERMS = {"substance-use", "methadone", "otp"}


def read(data: bytes, *, encoding, taxonomy, result) -> Iterator[Row]:
    text, result.encoding = decode(data, encoding)
    for n, (line, values) in enumerate(csv_rows(text)):
        if n == 0 and (missing := {"id", "city", "state", "postal"} - values.keys()):
            raise ImportFileError(
                f"Not SAMHSA's OTP list: no {', '.join(sorted(missing))} column."
            )
        get = lambda column: (values.get(column) or "").strip()  # noqa: E731
        yield Row(
            line=line,
            name=get("id"),
            street=get("address"),
            city=get("city"),
            state=get("state"),
            zip_code=get("postal"),
            latitude=get("latitude"),
            longitude=get("longitude"),
            terms=TERMS & taxonomy.by_code.keys(),
            external_id=derived_id(get("id"), get("address"), get("postal")[:5]),
            id_derived=True,
        )
