"""The FindTreatment.gov locator API's JSON: a list of facilities, services as labels.

Services are SAMHSA's labels joined by "; "; each maps through `Term.samhsa_labels`
(case-insensitive), and labels no term keeps are reported with how many rows used them.
The API gives no id and no street, so a listing's id is derived from name, city and ZIP
(and its rank among same-named listings there, see sync).
"""

import json
from collections.abc import Iterator

from programs.importers.core import ImportFileError, Row, decode, derived_id, getter

SOURCE = "samhsa-api"


def read(data: bytes, *, encoding, taxonomy, result) -> Iterator[Row]:
    text, result.encoding = decode(data, encoding)
    try:
        facilities = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ImportFileError(f"Not a JSON file ({error}).") from None
    if isinstance(facilities, dict):  # the API wraps a page of results in "rows"
        facilities = facilities.get("rows", facilities.get("results"))
    if not isinstance(facilities, list):
        raise ImportFileError("Expected a JSON list of facilities.")
    for number, facility in enumerate(facilities, 1):
        if not isinstance(facility, dict):
            yield Row(line=number, problem="not a facility object")
            continue
        get = getter(facility)
        row = Row(
            line=number,  # the facility's position in the list, counted from 1
            name=get("name1") or get("name"),
            organization=get("name1") or get("name"),
            street=get("street1") or get("street"),
            street2=get("street2"),
            city=get("city"),
            state=get("state"),
            zip_code=get("zip"),
            latitude=get("latitude"),
            longitude=get("longitude"),
            phone=get("phone"),
            website=get("website"),
            external_id=derived_id(get("name"), get("city"), get("zip")),
            id_derived=True,
        )
        # all_services repeats residential_services; a set keeps each label once per row.
        labels = "; ".join(dict.fromkeys(get("all_services").split("; ")))
        taxonomy.labels_to_terms(labels or get("residential_services"), row)
        row.unmapped = sorted(set(row.unmapped))
        yield row
