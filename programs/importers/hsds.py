"""Open Referral HSDS 3.0: the JSON forms and the tabular CSV package.

One HSDS `service` is one program; its `id` is the external id. Its organization (whose
`website` stays the organization's: the program's own website is the service's `url`), the
first `service_at_location` whose location has coordinates (and that location's physical
address), its phones and its `attribute`s' taxonomy terms make up the listing. A term maps to
ours by our code (taxonomy "treatment-finder", as `export_hsds` writes), else by SAMHSA code or
label; terms that map to nothing are reported.

The listing's other facts come back as `export_hsds` writes them (programs/hsds/records.py):
hours from the service's `schedule`s (their descriptions, else their days and times), "last
verified" from `assured_date`, and availability, beds, their dates and an approximate position
from attributes of our "treatment-finder-listing" taxonomy (`value` holds the fact). A fact the
file does not give is left as it is; one that cannot be read rejects the row, saying which.

Accepted input: a service, a list or page (`contents`) of services, an organization with its
`services`, the tabular JSON (`{"services.csv": [...], ...}` or `{"services": [...], ...}`), and
the CSV package as a zip or a folder (`{file name: bytes}`), with or without `datapackage.json`.
The tabular forms are nested by indexing each table by its foreign key once: linear in the
package's size.
"""

import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import PurePosixPath

from programs.hsds.records import LISTING_FACTS, LISTING_TAXONOMY_NAME
from programs.importers.core import ImportFileError, Row, csv_rows, decode
from programs.models import Program

SOURCE = "hsds"
TAXONOMY = "treatment-finder"  # the taxonomy name export_hsds gives our terms
TABLES = [
    "organizations", "services", "locations", "service_at_location", "addresses", "phones",
    "schedules", "attributes", "taxonomy_terms", "taxonomies",
]  # fmt: skip
# datapackage.json may name its resources by table ("service") rather than by file.
SINGULAR = {
    "organization": "organizations", "service": "services", "location": "locations",
    "address": "addresses", "phone": "phones", "schedule": "schedules", "attribute": "attributes",
    "taxonomy_term": "taxonomy_terms", "taxonomy": "taxonomies",
}  # fmt: skip
MAX_PACKAGE_BYTES = 200 * 1024 * 1024  # unzipped; a zip bomb stops here
FACT_FIELDS = {code: field for code, (field, _meaning) in LISTING_FACTS.items()}
_DAYS = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}


def read(data, *, encoding, taxonomy, result) -> Iterator[Row]:
    if isinstance(data, dict) or data.startswith(b"PK\x03\x04"):
        files = data if isinstance(data, dict) else _unzip(data)
        tables, lines = _csv_tables(files, encoding, result)
        services = _nest(tables)
    else:
        text, result.encoding = decode(data, encoding)
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as error:
            raise ImportFileError(f"Not an HSDS JSON file or CSV package ({error}).") from None
        services, lines = _services(document), {}
    for number, service in enumerate(services, 1):
        line = lines.get(service.get("id"), number) if isinstance(service, dict) else number
        yield _row(service, line, taxonomy)


# --- JSON forms ---


def _services(document) -> list:
    if isinstance(document, list):
        return [service for item in document for service in _services_in(item)]
    if not isinstance(document, dict):
        raise ImportFileError("Not HSDS: expected a JSON object or list.")
    if "contents" in document:  # a page of a list endpoint
        return _services(document["contents"] or [])
    # The tabular form: tables by file or table name ("services.csv", "service"); an
    # organization with its services has a name.
    tables = {SINGULAR.get(k, k.removesuffix(".csv")): v for k, v in document.items()}
    if "name" not in document and isinstance(tables.get("services"), list):
        return _nest({name: tables.get(name) or [] for name in TABLES})
    services = _services_in(document)
    if not services:
        raise ImportFileError("Not HSDS: no services, organization or service in this JSON.")
    return services


def _services_in(item) -> list:
    """The services in one item of a list: a service, an organization, a service_at_location."""
    if not isinstance(item, dict):
        return [item]  # rejected as "not a service object", with its position
    if "contents" in item:
        return _services(item["contents"] or [])
    if isinstance(item.get("services"), list):  # an organization with its services
        organization = {k: v for k, v in item.items() if k != "services"}
        return [{"organization": organization, **service} for service in item["services"]]
    if isinstance(item.get("service"), dict):  # a service_at_location with its service
        sal = {k: v for k, v in item.items() if k != "service"}
        return [{**item["service"], "service_at_locations": [sal]}]
    return [item] if "id" in item or "name" in item else []


# --- The tabular form: rows linked by ids, nested here into the JSON form ---


