"""Write the published directory as HSDS 3.0: the JSON packages and the tabular CSV package.

Both carry the listing facts HSDS has no field for, as attributes (records.LISTING_FACTS), so an
export imported into an empty directory gives back the same listings.
"""

import csv
import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path

from programs.csv_safety import safe_cell as _cell
from programs.hsds import records, spec
from programs.models import Program, Term

# The package files of the JSON form, each an array of the spec's full record.
JSON_FILES = {
    "services.json": "service",
    "service_at_locations.json": "service_at_location",
    "organizations.json": "organization",
}
# Frictionless Table Schema knows these string formats; the spec's others (date-time) it does not.
_FRICTIONLESS_FORMATS = {"uuid", "uri", "email"}


def published_programs():
    return Program.objects.published().for_hsds().order_by("pk")


def all_terms():
    return Term.objects.select_related("facet", "parent")


def tables(programs, terms) -> dict[str, list[dict]]:
    """The directory as the spec's tables: table name → rows (flat records)."""
    rows = defaultdict(list)
    organizations = {}
    for program in programs:
        organization = records.program_organization_record(program)
        organizations.setdefault(organization["id"], organization)
        rows["service"].append(records.service_record(program))
        rows["location"].append(records.location_record(program))
        rows["address"].append(records.address_record(program))
        rows["service_at_location"].append(records.service_at_location_record(program))
        rows["phone"] += records.phone_records(program)
        rows["schedule"] += records.schedule_records(program)
        rows["language"] += records.language_records(program)
        rows["attribute"] += records.attribute_records(program)
        rows["attribute"] += records.listing_attribute_records(program)
    rows["organization"] = sorted(organizations.values(), key=lambda org: org["name"])
    rows["taxonomy"] = [records.taxonomy_record(), records.listing_taxonomy_record()]
    rows["taxonomy_term"] = [records.taxonomy_term_record(term) for term in terms]
    rows["taxonomy_term"] += records.listing_term_records()
    return dict(rows)


def packages(programs) -> dict[str, list[dict]]:
    """The JSON form: file name → array of full records (services, service_at_locations, orgs)."""
    programs = list(programs)
    by_organization = defaultdict(list)
    for program in programs:
        by_organization[program.organization_id].append(program)
    organizations = [
        records.full_organization(members[0].organization, members, facts=True)
        for organization_pk, members in by_organization.items()
        if organization_pk is not None
    ] + [
        records.full_stand_in_organization(program, facts=True) for program in by_organization[None]
    ]
    return {
        "services.json": [records.full_service(program, facts=True) for program in programs],
        "service_at_locations.json": [
            records.full_service_at_location(program, facts=True) for program in programs
        ],
        "organizations.json": sorted(organizations, key=lambda org: org["name"]),
    }


def write_json(out: Path, programs) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, items in packages(programs).items():
        _write_atomically(out / name, lambda file, items=items: file.write(json.dumps(items)))
        counts[name] = len(items)
    return counts


def write_csv_package(out: Path, programs, terms) -> dict[str, int]:
    """Every table of the spec's tabular form (empty ones with their header) + datapackage.json."""
    out.mkdir(parents=True, exist_ok=True)
    rows = tables(programs, terms)
    resources, counts = [], {}
    for name, table in spec.tables():
        columns = spec.columns(name)
        table_rows = rows.get(name, [])
        _write_atomically(
            out / table["path"], lambda file, c=columns, r=table_rows: _write_csv(file, c, r)
        )
        resources.append(_resource(name, table, columns))
        counts[table["path"]] = len(table_rows)
    datapackage = {
        "name": "treatment-finder-hsds",
        "title": "Treatment programs (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        "resources": resources,
    }
    _write_atomically(out / "datapackage.json", lambda file: json.dump(datapackage, file, indent=1))
    return counts


def _write_csv(file, columns: list[str], rows: list[dict]) -> None:
    writer = csv.DictWriter(file, fieldnames=columns, extrasaction="raise")
    writer.writeheader()
    writer.writerows({name: _cell(value) for name, value in row.items()} for row in rows)


def _resource(name: str, table: dict, columns: list[str]) -> dict:
    fields = []
    for column in columns:
        prop = table["properties"][column]
        field = {"name": column, "type": prop["type"], "description": prop.get("description", "")}
        if prop.get("format") in _FRICTIONLESS_FORMATS:
            field["format"] = prop["format"]
        if column in table.get("required", []):
            field["constraints"] = {"required": True}
        fields.append(field)
    metadata = table["datapackage_metadata"]
    return {
        "name": name,
        "path": table["path"],
        "profile": metadata["profile"],
        "format": metadata["format"],
        "mediatype": metadata["mediatype"],
        "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": "id"},
    }


def _write_atomically(path: Path, write) -> None:
    """A reader never sees half a file: write beside it, then swap it in."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            write(file)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
