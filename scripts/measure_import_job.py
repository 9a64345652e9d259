"""Import a 20,000-row locator file from admin as a background job, then kill one; print figures.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE finder_jobs_measure"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/finder_jobs_measure \\
        .venv/bin/python scripts/measure_import_job.py [rows]

Use a scratch database: it is migrated, and the listings imported stay in it. A real worker
(`manage.py db_worker`) runs in a subprocess; staff use admin through Django's test client.
1. Upload the file (scripts/make_locator_file.py): the request's time, then the dry-run job's
   progress as its page shows it (read every 2 s, as the page's refresh does), time, summary.
2. "Import for real": the same for the import job.
3. Upload a newer file (every listing changed), confirm, and kill the worker (SIGKILL) while the
   job writes: what is left behind (the listings, the job's row, the upload) and what the job's
   page says once the job has made no progress for jobs.STALE_AFTER (its clock moved back).
4. The same, stopping the worker with two SIGTERMs (Ctrl+C twice) while it checks the rows.
"""

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from make_locator_file import locator_csv  # noqa: E402

from programs.importers import jobs  # noqa: E402
from programs.models import ImportJob, PendingImport, Program  # noqa: E402

IMPORT = reverse("admin:programs_program_import")
SHOWN = re.compile(r"Checked ([\d,]+) of ([\d,]+) rows|Reading the file|Every row is checked")


def main(rows: int) -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (see the docstring).")
    call_command("migrate", verbosity=0)
    setup_test_environment()  # the test client's host is allowed
    staff, _ = get_user_model().objects.get_or_create(
        username="measure-import-job", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(staff)
    first, newer = locator_csv(rows), locator_csv(rows, seed=2027)
    print(f"{rows:,}-row locator file, {len(first) / 2**20:.1f} MB, on {connection.vendor}")
    print(f"listings before: {Program.objects.count():,}")

    worker = start_worker()
    try:
        print("\n1. Upload and dry run")
        job = upload(client, first)
        follow(client, job)
        print("\n2. Import for real")
        follow(client, confirm(client, job))
        print(f"listings now: {Program.objects.count():,}")
        print("\n3. A newer file; the worker killed (SIGKILL) while the job writes")
        before = fingerprint()
        job = confirm(client, follow(client, upload(client, newer), quiet=True))
        wait_for(job, lambda j: j.rows_total and j.rows_done == j.rows_total, "checked")
        time.sleep(1)  # well inside the write
        worker.kill()
        worker.wait()
        left_behind(client, job, before)
        print("\n4. The same, the worker stopped with two SIGTERMs while it checks the rows")
        worker = start_worker()
        job = confirm(client, follow(client, upload(client, newer), quiet=True))
        wait_for(job, lambda j: j.rows_done >= rows // 4, "a quarter checked")
        worker.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        left_behind(client, job, before, stale=False)
    finally:
        worker.kill()


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def upload(client: Client, data: bytes) -> ImportJob:
    started = time.perf_counter()
    file = SimpleUploadedFile("locator.csv", data)
    response = client.post(IMPORT, {"file": file, "format": "samhsa-locator", "encoding": ""})
    print(f"upload request: {time.perf_counter() - started:.2f} s, HTTP {response.status_code}")
    return ImportJob.objects.latest("pk")


def confirm(client: Client, dry_run: ImportJob) -> ImportJob:
    started = time.perf_counter()
    response = client.post(IMPORT, {"confirm": "1", "pending": dry_run.pending_id})
    print(f"confirm request: {time.perf_counter() - started:.2f} s, HTTP {response.status_code}")
    return ImportJob.objects.latest("pk")


def follow(client: Client, job: ImportJob, *, quiet: bool = False) -> ImportJob:
    """Read the job's page every 2 s until the job ends; print what it shows as it changes."""
    started, last = time.perf_counter(), None
    while True:
        page = client.get(IMPORT, {"job": job.pk}).content.decode()
        job.refresh_from_db()
        shown = shown_progress(page, job)
        if shown != last and not quiet:
            print(f"  {time.perf_counter() - started:6.1f} s  {shown}")
            last = shown
        if job.is_finished:
            break
        time.sleep(jobs_page_refresh())
    took = (job.finished - job.created).total_seconds()
    if job.status == ImportJob.Status.FAILED:
        print(f"job failed after {took:.1f} s: {job.error}")
    elif not quiet:
        s = job.summary
        print(
            f"job done in {took:.1f} s (queued to finished): {s['rows']:,} rows, "
            f"{s['created']:,} created, {s['updated']:,} updated, {s['unchanged']:,} unchanged, "
            f"{s['rejected_count']} rejected (e.g. line {s['rejected'][0]['line']}: "
            f"{s['rejected'][0]['reason']})"
            if s["rejected"]
            else f"job done in {took:.1f} s: {s}"
        )
    return job


def shown_progress(page: str, job: ImportJob) -> str:
    status = re.search(r'<span id="job-status">(.*?)</span>', page).group(1)
    match = SHOWN.search(page)
    return f"{status}: {match.group(0)}" if match else status


def jobs_page_refresh() -> int:
    from programs.admin_import import REFRESH_SECONDS

    return REFRESH_SECONDS


def wait_for(job: ImportJob, condition, what: str) -> None:
    started = time.perf_counter()
    while True:
        job.refresh_from_db()
        if job.status == ImportJob.Status.RUNNING and condition(job):
            print(f"  {what} after {time.perf_counter() - started:.1f} s ({job.rows_done:,} rows)")
            return
        if job.is_finished:
            sys.exit(f"the job ended before it was {what}: {job.status}")
        time.sleep(0.1)


def fingerprint() -> str:
    rows = Program.objects.order_by("pk").values_list("pk", "phone", "latitude", "updated")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:16]


def left_behind(client: Client, job: ImportJob, before: str, *, stale: bool = True) -> None:
    job.refresh_from_db()
    task = DBTaskResult.objects.get(id=job.task_id)
    same = fingerprint() == before
    print(f"listings: {Program.objects.count():,}, unchanged by the job: {same} ({fingerprint()})")
    print(
        f"job row: {job.status}, {job.rows_done:,}/{job.rows_total:,} rows; "
        f"queue row: {task.status}"
    )
    print(f"upload kept: {PendingImport.objects.filter(pk=job.pending_id).exists()}")
    if stale:
        ImportJob.objects.filter(pk=job.pk).update(updated=F("updated") - jobs.STALE_AFTER)
        page = client.get(IMPORT, {"job": job.pk}).content.decode()
        job.refresh_from_db()
        print(f"after {jobs.STALE_AFTER} without progress, the job page says: {job.status}:")
        print(f"  {job.error!r} (shown: {job.error.split(':')[0] in page})")
        print(f"upload kept: {PendingImport.objects.filter(pk=job.pending_id).exists()}")
    elif job.error:
        print(f"the job says: {job.error!r}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
