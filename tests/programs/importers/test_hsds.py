"""HSDS import: the CSV package nested in linear time, and the listing facts beyond the terms."""

import json
from datetime import date

import pytest

from programs.hsds import records
from programs.importers import hsds
from programs.models import Organization, Program

SID = "5c1f0a2e-2a43-4a39-9d7a-0d6c0c0c0001"


def _fact(code: str, value: str, n: int = 0) -> dict:
    """An attribute of our listing taxonomy, as export_hsds writes it nested in a service."""
    return {
        "id": f"fact-{code}-{n}",
        "value": value,
        "taxonomy_term": {"code": code, "taxonomy": records.LISTING_TAXONOMY_NAME},
    }


def _service(**changes) -> dict:
    service = {
        "id": SID,
        "name": "Peak Recovery",
        "organization": {"id": "org-1", "name": "Peak Health"},
        "service_at_locations": [
            {
                "id": "sal-1",
                "location": {
                    "id": "loc-1",
                    "location_type": "physical",
                    "latitude": 39.74,
                    "longitude": -104.99,
                    "addresses": [
                        {
                            "address_1": "2 Colfax Ave",
                            "city": "Denver",
                            "state_province": "CO",
                            "postal_code": "80202",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
    }
    return service | changes


def _import(run_import, *services):
    return run_import(json.dumps(list(services)).encode(), "hsds")


class CountingTable(list):
    """A table that counts how often it is read through."""

    def __init__(self, rows):
        super().__init__(rows)
        self.reads = 0

    def __iter__(self):
        self.reads += 1
        return super().__iter__()


def test_nesting_a_csv_package_reads_each_table_once_whatever_its_size():
    # Reading a table once per service made a 14k-service package take 30 times the JSON's time.
    n = 300
    tables = {
        "services": [{"id": f"s{i}", "organization_id": "o"} for i in range(n)],
        "organizations": [{"id": "o", "name": "Org"}],
        "service_at_location": [
            {"id": f"sal{i}", "service_id": f"s{i}", "location_id": f"l{i}"} for i in range(n)
        ],
        "locations": [{"id": f"l{i}"} for i in range(n)],
        "addresses": [{"id": f"a{i}", "location_id": f"l{i}"} for i in range(n)],
        "phones": [{"id": f"p{i}", "service_id": f"s{i}"} for i in range(n)],
        "schedules": [{"id": f"h{i}", "service_id": f"s{i}"} for i in range(n)],
        "attributes": [{"id": f"t{i}", "link_id": f"s{i}"} for i in range(n)],
        "taxonomy_terms": [],
        "taxonomies": [],
    }
    counted = {name: CountingTable(rows) for name, rows in tables.items()}

    services = hsds._nest(counted)

    reads = {name: table.reads for name, table in counted.items()}
    assert max(reads.values()) <= 2, reads
    last = services[-1]
    assert last["service_at_locations"][0]["location"]["addresses"][0]["id"] == f"a{n - 1}"
    assert (last["phones"][0]["id"], last["schedules"][0]["id"]) == (f"p{n - 1}", f"h{n - 1}")


def test_listing_facts_are_read_into_the_listing(run_import):
    location = _service()["service_at_locations"][0]["location"]
    location["attributes"] = [_fact("location-approximate", "true")]
    result = _import(
        run_import,
        _service(
            assured_date="2026-10-05",
            schedules=[{"id": "h1", "description": "Mon–Fri 9am–5pm"}],
            attributes=[
                _fact("accepting-new-patients", "waitlist"),
                _fact("wait-weeks", "3"),
                _fact("availability-updated", "2026-11-20"),
                _fact("beds-available", "0"),
                _fact("beds-updated", "2026-11-21"),
            ],
            service_at_locations=[{"id": "sal-1", "location": location}],
        ),
    )

    program = Program.objects.get()
    assert (program.hours, program.last_verified) == ("Mon–Fri 9am–5pm", date(2026, 10, 5))
    assert (program.accepting, program.wait_weeks, program.accepting_updated) == (
        "waitlist",
        3,
        date(2026, 11, 20),
    )
    assert (program.beds_available, program.beds_updated) == (0, date(2026, 11, 21))
    assert program.location_approximate is True  # although the file has coordinates
    assert not result.unmapped  # our listing facts are not terms we failed to map


def test_structured_schedules_become_hours_in_words(run_import):
    _import(
        run_import,
        _service(
            schedules=[
                {"id": "h1", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"},
                {"id": "h2", "byday": "SA", "opens_at": "10:00:00", "closes_at": "14:00:00"},
            ]
        ),
    )

    assert Program.objects.get().hours == "Mon, Tue, Wed, Thu, Fri 09:00–17:00\nSat 10:00–14:00"


@pytest.mark.parametrize(
    "attribute, reason",
    [
        (_fact("beds-available", "lots"), "beds-available: 'lots' is not a whole number"),
        (_fact("accepting-new-patients", "maybe"), "accepting-new-patients: 'maybe' is not one"),
        (_fact("beds-updated", "last week"), "beds-updated: 'last week' is not a date"),
        (_fact("wait-weeks", "500"), "wait weeks: Ensure this value is less than or equal to 104"),
    ],
)
def test_a_listing_fact_that_cannot_be_stored_rejects_the_row_saying_which(
    run_import, attribute, reason
):
    result = _import(run_import, _service(attributes=[attribute]))

    assert result.rejected[0].reason.startswith(reason)
    assert not Program.objects.exists()


def test_a_bad_assured_date_rejects_the_row_saying_so(run_import):
    result = _import(run_import, _service(assured_date="yesterday"))

    assert result.rejected[0].reason == "assured_date: 'yesterday' is not a date (YYYY-MM-DD)"


def test_a_file_without_a_fact_leaves_the_listing_s_own(run_import):
    _import(run_import, _service(attributes=[_fact("beds-available", "4")]))
    _import(run_import, _service(name="Peak Recovery Center"))

    program = Program.objects.get()
    assert (program.name, program.beds_available) == ("Peak Recovery Center", 4)


def test_the_organization_website_stays_on_the_organization(run_import):
    organization = {"id": "org-1", "name": "Peak Health", "website": "https://peak.example"}
    _import(run_import, _service(organization=organization))

    program = Program.objects.select_related("organization").get()
    assert program.website == ""
    assert program.organization.website == "https://peak.example"


def test_an_organization_website_staff_entered_is_not_overwritten(run_import):
    _import(run_import, _service())
    Organization.objects.update(website="https://staff.example")
    organization = {"id": "org-1", "name": "Peak Health", "website": "https://peak.example"}

    _import(run_import, _service(organization=organization))

    assert Program.objects.get().organization.website == "https://staff.example"
