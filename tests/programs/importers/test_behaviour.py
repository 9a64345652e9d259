"""Import behaviour every format shares: upsert, re-import, dry run, rejects, staff edits."""

from unittest import mock

import pytest

from programs.importers.sync import StrictModeError
from programs.models import Program
from tests.factories import ProgramFactory
from tests.programs.importers.conftest import locator_csv

BOSTON = "Harbor House,Men's Program,1 Main St,,Boston,MA,02134,,Suffolk,617-555-0100,,42.35,-71.13"
DENVER = "Peak Recovery,,2 Colfax Ave,,Denver,CO,80202,,Denver,303-555-0111,,39.74,-104.99"
GOOD = locator_csv(BOSTON, DENVER)


def test_importing_creates_published_listings_with_their_organizations(run_import):
    result = run_import(GOOD)

    assert (result.created, result.updated, result.unchanged, result.rejected) == (2, 0, 0, [])
    boston = Program.objects.get(city="Boston")
    assert boston.name == "Harbor House – Men's Program"  # the site after its own name
    assert boston.organization.name == "Harbor House"
    assert boston.status == Program.Status.PUBLISHED
    assert boston.source == "samhsa-locator" and boston.external_id
    assert Program.objects.published().count() == 2


def test_importing_the_same_file_twice_changes_nothing(run_import):
    run_import(GOOD)
    updated = list(Program.objects.values_list("updated", flat=True))

    again = run_import(GOOD)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Program.objects.values_list("updated", flat=True)) == updated


def test_a_newer_file_updates_what_changed(run_import):
    run_import(GOOD)

    result = run_import(locator_csv(BOSTON, DENVER.replace("303-555-0111", "303-555-0199")))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Program.objects.get(city="Denver").phone == "+13035550199"


def test_capitalization_changes_in_a_newer_file_still_find_the_same_listing(run_import):
    run_import(GOOD)

    result = run_import(locator_csv(BOSTON.replace("Harbor House", "HARBOR HOUSE."), DENVER))

    assert (result.created, result.updated) == (0, 1)
    assert Program.objects.count() == 2


def test_dry_run_reports_the_summary_and_writes_nothing(run_import):
    result = run_import(GOOD, dry_run=True)

    assert result.created == 2
    assert not Program.objects.exists()


def test_bad_rows_are_rejected_with_line_and_reason_and_good_rows_still_go_in(run_import):
    data = locator_csv(
        BOSTON,
        ",,3 Nameless Rd,,Austin,TX,78701,,,,,30.27,-97.74",
        "Bad Zip Clinic,,4 Elm St,,Austin,TX,ABCDE,,,,,30.27,-97.74",
        "Null Island Clinic,,5 Oak St,,Austin,TX,78701,,,,,0,0",
        "Far Away Clinic,,6 Rue,,Austin,TX,78701,,,,,48.85,2.35",
        DENVER,
    ) + "Cl\xednica Esperanza,,7 Calle,,Austin,TX,78701,,,,,30.27,-97.74\n".encode("cp1252")

    result = run_import(data, encoding="utf-8")

    reasons = {r.line: r.reason for r in result.rejected}
    assert reasons[3] == "missing name"
    assert reasons[4] == "bad ZIP code 'ABCDE'"
    assert reasons[5].startswith("coordinates outside the US")
    assert reasons[6].startswith("coordinates outside the US")
    assert reasons[8].startswith("undecodable bytes")
    assert result.created == 2
    assert set(Program.objects.values_list("city", flat=True)) == {"Boston", "Denver"}


def test_strict_imports_nothing_when_any_row_is_bad(run_import):
    data = locator_csv(BOSTON, "Bad Zip Clinic,,4 Elm St,,Austin,TX,1,,,,,30.27,-97.74")

    with pytest.raises(StrictModeError) as error:
        run_import(data, strict=True)

    assert error.value.result.rejected[0].line == 3
    assert not Program.objects.exists()


def test_a_crash_mid_file_leaves_the_database_as_it_was(run_import):
    run_import(locator_csv(BOSTON))
    before = list(Program.objects.values_list("pk", "name", "phone"))
    newer = locator_csv(BOSTON.replace("617-555-0100", "617-555-0123"), DENVER)
    written = []

    def fail(*args, **kwargs):
        written.append(sorted(Program.objects.values_list("city", "phone")))
        raise RuntimeError("disk full")

    # The programs are written, then linking their terms fails.
    links = Program.terms.through.objects
    with mock.patch.object(links, "bulk_create", side_effect=fail), pytest.raises(RuntimeError):
        run_import(newer)

    assert written == [[("Boston", "+16175550123"), ("Denver", "+13035550111")]]
    assert list(Program.objects.values_list("pk", "name", "phone")) == before


