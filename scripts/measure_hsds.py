"""Print the query count and server time of HSDS API pages, and the time of a full HSDS export;
or, with `import`, the time to import the same directory as the JSON and as the CSV package.

    .venv/bin/python scripts/measure_hsds.py [repeats]

Runs the real URL routing and views through Django's test client (no network) against whatever
DATABASE_URL points at; load the demo directory first. The export is written to a temporary
folder and removed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hsds_measure \
        .venv/bin/python scripts/measure_hsds.py import 14700

builds a synthetic directory of that many programs (benchmarks/directory.py `load`; 95% are
published, so 14,700 gives about 14k services), exports it with `export_hsds` in both forms, and
imports each into the directory as a first import (every service new): the read alone (parsing,
and nesting the CSV package's tables), the dry run, and the real import. All of it happens in
one transaction that is rolled back, so the database is left as it was; give it a database of
its own all the same (the load empties the programs table while it runs).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from programs.hsds import records  # noqa: E402
from programs.importers import hsds  # noqa: E402
from programs.importers.core import TermCodes  # noqa: E402
from programs.importers.sync import ImportResult, import_file  # noqa: E402
from programs.models import Organization, Program  # noqa: E402


def _urls() -> list[str]:
    last = Program.objects.published().order_by("pk").last()
    organization = Organization.objects.filter(programs=last).first()
    urls = [
        "/hsds/services?per_page=100",
        "/hsds/services?per_page=100&full=true",
        "/hsds/service_at_locations?postcode=94110&proximity=40000&per_page=100",
        "/hsds/organizations?per_page=100",
        "/hsds/taxonomy_terms?per_page=100",
        # An id is found by deriving every candidate's id (uuid5 is one-way): the last pk is
        # the worst case.
        f"/hsds/services/{records.service_id(last)}",
    ]
    if organization:
        urls.append(f"/hsds/organizations/{records.organization_id(organization)}")
    return urls


def main(repeats: int) -> None:
    client = Client(HTTP_HOST="localhost")
    count = Program.objects.published().count()
    print(f"{count} published programs on {connection.vendor}")
    for url in _urls():
        timings = []
        for _ in range(repeats):
            records.hsds_id.cache_clear()  # as a fresh process would
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.content[:200])
        size = response.json().get("size", 1)
        print(
            f"{statistics.median(timings):7.1f} ms  {len(queries.captured_queries):2} queries  "
            f"{size:3} records  {url}"
        )
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        call_command("export_hsds", out, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"export_hsds (json + csv): {time.perf_counter() - start:.1f} s")


class Rollback(Exception):
    pass


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def measure_import(n: int) -> None:
    from benchmarks.directory import load  # the top layer; only this measurement needs it

    try:
        with transaction.atomic(), tempfile.TemporaryDirectory() as out:
            seconds, _ = _timed(lambda: load(n, progress=lambda message: None))
            count = Program.objects.published().count()
            print(
                f"{count} published programs of {n} loaded on {connection.vendor}: {seconds:.1f} s"
            )
            seconds, _ = _timed(
                lambda: call_command("export_hsds", out, stdout=open(os.devnull, "w"))  # noqa: SIM115
            )
            print(f"export_hsds (json + csv): {seconds:.1f} s")
            folder = Path(out) / "csv"
            forms = {
                "json (services.json)": (Path(out) / "json" / "services.json").read_bytes(),
                "csv package (folder)": {p.name: p.read_bytes() for p in folder.iterdir()},
            }
            for label, data in forms.items():
                _measure_form(label, data)
            raise Rollback
    except Rollback:
        pass


def _measure_form(label: str, data) -> None:
    taxonomy, result = TermCodes.load(), ImportResult(format="hsds")
    read = lambda: list(hsds.read(data, encoding=None, taxonomy=taxonomy, result=result))  # noqa: E731
    read_seconds, rows = _timed(read)
    dry_seconds, dry = _timed(lambda: import_file(data, format="hsds", dry_run=True))
    try:
        with transaction.atomic():
            real_seconds, real = _timed(lambda: import_file(data, format="hsds"))
            raise Rollback
    except Rollback:
        pass
    print(
        f"{label}: {len(rows)} services; read {read_seconds:.1f} s, dry run {dry_seconds:.1f} s, "
        f"import {real_seconds:.1f} s ({real.created} created, {len(real.rejected)} rejected)"
    )
    assert dry.created == real.created == len(rows), (dry.created, real.created, len(rows))


if __name__ == "__main__":
    if sys.argv[1:2] == ["import"]:
        measure_import(int(sys.argv[2]) if len(sys.argv) > 2 else 14_700)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
