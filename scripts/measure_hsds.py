"""Print the query count and server time of HSDS API pages, and the time of a full HSDS export.

    .venv/bin/python scripts/measure_hsds.py [repeats]

Runs the real URL routing and views through Django's test client (no network) against whatever
DATABASE_URL points at; load the demo directory first. The export is written to a temporary
folder and removed.
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from programs.hsds import records  # noqa: E402
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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
