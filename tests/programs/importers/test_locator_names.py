"""SAMHSA's two name fields: the heading is the program's own name, never "OP" or "Outpatient"."""

import pytest

from programs.importers.locator import names
from programs.models import Program
from tests.programs.importers.conftest import locator_csv

CASES = [
    # A site or unit of the organization: its own name first, then the site.
    ("Central East Council", "Outpatient Services", "Central East Council – Outpatient Services"),
    ("Brooks TLC Hospital Inc", "OP 1", "Brooks TLC Hospital Inc – OP 1"),
    # The rest of a name cut at the field's width...
    (
        "Intermountain Centers for ",
        "Human Development",
        "Intermountain Centers for Human Development",
    ),
    (
        "Helping Ourselves Pursue Enrichment",
        "(HOPE) Inc",
        "Helping Ourselves Pursue Enrichment (HOPE) Inc",
    ),
    # ...then a site after the slash.
    (
        "Serving Children in Need",
        "(SCAN)/Youth Home",
        "Serving Children in Need (SCAN) – Youth Home",
    ),
    # A trade name is what people know it by (its legal name runs it: the organization).
    ("Twelfth Step House of San Diego Inc", "DBA Heartland House", "Heartland House"),
    ("HealthRIGHT 360", "", "HealthRIGHT 360"),
]


@pytest.mark.parametrize(("name1", "name2", "name"), CASES)
def test_second_name_is_a_site_a_cut_name_or_a_trade_name(name1, name2, name):
    assert names(name1, name2)["name"] == name


def test_the_organization_is_the_first_name_made_whole():
    assert names("Serving Children in Need", "(SCAN)/Youth Home")["organization"] == (
        "Serving Children in Need (SCAN)"
    )
    assert names("Twelfth Step House Inc", "DBA Heartland House")["organization"] == (
        "Twelfth Step House Inc"
    )


def test_a_reimport_puts_the_programs_own_name_first(run_import):
    row = "Aegis Treatment LLC,OP,1 Main St,,Boston,MA,02134,,Suffolk,617-555-0100,,42.35,-71.13"
    run_import(locator_csv(row))
    # As the importer used to name it, with nothing staff-edited to keep.
    Program.objects.update(name="OP", imported_values={})

    run_import(locator_csv(row))

    assert Program.objects.get().name == "Aegis Treatment LLC – OP"
