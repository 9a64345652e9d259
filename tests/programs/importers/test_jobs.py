"""Admin imports run as background jobs: progress, outcome, the upload's end, and dying safely."""

import io
import json
import logging
import signal
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DataError
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from programs.importers import jobs
from programs.models import ImportJob, PendingImport, Program
from tests.factories import ProgramFactory
from tests.programs.importers.conftest import locator_csv
from tests.programs.importers.test_admin_import import GOOD, _staff
from tests.programs.importers.test_formats import _our_service

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:programs_program_import")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MANY = locator_csv(
    *(f"Clinic {n},,{n} Main St,,Boston,MA,02134,,,,,42.35,-71.13" for n in range(600))
)


@pytest.fixture
def importer(client):
    client.user = _staff("import_programs")
    client.force_login(client.user)
    return client


def _upload(client, data: bytes, format="samhsa-locator", **options):
    upload = SimpleUploadedFile("listings.csv", data)
    return client.post(IMPORT, {"file": upload, "format": format, "encoding": ""}, **options)


def _pending(user, data: bytes = GOOD, format="samhsa-locator") -> PendingImport:
    return PendingImport.objects.create(user=user, format=format, filename="f.csv", data=data)


def test_progress_is_written_as_the_rows_are_checked(importer):
    with mock.patch.object(jobs, "_progress", wraps=jobs._progress) as progress:
        job = jobs.start(user=importer.user, pending=_pending(importer.user, MANY), dry_run=True)

    job_id = job.pk
    assert [c.args for c in progress.call_args_list] == [
        (job_id, 0, 600),
        (job_id, 250, 600),
        (job_id, 500, 600),
        (job_id, 600, 600),
    ]
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("succeeded", 600, 600)
    assert job.summary["created"] == 600


def test_a_running_job_shows_its_progress_and_refreshes_itself(importer):
    job = ImportJob.objects.create(
        user=importer.user, dry_run=False, format="samhsa-locator", filename="big.csv"
    )
    ImportJob.objects.filter(pk=job.pk).update(status="running", rows_done=12500, rows_total=20000)

    page = importer.get(IMPORT, {"job": job.pk}).content.decode()

    assert "Checked 12,500 of 20,000 rows" in page
    assert '<progress id="job-progress" max="20000" value="12500">' in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_a_finished_job_stops_refreshing(importer):
    response = _upload(importer, GOOD, follow=True)

    assert response.context["job"].status == "succeeded"
    assert 'http-equiv="refresh"' not in response.content.decode()


def test_a_dry_run_keeps_the_upload_for_the_real_run(importer):
    _upload(importer, GOOD)

    job = ImportJob.objects.get()
    assert (job.status, job.dry_run) == ("succeeded", True)
    assert PendingImport.objects.filter(pk=job.pending_id).exists()


def test_a_job_that_fails_mid_import_leaves_the_directory_unchanged_and_says_why(importer):
    ProgramFactory(name="Existing")
    pending = _pending(importer.user, MANY)
    links = Program.terms.through.objects

    # The listings are written, then linking their terms fails.
    with mock.patch.object(links, "bulk_create", side_effect=RuntimeError("disk full")):
        job = jobs.start(user=importer.user, pending=pending, dry_run=False)

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error.startswith("The import stopped on an unexpected error (RuntimeError)")
    assert "Nothing was written" in job.error
    assert list(Program.objects.values_list("name", flat=True)) == ["Existing"]
    assert not PendingImport.objects.exists()
    assert job.error in importer.get(IMPORT, {"job": job.pk}).content.decode().replace(
        "&#x27;", "'"
    )


def test_a_write_the_database_refuses_fails_the_job_with_the_reason(importer):
    refused = DataError("value too long for type character varying(100)")

    with mock.patch("programs.services.save_import", side_effect=refused):
        job = jobs.start(user=importer.user, pending=_pending(importer.user), dry_run=False)

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == (
        "The database refused the import (DataError: value too long for type character "
        "varying(100)). Nothing was written."
    )
    assert not Program.objects.exists()
    assert not PendingImport.objects.exists()