def test_a_staff_edit_is_kept_on_reimport_and_reported(run_import):
    run_import(GOOD)
    denver = Program.objects.get(city="Denver")
    denver.phone = "+13035550177"  # staff called and corrected it
    denver.save()
    newer = locator_csv(BOSTON, DENVER.replace("303-555-0111,", "303-555-0122,peak.org"))

    result = run_import(newer)

    denver.refresh_from_db()
    assert denver.phone == "+13035550177"  # the staff's number
    assert denver.website == "https://peak.org"  # fields staff left alone follow the file
    assert result.updated == 1
    assert result.kept_staff_edits == ["line 3 Peak Recovery: phone"]


def test_staff_term_edits_survive_a_reimport_while_the_files_changes_apply(run_import, term):
    header = "name1,street1,city,state,zip,latitude,longitude,md,sf,pi"
    row = "Peak Recovery,2 Colfax Ave,Denver,CO,80202,39.74,-104.99,{},{},{}"
    run_import(locator_csv(row.format(1, 1, ""), header=header))
    program = Program.objects.get()
    program.terms.remove(term("cash"))
    program.terms.add(term("veterans"))

    run_import(locator_csv(row.format(1, 1, 1), header=header))  # the file adds insurance

    codes = set(program.terms.values_list("code", flat=True))
    assert codes == {"medicaid", "private-insurance", "veterans"}


def test_an_archived_listing_stays_archived_after_reimport(run_import):
    run_import(GOOD)
    Program.objects.filter(city="Boston").update(status=Program.Status.ARCHIVED)

    run_import(locator_csv(BOSTON.replace("617-555-0100", "617-555-0155"), DENVER))

    boston = Program.objects.get(city="Boston")
    assert boston.status == Program.Status.ARCHIVED
    assert boston.phone == "+16175550155"


def test_listings_of_other_sources_are_left_alone(run_import):
    manual = ProgramFactory(name="Men's Program", city="Boston", state="MA", zip_code="02134")

    run_import(GOOD)

    manual.refresh_from_db()
    assert manual.source == "manual" and manual.name == "Men's Program"
    assert Program.objects.count() == 3


def test_a_row_without_coordinates_gets_its_zip_centre_and_is_flagged(run_import):
    result = run_import(locator_csv("No Coords,,1 Main St,,Denver,CO,80202,,,,,,"))

    program = Program.objects.get()
    assert result.created == 1
    assert program.location_approximate
    assert program.latitude == pytest.approx(39.75, abs=0.05)
    assert program.longitude == pytest.approx(-105.0, abs=0.05)
    assert not Program.objects.filter(location_approximate=False).exists()


def test_data_quirks_are_fixed(run_import):
    row = (
        "Harbor House,,1 Main St,,Boston,MA,2134,1234,,617-555-0100 x1699,www.harbor.org,"
        "42.35,-71.13"
    )
    run_import(locator_csv(row, "Bare Link,,2 Main St,,Boston,MA,02134,,,,http://,42.35,-71.13"))

    harbor, bare = Program.objects.order_by("name").reverse()
    assert harbor.zip_code == "02134-1234"  # the lost leading zero is back; ZIP+4 kept
    assert (harbor.phone, harbor.phone_extension) == ("+16175550100", "1699")
    assert harbor.website == "https://www.harbor.org"
    assert bare.website == ""


def test_a_row_repeated_in_the_same_file_is_rejected_as_a_duplicate(run_import):
    result = run_import(locator_csv(BOSTON, BOSTON))

    assert result.created == 1
    assert [(r.line, r.reason) for r in result.rejected] == [(3, "duplicate of line 2")]


def test_an_imported_phone_extension_is_shown_and_dialled_on_the_listing_page(run_import, client):
    row = "Harbor House,,1 Main St,,Boston,MA,02134,,,617-555-0100 x1699,,42.35,-71.13"
    run_import(locator_csv(row))

    page = client.get(Program.objects.get().get_absolute_url()).content.decode()

    assert 'href="tel:+16175550100;ext=1699"' in page
    assert "(617) 555-0100, extension 1699" in page
