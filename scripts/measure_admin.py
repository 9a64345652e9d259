"""Print the query count and server time of the admin program list with 5,000 programs.

    .venv/bin/python scripts/measure_admin.py [programs] [repeats]

Builds a throwaway test database next to the one DATABASE_URL names (test_<name> on
PostgreSQL, in memory on SQLite), fills it, measures a few changelist pages and the admin
index (the dashboard) through Django's test client, then drops it.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from programs import services  # noqa: E402
from programs.models import Program, Term  # noqa: E402

# (admin URL name, query string): reversed, so a custom ADMIN_URL_PATH is followed.
PAGES = [
    ("admin:index", ""),
    ("admin:programs_program_changelist", ""),
    ("admin:programs_program_changelist", "?verified=stale"),
    ("admin:programs_program_changelist", "?facet-level=residential&facet-payment=medicaid"),
    ("admin:programs_program_changelist", "?q=recovery"),
    ("admin:programs_program_changelist", "?status__exact=draft&state__exact=CA"),
    ("admin:reports_problemreport_changelist", ""),
]


def fill(count: int) -> None:
    rng = random.Random(7)
    today = timezone.localdate()
    states = ["CA", "NY", "TX", "CO", "AZ", "FL"]
    programs = Program.objects.bulk_create(
        Program(
            name=f"Recovery Center {n}",
            slug=f"recovery-center-{n}",
            city="Springfield",
            state=rng.choice(states),
            zip_code="94110",
            latitude=37.75 + rng.random(),
            longitude=-122.4 + rng.random(),
            status=rng.choice(["published", "published", "draft", "archived"]),
            accepting=rng.choice(["yes", "no", "waitlist", "unknown"]),
            last_verified=None if n % 7 == 0 else today - timezone.timedelta(rng.randrange(800)),
        )
        for n in range(count)
    )
    terms = list(Term.objects.values_list("pk", flat=True))
    through = Program.terms.through
    through.objects.bulk_create(
        through(program_id=p.pk, term_id=t) for p in programs for t in rng.sample(terms, 6)
    )


def main(count: int, repeats: int) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        fill(count)
        user = get_user_model().objects.create_superuser("measure", "m@example.org", "x")
        client = Client()
        client.force_login(user)
        print(f"{Program.objects.count()} programs on {connection.vendor}; {repeats} runs each")
        print(f"{'page':<76} {'queries':>7} {'sql ms':>7} {'p50 ms':>7} {'max ms':>7}")
        for name, query in PAGES:
            url = reverse(name) + query
            client.get(url)  # warm templates
            timings, sql = [], []
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            print(
                f"{url:<76} {len(queries):>7} {statistics.median(sql):>7.0f} "
                f"{statistics.median(timings):>7.0f} {max(timings):>7.0f}"
            )
        # The bulk actions on one page of 100 and on every listing ("select all"), history
        # records included.
        page = Program.objects.filter(
            pk__in=list(Program.objects.values_list("pk", flat=True)[:100])
        )
        for label, write in [
            ("mark one page (100) verified", lambda: services.mark_verified(
                programs=page, method="phone", user=user)),
            ("unpublish one page (100)", lambda: services.set_status(
                programs=page, status="draft", user=user)),
            ("mark every program verified", lambda: services.mark_verified(
                programs=Program.objects.all(), method="phone", user=user)),
            ("archive every program", lambda: services.set_status(
                programs=Program.objects.all(), status="archived", user=user)),
        ]:  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                write()
                elapsed = (time.perf_counter() - start) * 1000
            print(f"{label:<76} {len(queries):>7} {'':>7} {elapsed:>7.0f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 5000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 5,
    )
