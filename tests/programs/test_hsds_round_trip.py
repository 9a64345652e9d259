import io
from datetime import date

import pytest
from django.core.management import call_command

from programs.hsds import records
from programs.importers.sync import import_file
from programs.models import Organization, Program
from tests.factories import OrganizationFactory, ProgramFactory

LISTING_FIELDS = [
    "name", "description", "street", "street2", "city", "state", "zip_code", "latitude",
    "longitude", "location_approximate", "phone_extension", "website", "hours", "accepting",
    "wait_weeks", "accepting_updated", "beds_available", "beds_updated", "last_verified",
]  # fmt: skip


def _listing(program: Program) -> dict:
    """What a searcher sees on the listing and its card, which must survive export and import."""
    return {
        **{name: getattr(program, name) for name in LISTING_FIELDS},
        # HSDS gives every service an organization: one without comes back run by its namesake.
        "organization": program.organization.name if program.organization else program.name,
        "organization website": program.organization.website if program.organization else "",
        "phones": (str(program.phone), str(program.intake_phone)),
        "terms": sorted(program.terms.values_list("code", flat=True)),
    }


@pytest.fixture
def directory(db):
    bay = OrganizationFactory(name="Bay Recovery", website="https://bay.example/")
    programs = [
        ProgramFactory(
            name="Mission Residential",
            organization=bay,
            description="Live-in treatment for adults.",
            street2="Suite 2",
            phone="+14155550100",
            phone_extension="204",
            intake_phone="+14155550199",
            website="https://bay.example/mission",
            hours="Mon–Fri 9am–5pm\nIntake by phone 24/7",
            accepting=Program.Accepting.WAITLIST,
            wait_weeks=3,
            accepting_updated=date(2026, 11, 20),
            beds_available=0,  # none open today is news, not an unknown
            beds_updated=date(2026, 11, 21),
            last_verified=date(2026, 10, 5),
            terms=["residential", "detox-hospital", "medicaid", "spanish", "asl"],
        ),
        ProgramFactory(
            name="Oakland Outpatient",
            organization=bay,  # its website is the organization's, not its own
            city="Oakland",
            zip_code="94612",
            latitude=37.8044,
            longitude=-122.2712,
            location_approximate=True,
            accepting=Program.Accepting.YES,
            accepting_updated=date(2026, 11, 2),
            beds_available=12,
            beds_updated=date(2026, 11, 2),
            terms=["outpatient-intensive", "buprenorphine", "sliding-fee"],
        ),
        ProgramFactory(
            name="Solo Clinic",
            organization=None,
            phone="",
            accepting=Program.Accepting.NO,
            last_verified=None,
            terms=["methadone"],
        ),
    ]
    ProgramFactory(name="Draft Place", status=Program.Status.DRAFT)
    return programs


def _round_trip(tmp_path, form: str, path: str) -> None:
    call_command("export_hsds", str(tmp_path), format=form, stdout=io.StringIO())
    Program.objects.all().delete()
    Organization.objects.all().delete()
    call_command("import_programs", str(tmp_path / path), format="hsds", stdout=io.StringIO())


@pytest.mark.parametrize("form, path", [("json", "json/services.json"), ("csv", "csv")])
def test_an_exported_directory_imports_back_as_the_same_listings(directory, tmp_path, form, path):
    expected = {records.service_id(p): _listing(p) for p in directory}
    _round_trip(tmp_path, form, path)

    imported = Program.objects.filter(source="hsds").select_related("organization")
    assert {p.external_id: _listing(p) for p in imported} == expected
    assert set(imported.values_list("status", flat=True)) == {Program.Status.PUBLISHED}
    assert Program.objects.count() == 3  # the draft stayed home


@pytest.mark.parametrize("form, path", [("json", "json/services.json"), ("csv", "csv")])
def test_the_organization_website_stays_on_the_organization(directory, tmp_path, form, path):
    _round_trip(tmp_path, form, path)

    oakland = Program.objects.get(name="Oakland Outpatient")
    assert oakland.website == ""
    assert oakland.organization.website == "https://bay.example/"
    assert Organization.objects.filter(name="Bay Recovery").count() == 1


def test_a_second_import_of_the_same_export_changes_nothing(directory, tmp_path):
    _round_trip(tmp_path, "csv", "csv")
    package = {path.name: path.read_bytes() for path in (tmp_path / "csv").iterdir()}

    result = import_file(package, format="hsds")

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_availability_a_provider_updated_since_the_last_import_is_kept(directory, tmp_path):
    _round_trip(tmp_path, "json", "json/services.json")
    mission = Program.objects.get(name="Mission Residential")
    Program.objects.filter(pk=mission.pk).update(accepting=Program.Accepting.YES, wait_weeks=None)

    call_command(
        "import_programs", str(tmp_path / "json/services.json"), format="hsds", stdout=io.StringIO()
    )

    mission.refresh_from_db()
    assert (mission.accepting, mission.wait_weeks) == (Program.Accepting.YES, None)
