import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from programs.hsds import records, spec
from programs.models import Program
from tests.factories import OrganizationFactory, ProgramFactory
from tests.hsds_validation import errors, nested_schema

JSON_SCHEMAS = {
    "services.json": "service",
    "service_at_locations.json": "service_at_location",
    "organizations.json": "organization",
}


@pytest.fixture
def directory(db):
    """Programs that between them fill every field the export maps."""
    organization = OrganizationFactory(name="Bay Recovery", website="https://bayrecovery.example")
    full = ProgramFactory(
        name="Mission Residential",
        organization=organization,
        description="Live-in treatment for adults.",
        street="1 Valencia Street",
        street2="Suite 2",
        website="https://bayrecovery.example/mission",
        phone="+14155550100",
        phone_extension="204",
        intake_phone="+14155550199",
        hours="Mon–Fri 9am–5pm; intake by phone 24/7",
        accepting=Program.Accepting.WAITLIST,
        wait_weeks=3,
        accepting_updated=date(2026, 11, 20),
        beds_available=4,
        beds_updated=date(2026, 11, 21),
        terms=["residential", "detox-hospital", "medicaid", "spanish", "asl"],
    )
    sibling = ProgramFactory(organization=organization, terms=["methadone"])
    alone = ProgramFactory(
        name="Solo Clinic",
        organization=None,
        phone="",
        last_verified=None,
        location_approximate=True,
    )
    ProgramFactory(name="Draft Place", status=Program.Status.DRAFT)
    ProgramFactory(name="Closed Place", status=Program.Status.ARCHIVED)
    return {"full": full, "sibling": sibling, "alone": alone}


def _export(tmp_path, fmt="both"):
    call_command("export_hsds", str(tmp_path), format=fmt, stdout=io.StringIO())


def _json(tmp_path, name):
    return json.loads((tmp_path / "json" / name).read_text())