def test_a_job_whose_worker_died_is_marked_failed_when_looked_at(importer):
    pending = _pending(importer.user)
    job = ImportJob.objects.create(
        user=importer.user, pending=pending, dry_run=False, format="samhsa-locator", filename="f"
    )
    died = job.updated - jobs.STALE_AFTER - timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(status="running", rows_done=250, updated=died)

    page = importer.get(IMPORT, {"job": job.pk}).content.decode()

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error.startswith("This job stopped without finishing")
    assert "stopped without finishing" in page and 'http-equiv="refresh"' not in page
    assert not PendingImport.objects.exists()


def test_a_running_job_that_reported_recently_is_left_running(importer):
    job = ImportJob.objects.create(
        user=importer.user, dry_run=True, format="samhsa-locator", filename="f"
    )
    ImportJob.objects.filter(pk=job.pk).update(status="running")

    importer.get(IMPORT, {"job": job.pk})

    assert ImportJob.objects.get().status == "running"


def test_a_job_says_when_no_worker_has_taken_it(importer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = _upload(importer, GOOD, follow=True).context["job"]
    assert (
        "Is the background worker running?"
        not in importer.get(IMPORT, {"job": job.pk}).content.decode()
    )

    ImportJob.objects.filter(pk=job.pk).update(created=job.created - timedelta(minutes=1))
    page = importer.get(IMPORT, {"job": job.pk}).content.decode()

    assert "Waiting for the worker" in page and 'http-equiv="refresh"' in page
    assert "Is the background worker running? Start it with: manage.py db_worker" in page


def test_junk_text_in_a_rejected_row_is_stored_in_the_summary(importer):
    data = json.dumps([_our_service(name="Pe\x00ak \ud800")]).encode()

    job = jobs.start(
        user=importer.user, pending=_pending(importer.user, data, "hsds"), dry_run=True
    )

    job.refresh_from_db()
    assert job.summary["rejected"][0]["name"] == "Pe\ufffdak \ufffd"


def test_the_job_speaks_the_language_of_who_started_it(importer):
    with (
        mock.patch("programs.importers.jobs.import_file", side_effect=RuntimeError),
        translation.override("es"),  # the staff member's request was in Spanish
    ):
        job = jobs.start(user=importer.user, pending=_pending(importer.user), dry_run=True)

    job.refresh_from_db()
    assert job.language == "es"
    assert job.error.startswith("La importación se detuvo por un error inesperado (RuntimeError)")


@pytest.fixture
def worker_command():
    """Run `manage.py db_worker --batch` and put back what it changes in the test process."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    before = [(log.level, list(log.handlers)) for log in loggers]

    def run():
        # Its check for stale connections would close the one holding the test's transaction.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO()
            )

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)
    for log, (level, log_handlers) in zip(loggers, before, strict=True):
        log.setLevel(level)
        log.handlers[:] = log_handlers


def test_the_database_queue_and_its_worker_run_an_import(importer, settings, worker_command):
    settings.TASKS = DATABASE_TASKS
    job = _upload(importer, GOOD, follow=True).context["job"]
    assert job.status == "queued" and not Program.objects.exists()
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.status) == ("programs.importers.jobs.run_import_job", "READY")

    worker_command()  # the dry run

    job.refresh_from_db()
    assert (job.status, job.summary["created"], job.task_id) == ("succeeded", 1, str(queued.id))
    importer.post(IMPORT, {"confirm": "1", "pending": job.pending_id})
    worker_command()  # the import

    real = ImportJob.objects.get(dry_run=False)
    assert (real.status, real.summary["created"]) == ("succeeded", 1)
    assert Program.objects.get().name == "Harbor House"
    assert not PendingImport.objects.exists()
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 2
