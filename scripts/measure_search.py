"""Print SQL query count and server time of some search pages and API calls on the current DB.

    .venv/bin/python scripts/measure_search.py [repeats]

Runs the real URL routing, FilterSet, views, templates and serializers through Django's test
client (no network), against whatever DATABASE_URL points at; load the demo directory first.
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from programs import places  # noqa: E402
from programs.models import Program  # noqa: E402

SEARCHES = [
    "/?location=94110",
    "/?location=94110&radius=25&level=residential",
    "/?location=Denver%2C+CO&level=outpatient&payment=medicaid&medication=buprenorphine",
    "/?location=85541&radius=100",
    "/?level=detox&payment=medicaid",
    "/?location=94110&page=2",
    "/api/v1/programs/?page_size=100",
    "/api/v1/programs/?location=94110&radius=100&page_size=100",
    "/api/v1/programs/?location=94110&radius=25&level=residential&payment=medicaid",
    "/api/v1/terms/",
]


def main(repeats: int) -> None:
    places.warm_up()  # as finder/wsgi.py does before serving
    settings.API_ANON_RATE = "1000000/min"  # measuring, not throttling
    client = Client(HTTP_HOST="localhost")
    vendor = connection.vendor
    print(
        f"{Program.objects.published().count()} published programs on {vendor}; {repeats} runs each"
    )
    print(f"{'search':<84} {'results':>9} {'queries':>7} {'p50 ms':>7} {'max ms':>7}")
    for url in [*SEARCHES, Program.objects.published().first().get_absolute_url()]:
        client.get(url)  # warm caches (the ZIP gazetteer, templates)
        timings = []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results = _results(response)
        print(
            f"{url:<84} {results:>9} {len(queries):>7} "
            f"{statistics.median(timings):>7.1f} {max(timings):>7.1f}"
        )


def _results(response) -> str:
    """How many programs the page shows (the API: on this page, of how many)."""
    if response["Content-Type"] == "application/json":
        body = response.json()
        return f"{len(body['results'])}/{body['count']}" if "results" in body else "-"
    found = re.search(r"(\d+) programs? (within|match)", response.content.decode())
    return found.group(1) if found else "-"


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
