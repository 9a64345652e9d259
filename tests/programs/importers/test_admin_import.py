"""Staff import a file from admin: upload, dry-run summary, confirm; only with the permission."""

import io
from unittest import mock

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from programs.models import ImportJob, PendingImport, Program
from tests.factories import ProgramFactory
from tests.programs.importers.conftest import locator_csv

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:programs_program_import")
CHANGELIST = reverse("admin:programs_program_changelist")
GOOD = locator_csv(
    "Harbor House,,1 Main St,,Boston,MA,02134,,,,,42.35,-71.13",
    "No Name Here,,2 Main St,,Boston,MA,2134X,,,,,42.35,-71.13",
)


def _staff(*permissions: str) -> User:
    user = User.objects.create_user("curator", password="x", is_staff=True)
    perms = Permission.objects.filter(codename__in=["view_program", "change_program", *permissions])
    user.user_permissions.set(perms)
    return user


@pytest.fixture
def importer(client):
    client.force_login(_staff("import_programs"))
    return client


def _upload(client, data: bytes, format="samhsa-locator", name="listings.csv", **options):
    upload = SimpleUploadedFile(name, data)
    return client.post(IMPORT, {"file": upload, "format": format, "encoding": ""}, **options)


def test_staff_without_the_permission_cannot_import_or_see_the_button(client):
    client.force_login(_staff())

    assert client.get(IMPORT).status_code == 403
    assert _upload(client, GOOD).status_code == 403
    assert IMPORT not in client.get(CHANGELIST).content.decode()
    assert not Program.objects.exists()


def test_import_button_is_on_the_program_list_for_importers(importer):
    assert IMPORT in importer.get(CHANGELIST).content.decode()


def test_upload_shows_the_dry_run_summary_and_writes_nothing(importer):
    response = _upload(importer, GOOD, follow=True)

    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary["created"], summary["rejected_count"]) == (1, 1)
    page = response.content.decode()
    assert "bad ZIP code" in page and "Import for real" in page
    assert not Program.objects.exists()


def test_confirming_imports_the_uploaded_file(importer):
    job = _upload(importer, GOOD, follow=True).context["job"]

    response = importer.post(IMPORT, {"confirm": "1", "pending": job.pending_id}, follow=True)

    assert response.context["job"].status == ImportJob.Status.SUCCEEDED
    assert Program.objects.get().name == "Harbor House"
    page = response.content.decode()
    assert "What the import did" in page and "See the listings" in page
    assert not PendingImport.objects.exists()


def test_confirming_twice_imports_once(importer, settings):
    job = _upload(importer, GOOD, follow=True).context["job"]
    # The first click's job is still waiting for the worker when the second click arrives.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first = importer.post(IMPORT, {"confirm": "1", "pending": job.pending_id})
    second = importer.post(IMPORT, {"confirm": "1", "pending": job.pending_id})

    assert first["Location"] == second["Location"]
    assert ImportJob.objects.filter(dry_run=False).count() == 1


def test_someone_elses_upload_cannot_be_confirmed(importer, client):
    other = User.objects.create_user("other", is_staff=True)
    pending = PendingImport.objects.create(
        user=other, format="samhsa-locator", filename="x.csv", data=GOOD
    )

    response = importer.post(IMPORT, {"confirm": "1", "pending": pending.pk}, follow=True)

    assert "expired" in response.content.decode()
    assert not Program.objects.exists()


def test_someone_elses_job_is_not_shown(importer):
    other = User.objects.create_user("other", is_staff=True)
    job = ImportJob.objects.create(user=other, dry_run=True, format="hsds", filename="theirs.json")

    response = importer.get(IMPORT, {"job": job.pk}, follow=True)

    assert "not found" in response.content.decode()
    assert "theirs.json" not in response.content.decode()


def _truncated_xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()[:300]


@pytest.mark.parametrize(
    ("data", "format"),
    [
        (bytes(range(256)) * 50, "samhsa-locator"),  # binary
        (_truncated_xlsx(), "samhsa-locator"),
        (b'[{"name": "a"}]', "samhsa-locator"),  # JSON as CSV
        (b"name1,city\nA,B\n", "samhsa-api"),  # CSV as JSON
        (b"\x89PNG\r\n\x1a\n" + bytes(500), "hsds"),
        (b"PK\x03\x04" + bytes(100), "hsds"),  # a broken zip
    ],
    ids=["binary", "truncated-xlsx", "json-as-csv", "csv-as-json", "png", "broken-zip"],
)
def test_garbage_uploads_get_a_clear_message_and_change_nothing(importer, data, format):
    ProgramFactory(name="Existing")

    response = _upload(importer, data, format, follow=True)

    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert job.error.startswith("This file could not be imported") and job.error in (
        response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    )
    assert list(Program.objects.values_list("name", flat=True)) == ["Existing"]
    assert not PendingImport.objects.exists()


def test_an_empty_upload_is_refused_by_the_form(importer):
    response = _upload(importer, b"", "otp-directory")

    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_a_huge_upload_is_refused_with_its_size(importer):
    with mock.patch("programs.admin_import.MAX_UPLOAD_BYTES", 10):
        response = _upload(importer, GOOD)

    assert "the largest accepted is" in str(response.context["form"].errors["file"])
    assert not PendingImport.objects.exists()


def test_approximate_locations_can_be_filtered_in_the_program_list(admin_client):
    ProgramFactory(name="Exact")
    ProgramFactory(name="Near its ZIP", location_approximate=True)

    response = admin_client.get(CHANGELIST, {"location_approximate__exact": "1"})

    assert [p.name for p in response.context["cl"].result_list] == ["Near its ZIP"]
