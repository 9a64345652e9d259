"""Print how long `send_reminders` takes on a synthetic directory (5,000 listings by default).

    .venv/bin/python scripts/measure_reminders.py [listings]

Builds the directory in a fresh in-memory SQLite database (or, with DATABASE_URL set, in the
test database pytest-django would use: test_<name>, created and dropped here), emails through
Django's locmem backend, and prints the time, the emails and the queries.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

from benchmarks import providers as benchmark  # noqa: E402
from providers import services  # noqa: E402


def main(n: int) -> None:
    setup_test_environment()  # locmem email backend
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        benchmark.build(n)
        built = time.perf_counter() - started
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            emails, programs = services.send_reminders(base_url="https://finder.example.org")
            took = time.perf_counter() - started
        print(f"database: {connection.vendor}; listings: {n} (built in {built:.1f} s)")
        print(
            f"send_reminders: {took:.2f} s, {emails} emails about {programs} listings, "
            f"{len(queries)} queries; outbox {len(mail.outbox)}"
        )
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