def _unzip(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_PACKAGE_BYTES:
            raise ImportFileError("The zip unpacks to more than 200 MB; not importing it.")
        return {PurePosixPath(m.filename).name: archive.read(m) for m in members}
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise ImportFileError(f"Not a readable zip file ({error}).") from None


def _csv_tables(files: dict[str, bytes], encoding, result) -> tuple[dict, dict]:
    """({table: [row, ...]}, {service id: its line in services.csv})."""
    paths = {name: f"{name}.csv" for name in TABLES}
    try:  # the package's own file names, when it has a readable datapackage.json
        package = json.loads(files.get("datapackage.json", b"{}"))
        for resource in package.get("resources", []):
            name = SINGULAR.get(resource.get("name"), resource.get("name"))
            if name in paths and resource.get("path"):
                paths[name] = PurePosixPath(resource["path"]).name
    except (ValueError, AttributeError, TypeError):
        pass  # the examples' datapackage.json is a dangling link; the standard names do
    if paths["services"] not in files:
        raise ImportFileError("Not an HSDS CSV package: it has no services.csv.")
    tables, lines = {}, {}
    for name, path in paths.items():
        if path not in files:
            tables[name] = []
            continue
        text, used = decode(files[path], encoding)
        result.encoding = result.encoding or used
        rows = list(csv_rows(text))
        tables[name] = [row for _line, row in rows]
        if name == "services":
            lines = {row.get("id"): line for line, row in rows}
    return tables, lines


def _nest(tables: dict[str, list[dict]]) -> list[dict]:
    """The services of the tabular form, each with its related rows as the JSON form nests them.

    Every table is grouped by its foreign key once, before the services are visited, so each
    service finds its rows by a dict look-up: 14k services nest in about the time the JSON form
    takes to parse (a look-up per service and table used to scan the whole table: quadratic).
    """

    def by(table, key):
        grouped = defaultdict(list)
        for row in tables.get(table) or []:
            if isinstance(row, dict):
                grouped[row.get(key)].append(row)
        return grouped

    def by_id(table):
        return {row.get("id"): row for row in tables.get(table) or [] if isinstance(row, dict)}

    organizations, locations = by_id("organizations"), by_id("locations")
    taxonomies = by_id("taxonomies")
    terms = {}
    for term in tables.get("taxonomy_terms") or []:
        if isinstance(term, dict):
            detail = taxonomies.get(term.get("taxonomy_id")) or {}
            taxonomy = term.get("taxonomy") or detail.get("name")
            terms[term.get("id")] = {**term, "taxonomy": taxonomy}
    sals_of, addresses = by("service_at_location", "service_id"), by("addresses", "location_id")
    phones, location_phones = by("phones", "service_id"), by("phones", "location_id")
    schedules, location_schedules = by("schedules", "service_id"), by("schedules", "location_id")
    attributes = by("attributes", "link_id")  # a service's, or a location's

    def with_terms(link_id) -> list[dict]:
        return [
            {**a, "taxonomy_term": terms.get(a.get("taxonomy_term_id")) or {}}
            for a in attributes.get(link_id, [])
        ]

    services = []
    for service in tables.get("services") or []:
        if not isinstance(service, dict):
            services.append(service)  # rejected as "not a service object", with its line
            continue
        sals = []
        for sal in sals_of.get(service.get("id"), []):
            location = dict(locations.get(sal.get("location_id")) or {})
            location_id = location.get("id")
            location["addresses"] = addresses.get(location_id, [])
            location["phones"] = location_phones.get(location_id, [])
            location["schedules"] = location_schedules.get(location_id, [])
            location["attributes"] = with_terms(location_id)
            sals.append({**sal, "location": location})
        services.append(
            {
                **service,
                "organization": organizations.get(service.get("organization_id")) or {},
                "service_at_locations": sals,
                "phones": phones.get(service.get("id"), []),
                "schedules": schedules.get(service.get("id"), []),
                "attributes": with_terms(service.get("id")),
            }
        )
    return services


# --- One service → one Row ---


def _row(service, line: int, taxonomy) -> Row:
    if not isinstance(service, dict):
        return Row(line=line, problem="not a service object")
    get = lambda obj, key: str((obj or {}).get(key) or "").strip()  # noqa: E731
    organization = service.get("organization") or {}
    location = _location(service.get("service_at_locations") or [])
    address = _address(location.get("addresses") or [])
    phone, intake = _phones(service, location, organization)
    row = Row(
        line=line,
        external_id=get(service, "id"),
        name=get(service, "name"),
        organization=get(organization, "name"),
        description=get(service, "description"),
        street=get(address, "address_1"),
        street2=get(address, "address_2"),
        city=get(address, "city"),
        state=get(address, "state_province"),
        zip_code=get(address, "postal_code"),
        latitude=location.get("latitude"),
        longitude=location.get("longitude"),
        phone=get(phone, "number"),
        phone_extension=get(phone, "extension"),
        intake_phone=get(intake, "number"),
        website=get(service, "url"),
        organization_website=get(organization, "website"),
    )
    if not row.external_id:
        row.problem = "service without an id"
    attributes = [a for a in service.get("attributes") or [] if isinstance(a, dict)]
    for attribute in attributes:
        term = attribute.get("taxonomy_term") or {}
        if not _is_fact(term):
            _map_term(term, row, taxonomy)
    try:
        row.facts = _facts(service, location, attributes)
    except ValueError as error:
        row.problem = row.problem or str(error)
    return row


def _is_fact(term) -> bool:
    """Whether a term is one of our listing facts rather than something a program offers."""
    if not isinstance(term, dict):
        return False
    detail = term.get("taxonomy_detail")
    taxonomy = term.get("taxonomy") or (detail.get("name") if isinstance(detail, dict) else "")
    return taxonomy == LISTING_TAXONOMY_NAME


def _facts(service: dict, location: dict, attributes: list[dict]) -> dict:
    """The listing's facts the file gives, as Program stores them (dates as YYYY-MM-DD).

    Raises ValueError naming the fact that cannot be read.
    """
    facts = {}
    schedules = service.get("schedules") or location.get("schedules") or []
    if hours := _hours(schedules):
        facts["hours"] = hours
    if assured := str(service.get("assured_date") or "").strip():
        facts["last_verified"] = _day(assured, "assured_date")
    located = [a for a in location.get("attributes") or [] if isinstance(a, dict)]
    for attribute in attributes + located:
        term = attribute.get("taxonomy_term") or {}
        field = FACT_FIELDS.get(str(term.get("code") or "")) if _is_fact(term) else None
        if field:
            value = attribute.get("value")  # text in the spec; a JSON number or true is read too
            text = "" if value is None else str(value).strip()
            facts[field] = _fact(field, text, term["code"])
    if not facts.get("location_approximate", True):
        del facts["location_approximate"]  # only a file's "true" overrides what coordinates say
    return facts


def _fact(field: str, value: str, code: str):
    if field == "accepting":
        if value not in Program.Accepting.values:
            choices = ", ".join(Program.Accepting.values)
            raise ValueError(f"{code}: {value!r} is not one of {choices}")
        return value
    if field == "location_approximate":
        return value.lower() in ("true", "1", "yes")  # True (JSON) reads as "True"
    if field in ("wait_weeks", "beds_available"):
        if not value.isdigit():
            raise ValueError(f"{code}: {value!r} is not a whole number")
        return int(value)
    return _day(value, code)


def _day(value: str, what: str) -> str:
    """YYYY-MM-DD from a date or the date part of a date-time."""
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def _hours(schedules: list) -> str:
    """Our free-text hours: each schedule's description, else its days and opening times."""
    lines = []
    for schedule in schedules:
        if not isinstance(schedule, dict):
            continue
        get = lambda key, s=schedule: str(s.get(key) or "").strip()  # noqa: E731
        text = get("description")
        if not text:
            days = [d.strip().upper() for d in get("byday").split(",") if d.strip()]
            times = [t[:5] for t in (get("opens_at"), get("closes_at")) if t]
            day_names = ", ".join(_DAYS.get(day, day) for day in days)
            text = " ".join(filter(None, [day_names, "–".join(times)]))
        if text and text not in lines:
            lines.append(text)
    return "\n".join(lines)


def _location(sals: list) -> dict:
    """The first physical location with coordinates, else the first location at all."""
    locations = [(s or {}).get("location") or {} for s in sals if isinstance(s, dict)]
    for location in locations:
        if location.get("latitude") not in (None, "") and location.get("location_type") in (
            None, "", "physical",
        ):  # fmt: skip
            return location
    return locations[0] if locations else {}


def _address(addresses: list) -> dict:
    addresses = [a for a in addresses if isinstance(a, dict)]
    physical = [a for a in addresses if a.get("address_type") == "physical"]
    return (physical or addresses or [{}])[0]


def _phones(*owners) -> tuple[dict, dict]:
    """(main, intake): the first voice numbers of the service, else its location, else its
    organization; a number described as "Intake" (as export_hsds writes it) is the intake line.
    """
    for owner in owners:
        phones = [p for p in (owner or {}).get("phones") or [] if isinstance(p, dict)]
        voice = [p for p in phones if p.get("type") in (None, "", "voice")] or phones
        intake = [p for p in voice if str(p.get("description") or "").lower() == "intake"]
        main = [p for p in voice if p not in intake]
        if main or intake:
            return (main or [{}])[0], (intake or [{}])[0]
    return {}, {}


def _map_term(term: dict, row: Row, taxonomy) -> None:
    """Ours by code first (what export_hsds writes), else SAMHSA's code, else SAMHSA's label."""
    code, name = str(term.get("code") or "").strip(), str(term.get("name") or "").strip()
    if code in taxonomy.by_code:
        row.terms.add(code)
    elif code.upper() in taxonomy.by_samhsa_code:
        row.terms.add(taxonomy.by_samhsa_code[code.upper()])
    elif codes := taxonomy.by_samhsa_label.get(name.lower()):
        row.terms |= codes
    elif code or name:
        detail = term.get("taxonomy_detail") or {}
        source = str(term.get("taxonomy") or detail.get("name") or "taxonomy").strip()
        row.unmapped.append(f"{source}: {code or name}")
