"""SAMHSA's list of certified opioid treatment programs (methadone clinics).

Columns ID (the program's name), ADDRESS, CITY, STATE, POSTAL, Latitude, Longitude. Published
as Windows-1252, which `core.decode` detects; each row is a methadone program in a certified OTP.
"""

from collections.abc import Iterator

from programs.importers.core import Row, csv_rows, decode, derived_id, getter

SOURCE = "otp-directory"
TERMS = {"substance-use", "methadone", "otp"}


def read(data: bytes, *, encoding, taxonomy, result) -> Iterator[Row]:
    text, result.encoding = decode(data, encoding)
    for line, values in csv_rows(text, {"id", "city", "state", "postal"}, "SAMHSA's OTP list"):
        get = getter(values)
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
