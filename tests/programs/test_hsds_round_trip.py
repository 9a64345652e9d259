import io

import pytest
from django.core.management import call_command

from programs.hsds import records
from programs.models import Organization, Program
from tests.factories import OrganizationFactory, ProgramFactory


def _listing(program: Program) -> dict:
    """What a searcher relies on, which must survive export and import."""
    return {
        "name": program.name,
        # HSDS gives every service an organization: one without comes back run by its namesake.
        "organization": program.organization.name if program.organization else program.name,
        "address": (program.street, program.street2, program.city, program.state, program.zip_code),
        "coordinates": (program.latitude, program.longitude),
        "phones": (str(program.phone), program.phone_extension, str(program.intake_phone)),
        "website": program.website,
        "terms": sorted(program.terms.values_list("code", flat=True)),
    }


@pytest.fixture
def directory(db):
    bay = OrganizationFactory(name="Bay Recovery")
    programs = [
        ProgramFactory(
            name="Mission Residential",
            organization=bay,
            street2="Suite 2",
            phone="+14155550100",
            phone_extension="204",
            intake_phone="+14155550199",
            website="https://bay.example/mission",
            terms=["residential", "detox-hospital", "medicaid", "spanish", "asl"],
        ),
        ProgramFactory(
            name="Oakland Outpatient",
            organization=bay,
            city="Oakland",
            zip_code="94612",
            latitude=37.8044,
            longitude=-122.2712,
            terms=["outpatient-intensive", "buprenorphine", "sliding-fee"],
        ),
        ProgramFactory(name="Solo Clinic", organization=None, phone="", terms=["methadone"]),
    ]
    ProgramFactory(name="Draft Place", status=Program.Status.DRAFT)
    return programs


@pytest.mark.parametrize("form, path", [("json", "json/services.json"), ("csv", "csv")])
def test_an_exported_directory_imports_back_the_same(directory, tmp_path, form, path):
    expected = {records.service_id(p): _listing(p) for p in directory}
    call_command("export_hsds", str(tmp_path), format=form, stdout=io.StringIO())
    Program.objects.all().delete()
    Organization.objects.all().delete()

    call_command("import_programs", str(tmp_path / path), format="hsds", stdout=io.StringIO())

    imported = Program.objects.filter(source="hsds")
    assert {p.external_id: _listing(p) for p in imported} == expected
    assert set(imported.values_list("status", flat=True)) == {Program.Status.PUBLISHED}
    assert Program.objects.count() == 3  # the draft stayed home