def _csv(tmp_path, path):
    with open(tmp_path / "csv" / path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_every_exported_json_record_validates_against_the_official_schema(directory, tmp_path):
    _export(tmp_path, "json")
    for name, schema_name in JSON_SCHEMAS.items():
        items = _json(tmp_path, name)
        assert items, name
        for item in items:
            assert errors(item, spec.schema(schema_name)) == [], (name, item["id"])


def test_every_csv_row_validates_against_its_table_in_the_tabular_schema(directory, tmp_path):
    _export(tmp_path, "csv")
    for name, table in spec.tables():
        for row in _csv(tmp_path, table["path"]):
            # A CSV cell cannot tell an empty value from a missing one: a required one is "".
            required = table["required"] + table.get("tabular_required", [])
            record = {key: value for key, value in row.items() if value or key in required}
            for key, prop in table["properties"].items():
                if key in record and prop["type"] == "number":
                    record[key] = float(record[key])
            assert errors(record, {**table, "required": required}) == [], (name, row)


def test_export_fills_every_field_we_map(directory, tmp_path):
    # Guards the validation tests above: they only prove something for fields that are there.
    _export(tmp_path)
    service = next(
        s for s in _json(tmp_path, "services.json") if s["name"] == "Mission Residential"
    )
    assert set(service) >= {
        "id", "organization_id", "name", "description", "url", "status", "assured_date",
        "last_modified", "phones", "schedules", "service_at_locations", "languages",
        "organization", "attributes",
    }  # fmt: skip
    location = service["service_at_locations"][0]["location"]
    assert set(location) >= {"id", "location_type", "name", "latitude", "longitude", "addresses"}
    assert set(location["addresses"][0]) >= {"address_1", "address_2", "postal_code", "country"}
    parents = [a["taxonomy_term"].get("parent_id") for a in service["attributes"]]
    assert any(parents)
    filled = {table: _csv(tmp_path, spec.table(table)["path"]) for table in (
        "organization", "service", "location", "address", "service_at_location", "phone",
        "schedule", "language", "attribute", "taxonomy", "taxonomy_term",
    )}  # fmt: skip
    assert all(filled.values()), [table for table, rows in filled.items() if not rows]


def test_only_published_programs_are_exported(directory, tmp_path):
    _export(tmp_path)
    names = {service["name"] for service in _json(tmp_path, "services.json")}
    assert names == {"Mission Residential", directory["sibling"].name, "Solo Clinic"}
    assert {row["name"] for row in _csv(tmp_path, "services.csv")} == names


def test_csv_package_has_the_columns_of_the_spec_tabular_form(directory, tmp_path):
    _export(tmp_path, "csv")
    package = json.loads((tmp_path / "csv" / "datapackage.json").read_text())
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == set(spec.schema("tabular")["properties"])
    for name, table in spec.tables():
        with open(tmp_path / "csv" / table["path"], newline="", encoding="utf-8") as file:
            header = next(csv.reader(file))
        expected = [
            f for f, p in table["properties"].items() if p["type"] not in ("array", "object")
        ]
        assert header == expected, name
        assert [field["name"] for field in resources[name]["schema"]["fields"]] == expected


def test_repeated_exports_give_every_record_the_same_id(directory, tmp_path):
    _export(tmp_path / "first")
    _export(tmp_path / "second")
    for path in ("services.csv", "phones.csv", "attributes.csv", "taxonomy_terms.csv"):
        assert _csv(tmp_path / "first", path) == _csv(tmp_path / "second", path)
    ids = [row["id"] for row in _csv(tmp_path / "first", "attributes.csv")]
    assert len(ids) == len(set(ids))


def test_terms_become_attributes_linking_the_service_to_our_taxonomy_codes(directory, tmp_path):
    _export(tmp_path)
    service_id = records.service_id(directory["full"])
    terms = {
        row["id"]: row
        for row in _csv(tmp_path, "taxonomy_terms.csv")
        if row["taxonomy"] == "treatment-finder"
    }
    linked = {
        terms[row["taxonomy_term_id"]]["code"]: row
        for row in _csv(tmp_path, "attributes.csv")
        if row["link_id"] == service_id and row["taxonomy_term_id"] in terms
    }
    assert set(linked) == {"residential", "detox-hospital", "medicaid", "spanish", "asl"}
    assert linked["medicaid"]["link_entity"] == "service"
    assert linked["medicaid"]["link_type"] == "payment"
    hospital_detox = terms[linked["detox-hospital"]["taxonomy_term_id"]]
    assert terms[hospital_detox["parent_id"]]["code"] == "detox"
    assert hospital_detox["name"] == "Detox in a hospital"
    assert {row["name"] for row in _csv(tmp_path, "taxonomies.csv")} == {
        "treatment-finder",
        "treatment-finder-listing",
    }


def _facts(tmp_path, link_id) -> dict[str, str]:
    """{listing fact code: value} of the attributes the CSV package links to one record."""
    terms = {row["id"]: row for row in _csv(tmp_path, "taxonomy_terms.csv")}
    return {
        terms[row["taxonomy_term_id"]]["code"]: row["value"]
        for row in _csv(tmp_path, "attributes.csv")
        if row["link_id"] == link_id
        and terms[row["taxonomy_term_id"]]["taxonomy"] == "treatment-finder-listing"
    }


def test_availability_and_beds_are_attributes_of_our_listing_taxonomy(directory, tmp_path):
    _export(tmp_path)
    assert _facts(tmp_path, records.service_id(directory["full"])) == {
        "accepting-new-patients": "waitlist",
        "wait-weeks": "3",
        "availability-updated": "2026-11-20",
        "beds-available": "4",
        "beds-updated": "2026-11-21",
    }
    # Unknown availability is said (a re-import then clears an old answer); unknown beds are not.
    assert _facts(tmp_path, records.service_id(directory["sibling"])) == {
        "accepting-new-patients": "unknown"
    }
    service_id = records.service_id(directory["full"])
    service = next(s for s in _json(tmp_path, "services.json") if s["id"] == service_id)
    nested = {a["taxonomy_term"]["code"]: a["value"] for a in service["attributes"] if "value" in a}
    assert nested == _facts(tmp_path, service["id"])


def test_an_approximate_position_is_an_attribute_of_the_location(directory, tmp_path):
    _export(tmp_path)
    location_id = records.hsds_id("location", directory["alone"].pk)
    assert _facts(tmp_path, location_id) == {"location-approximate": "true"}
    assert _facts(tmp_path, records.hsds_id("location", directory["full"].pk)) == {}
    service = next(s for s in _json(tmp_path, "services.json") if s["name"] == "Solo Clinic")
    location = service["service_at_locations"][0]["location"]
    assert [a["taxonomy_term"]["code"] for a in location["attributes"]] == ["location-approximate"]


def test_phones_hours_and_languages_are_exported_with_the_service(directory, tmp_path):
    _export(tmp_path)
    service_id = records.service_id(directory["full"])
    phones = {
        r["description"]: r for r in _csv(tmp_path, "phones.csv") if r["service_id"] == service_id
    }
    assert {name: (p["number"], p["extension"]) for name, p in phones.items()} == {
        "Main": ("+14155550100", "204"),
        "Intake": ("+14155550199", ""),
    }
    schedules = [r for r in _csv(tmp_path, "schedules.csv") if r["service_id"] == service_id]
    assert [r["description"] for r in schedules] == ["Mon–Fri 9am–5pm; intake by phone 24/7"]
    languages = [r for r in _csv(tmp_path, "languages.csv") if r["service_id"] == service_id]
    assert sorted((r["name"], r["code"]) for r in languages) == [
        ("American Sign Language", "ase"),
        ("Spanish", "es"),
    ]


def test_a_program_without_an_organization_gets_one_of_its_own_name(directory, tmp_path):
    _export(tmp_path)
    organizations = {row["id"]: row for row in _csv(tmp_path, "organizations.csv")}
    services = {row["name"]: row for row in _csv(tmp_path, "services.csv")}
    assert organizations[services["Solo Clinic"]["organization_id"]]["name"] == "Solo Clinic"
    assert (
        services["Mission Residential"]["organization_id"]
        == (services[directory["sibling"].name]["organization_id"])
    )
    assert len(organizations) == 2


def test_coordinates_and_address_are_on_the_location(directory, tmp_path):
    _export(tmp_path)
    program = directory["full"]
    location_id = records.hsds_id("location", program.pk)
    location = next(r for r in _csv(tmp_path, "locations.csv") if r["id"] == location_id)
    assert (float(location["latitude"]), float(location["longitude"])) == (37.7509, -122.4153)
    address = next(r for r in _csv(tmp_path, "addresses.csv") if r["location_id"] == location_id)
    assert (address["address_1"], address["city"], address["state_province"]) == (
        "1 Valencia Street",
        "San Francisco",
        "CA",
    )
    assert address["postal_code"] == "94110"


def test_format_json_writes_no_csv(directory, tmp_path):
    _export(tmp_path, "json")
    assert (tmp_path / "json" / "services.json").exists()
    assert not (tmp_path / "csv").exists()


def test_taxonomy_term_record_matches_the_nested_schema(db, term):
    record = records.full_taxonomy_term(term("detox-hospital"))
    assert errors(record, nested_schema("service", "attributes", "taxonomy_term")) == []


def test_an_unwritable_destination_is_a_clear_error(directory, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(CommandError, match="Could not write the export"):
        _export(tmp_path / "taken")


def test_an_approximate_location_says_so(directory, tmp_path):
    _export(tmp_path)
    locations = {row["name"]: row for row in _csv(tmp_path, "locations.csv")}
    assert "centre of the ZIP code" in locations["Solo Clinic"]["description"]
    assert locations["Mission Residential"]["description"] == ""
