"""The dry run checks what the real run writes: a row it accepts is one the real run can store."""

import io
import json
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DataError

from programs.importers.sync import ImportWriteError
from programs.models import Organization, Program
from tests.factories import ProgramFactory
from tests.programs.importers.conftest import locator_csv
from tests.programs.importers.test_formats import _our_service

GOOD = "Harbor House,,1 Main St,,Boston,MA,02134,,,617-555-0100,,42.35,-71.13"
LONG_CITY = "Long City Clinic,,2 Main St,," + "B" * 101 + ",MA,02134,,,,,42.35,-71.13"
LONG_ORGANIZATION = "O" * 201 + ",Clinic,3 Main St,,Boston,MA,02134,,,,,42.35,-71.13"


def test_a_city_too_long_for_the_database_is_rejected_in_the_dry_run_with_its_line(run_import):
    result = run_import(locator_csv(GOOD, LONG_CITY), dry_run=True)

    assert result.created == 1
    [rejected] = result.rejected
    assert rejected.line == 3
    assert rejected.reason == "city: Ensure this value has at most 100 characters (it has 101)."


def test_a_phone_extension_too_long_is_rejected_in_the_dry_run(run_import):
    phones = [{"id": "ph-1", "number": "+13035550111", "extension": "12345678901"}]
    data = json.dumps([_our_service(phones=phones)]).encode()

    result = run_import(data, "hsds", dry_run=True)

    assert result.created == 0
    assert result.rejected[0].reason.startswith("phone extension: Ensure this value has at most")


def test_an_organization_name_too_long_is_rejected(run_import):
    result = run_import(locator_csv(GOOD, LONG_ORGANIZATION))

    assert [r.line for r in result.rejected] == [3]
    assert "200 characters" in result.rejected[0].reason
    assert list(Program.objects.values_list("name", flat=True)) == ["Harbor House"]


@pytest.mark.parametrize(
    "description",
    ["Open\x00late", "Bad escape \ud800 here"],
    ids=["nul", "lone-surrogate"],
)
def test_text_the_database_cannot_store_is_rejected_not_written(run_import, description):
    data = json.dumps([_our_service(description=description)]).encode()

    result = run_import(data, "hsds", dry_run=True)

    assert result.rejected[0].reason == "description: a NUL character or an undecodable byte"


def test_an_update_the_database_would_refuse_is_rejected_and_the_listing_left_alone(run_import):
    run_import(locator_csv(GOOD))
    longer = GOOD.replace("Boston", "B" * 101).replace("Harbor House", "Harbor House")

    # The same listing (its id does not depend on the city) with an overlong city.
    result = run_import(locator_csv(longer))

    assert (result.updated, len(result.rejected)) == (0, 1)
    assert Program.objects.get().city == "Boston"


TRICKY_ROWS = [
    GOOD,
    LONG_CITY,
    LONG_ORGANIZATION,
    "Name" + "N" * 250 + ",,4 Main St,,Boston,MA,02134,,,,,42.35,-71.13",
    "Web Clinic,,5 Main St,,Boston,MA,02134,,,,https://" + "w" * 290 + ".org,42.35,-71.13",
    "Ext Clinic,,6 Main St,,Boston,MA,02134,,,617-555-0100 ext. 123456,,42.35,-71.13",
    "Zip Clinic,,7 Main St,,Boston,MA,02134,12345,,,,42.35,-71.13",
    "Slug " + "s" * 190 + ",,8 Main St,,Boston,MA,02134,,,,,42.35,-71.13",
]


@pytest.mark.parametrize("row", TRICKY_ROWS)
def test_the_real_run_writes_every_row_the_dry_run_accepted(run_import, row):
    dry = run_import(locator_csv(row), dry_run=True)

    real = run_import(locator_csv(row))  # on PostgreSQL, an unchecked length raises here

    assert (real.created, len(real.rejected)) == (dry.created, len(dry.rejected))
    assert Program.objects.count() == dry.created


def test_a_write_the_checks_did_not_foresee_is_a_clear_error_and_nothing_is_written(run_import):
    ProgramFactory(name="Existing")
    refused = DataError("value too long for type character varying(100)\nCONTEXT: …")

    with (
        mock.patch("programs.services.save_import", side_effect=refused),
        pytest.raises(ImportWriteError, match="value too long.*Nothing was written"),
    ):
        run_import(locator_csv(GOOD))

    assert list(Program.objects.values_list("name", flat=True)) == ["Existing"]
    assert Organization.objects.count() == 1


def test_the_command_reports_a_refused_write_without_a_traceback(db, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_bytes(locator_csv(GOOD))
    refused = DataError("value too long for type character varying(10)")

    with (
        mock.patch("programs.services.save_import", side_effect=refused),
        pytest.raises(CommandError, match="listings.csv: The database refused the import"),
    ):
        call_command(
            "import_programs", str(path), "--format", "samhsa-locator", stdout=io.StringIO()
        )

    assert not Program.objects.exists()


def test_listings_edited_while_the_file_is_checked_keep_the_staff_edit(run_import):
    run_import(locator_csv(GOOD))
    program = Program.objects.get()
    newer = locator_csv(GOOD.replace("617-555-0100", "617-555-0199"))

    def staff_edit_meanwhile(done, total):
        # A staff member saves the listing after the rows were checked, before the write.
        Program.objects.filter(pk=program.pk).update(name="Harbor House (staff)")
        Program.objects.get(pk=program.pk).save()

    result = run_import(newer, progress=staff_edit_meanwhile)

    program.refresh_from_db()
    assert program.name == "Harbor House (staff)"
    assert program.phone.as_e164 == "+16175550199"
    assert result.kept_staff_edits == ["line 2 Harbor House: name"]
