"""Imports run in the listings' history, with their source as the reason."""

from programs.models import Program
from tests.programs.importers.conftest import locator_csv

BOSTON = "Harbor House,Men's Program,1 Main St,,Boston,MA,02134,,Suffolk,617-555-0100,,42.35,-71.13"
BOSTON_NEW_PHONE = (
    "Harbor House,Men's Program,1 Main St,,Boston,MA,02134,,Suffolk,617-555-0199,,42.35,-71.13"
)


def test_import_records_each_listing_in_history_with_its_file_as_the_reason(run_import):
    run_import(locator_csv(BOSTON))
    run_import(locator_csv(BOSTON_NEW_PHONE))

    program = Program.objects.get(city="Boston")
    created, updated = program.history.order_by("history_date")
    assert (created.history_type, created.phone.as_e164) == ("+", "+16175550100")
    assert (updated.history_type, updated.phone.as_e164) == ("~", "+16175550199")
    assert updated.history_change_reason == "import samhsa-locator test"
    assert updated.prev_record == created


def test_an_unchanged_reimport_adds_no_history(run_import):
    run_import(locator_csv(BOSTON))
    run_import(locator_csv(BOSTON))
    assert Program.objects.get(city="Boston").history.count() == 1
