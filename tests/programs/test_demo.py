import json
import re
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from programs.demo.loader import load_demo
from programs.demo.sources import DATA_DIR
from programs.importers.sync import import_file
from programs.models import Program

# The contiguous United States: all twelve demo states lie inside it.
SOUTH, NORTH, WEST, EAST = 24.4, 49.4, -124.8, -66.9


def snapshot() -> list[dict]:
    """The demo programs as plain data, to compare two runs or to read after a rollback."""
    programs = Program.objects.filter(is_demo=True).prefetch_related("terms").order_by("pk")
    return [
        {
            "id": p.pk,
            "source": p.source,
            "external_id": p.external_id,
            "slug": p.slug,
            "name": p.name,
            "phone": p.phone.as_e164 if p.phone else "",
            "website": p.website,
            "state": p.state,
            "zip_code": p.zip_code,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "status": p.status,
            "accepting": p.accepting,
            "last_verified": p.last_verified,
            "terms": sorted(term.code for term in p.terms.all()),
        }
        for p in programs
    ]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo directory, loaded once for the module's read-only tests and then rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        programs = snapshot()
        transaction.set_rollback(True)
    return programs


def offering(programs: list[dict], code: str) -> list[dict]:
    return [p for p in programs if code in p["terms"]]


def test_loads_hundreds_of_published_programs_across_many_states(demo):
    assert len(demo) >= 300
    assert {p["status"] for p in demo} == {Program.Status.PUBLISHED}
    assert len({p["state"] for p in demo}) >= 10


def test_every_program_is_in_the_us_with_a_zip_code(demo):
    for program in demo:
        assert SOUTH <= program["latitude"] <= NORTH, program
        assert WEST <= program["longitude"] <= EAST, program
        assert re.fullmatch(r"\d{5}(-\d{4})?", program["zip_code"]), program  # ZIP+4 kept


def test_massachusetts_zip_codes_keep_their_leading_zero(demo):
    assert {p["zip_code"][0] for p in demo if p["state"] == "MA"} == {"0"}


def test_mix_of_care_is_believable(demo):
    outpatient, residential = offering(demo, "outpatient"), offering(demo, "residential")
    methadone, buprenorphine = offering(demo, "methadone"), offering(demo, "buprenorphine")
    assert len(outpatient) > len(residential) > 0.1 * len(demo)
    assert offering(demo, "detox") and offering(demo, "telehealth")
    assert 0.05 * len(demo) < len(methadone) < len(buprenorphine)
    assert len(offering(demo, "medicaid")) > 0.4 * len(demo)
    assert all(offering([p], "substance-use") for p in demo)
    accepting = Counter(p["accepting"] for p in demo)
    assert set(accepting) == {"yes", "waitlist", "no", "unknown"}
    assert accepting["yes"] + accepting["unknown"] > 0.6 * len(demo)
    assert 0 < sum(p["last_verified"] is None for p in demo) < 0.1 * len(demo)


def test_every_opioid_treatment_program_offers_methadone(demo):
    otps = [p for p in demo if p["source"] == "otp-directory"]
    assert len(otps) >= 100
    assert all({"otp", "methadone", "outpatient"} <= set(p["terms"]) for p in otps)


def test_california_residential_listings_carry_their_real_services(demo):
    (hospital,) = [p for p in demo if p["name"] == "Aurora Las Encinas Hospital"]
    # Its SAMHSA labels include "Hospital inpatient detoxification", "Medicare", "Spanish".
    assert {"residential", "detox-hospital", "medicare", "spanish", "veterans"} <= set(
        hospital["terms"]
    )
    assert "methadone" not in hospital["terms"]
    assert hospital["phone"] == "+16267959901"
    assert hospital["website"] == "http://www.lasencinashospital.com"


def test_made_up_phone_numbers_are_in_the_range_reserved_for_fiction(demo):
    made_up = [p for p in demo if p["source"] != "samhsa-api"]
    assert made_up
    assert all(re.fullmatch(r"\+1\d{3}55501\d\d", p["phone"]) for p in made_up)


@pytest.mark.django_db
def test_running_twice_changes_nothing_even_days_later():
    first = load_demo(today=date(2026, 1, 5))
    before = snapshot()

    second = load_demo(today=date(2026, 3, 1))

    assert first.created == len(before)
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(before))
    assert snapshot() == before


@pytest.mark.django_db
def test_reads_the_opioid_program_list_in_its_windows_1252_encoding(tmp_path):
    (tmp_path / "facilities.csv").write_text(
        "name1,name2,street1,street2,city,state,zip,zip4,county,latitude,longitude\n"
    )
    (tmp_path / "ca_residential_facilities.json").write_text(json.dumps([]))
    (tmp_path / "opioid_treatment_programs.csv").write_bytes(
        "ID,ADDRESS,CITY,STATE,POSTAL,Latitude,Longitude\n"
        "Clínica Esperanza,1 Main St,Boston,MA,2134,42.35,-71.13\n"
        "No Place Clinic,2 Main St,Boston,MA,02134,,\n"
        "Clínica Cayey,Ave. de Diego,Cayey,PR,736,18.11,-66.17\n".encode("cp1252")
    )

    result = load_demo(data_dir=tmp_path)

    programs = {p.name: p for p in Program.objects.filter(is_demo=True)}
    assert programs["Clínica Esperanza"].zip_code == "02134"
    assert programs["Clínica Cayey"].zip_code == "00736"
    # Without coordinates, a listing is placed at its ZIP code's centre, flagged for staff.
    assert programs["No Place Clinic"].location_approximate
    assert (result.created, result.skipped) == (3, [])


def test_demo_listings_are_marked_as_demo_data_on_their_page(demo, client, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        program = Program.objects.filter(is_demo=True).first()
        page = client.get(program.get_absolute_url()).content.decode()
        transaction.set_rollback(True)

    assert "Demo listing: some details (services, phone, hours, openings) are made up" in page


@pytest.mark.django_db
def test_a_real_import_over_the_demo_keeps_the_demo_mark_and_its_made_up_details():
    load_demo()
    program = Program.objects.filter(source="samhsa-locator", is_demo=True).first()
    phone, terms = program.phone, set(program.terms.values_list("code", flat=True))

    import_file(
        (DATA_DIR / "facilities.csv").read_bytes(), format="samhsa-locator", filename="real.csv"
    )

    program.refresh_from_db()
    assert program.is_demo and program.phone == phone
    assert set(program.terms.values_list("code", flat=True)) == terms


@pytest.mark.django_db
def test_command_prints_a_summary():
    out = StringIO()

    call_command("load_demo", stdout=out)

    count = Program.objects.filter(is_demo=True).count()
    assert f"{count} programs in 12 states ({count} created, 0 updated, 0 unchanged)" in (
        out.getvalue()
    )
