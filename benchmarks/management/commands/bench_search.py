"""Search at scale: fill a database with N synthetic programs, time the fixed mix, print figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/finder_bench \
        .venv/bin/python manage.py bench_search --sizes 10000 100000 1000000

Each size gets its own database (DATABASE_URL's name + "_10k", "_100k", "_1m"), created and
migrated if missing, and loaded unless it already holds exactly that many synthetic programs.
The mix goes through the real URLconf, middleware, FilterSet, views, templates and serializers
(Django's test client, no network). Per search kind: server time p50/p95/p99, SQL queries, and
the bare SQL time: the same statements the page ran, re-run with a cursor in the same loop.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks import directory as benchmark
from programs import places
from programs.models import Program


def size_label(n: int) -> str:
    for unit, suffix in [(1_000_000, "m"), (1_000, "k")]:
        if n >= unit and n % unit == 0:
            return f"{n // unit}{suffix}"
    return str(n)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Benchmark the search page and API on synthetic directories of N programs."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
        parser.add_argument("--repeats", type=int, default=5, help="runs of each search URL")
        parser.add_argument("--reload", action="store_true", help="load even if already loaded")
        parser.add_argument("--no-api", action="store_true", help="the HTML page only")
        parser.add_argument("--here", action="store_true", help="use DATABASE_URL as it is")
        parser.add_argument("--json", help="(internal) write one size's figures to this file")
        parser.add_argument("--print-urls", action="store_true", help="print the mix's page URLs")
        parser.add_argument("--print-api", action="store_true", help="with --print-urls: API")
        parser.add_argument(
            "--explain",
            action="store_true",
            help="print EXPLAIN (ANALYZE, BUFFERS) of each kind's first page's main statements",
        )

    def handle(self, *args, **options):
        if options["print_urls"]:
            for _, params in benchmark.search_mix():
                self.stdout.write(benchmark.search_url(params, api=options["print_api"]))
            return
        if options["here"] or options["json"]:
            figures = self.run_one(options["sizes"][0], options)
            if options["json"]:
                with open(options["json"], "w") as file:
                    json.dump(figures, file)
            return
        if connection.vendor != "postgresql":
            raise CommandError("Set DATABASE_URL to a PostgreSQL server (or use --here).")
        # The parent only creates databases; it never needs DATABASE_URL's own to exist.
        results = {}
        for n in options["sizes"]:
            results[n] = self.run_in_database(n, options)
        self.print_growth(results)

    def run_in_database(self, n: int, options) -> dict:
        """Run one size in a child process pointed at its own database."""
        url = urlsplit(os.environ["DATABASE_URL"])
        name = f"{url.path.lstrip('/')}_{size_label(n)}"
        self.create_database(name)
        env = {**os.environ, "DATABASE_URL": urlunsplit(url._replace(path="/" + name))}
        out = f"/tmp/bench_search_{name}.json"
        command = [sys.executable, sys.argv[0], "bench_search", "--sizes", str(n), "--json", out]
        command += ["--repeats", str(options["repeats"])]
        command += ["--reload"] * options["reload"] + ["--no-api"] * options["no_api"]
        command += ["--explain"] * options["explain"]
        subprocess.run(command, env=env, check=True)
        with open(out) as file:
            return json.load(file)

    def create_database(self, name: str) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{name}"')

    def run_one(self, n: int, options) -> dict:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        loaded = Program.objects.filter(source=benchmark.SOURCE).count()
        if options["reload"] or loaded != n or Program.objects.count() != n:
            self.stdout.write(
                f"Loading {n:,} synthetic programs into {connection.settings_dict['NAME']}"
            )
            start = time.perf_counter()
            benchmark.load(n, progress=self.stdout.write)
            self.stdout.write(f"  loaded in {time.perf_counter() - start:.0f} s")
        links = Program.terms.through.objects.count()
        self.stdout.write(
            f"\n{n:,} programs, {links:,} term links, {connection.vendor}; "
            f"{options['repeats']} runs of each URL; load average {os.getloadavg()[0]:.2f}"
        )
        settings.DEBUG = False  # as in production: no query log, no template debug info
        places.warm_up()  # as finder/wsgi.py does before serving
        settings.API_ANON_RATE = "100000000/min"  # measuring, not throttling
        # The search itself, every time: not its page from the cache (finder/page_cache.py).
        settings.SEARCH_CACHE_SECONDS = 0
        client = Client(HTTP_HOST="localhost")
        if options["explain"]:
            self.explain(client)
        figures = {}
        surfaces = [("page", False)] + ([] if options["no_api"] else [("api", True)])
        header = (
            f"{'search':<26} {'results':>8} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'sql main':>8} {'sql all':>8} {'ratio':>6}"
        )
        self.stdout.write(header)
        for surface, api in surfaces:
            for kind in benchmark.SEARCH_KINDS:
                urls = [
                    benchmark.search_url(params, api)
                    for k, params in benchmark.search_mix()
                    if k == kind
                ]
                row = self.time_kind(client, urls, options["repeats"])
                figures[f"{surface} {kind}"] = row
                self.stdout.write(
                    f"{surface + ' ' + kind:<26} {row['results']:>8} {row['queries']:>7} "
                    f"{row['p50']:>7.1f} {row['p95']:>7.1f} {row['p99']:>7.1f} "
                    f"{row['sql_main']:>8.1f} {row['sql_all']:>8.1f} {row['ratio']:>6.2f}"
                )
        return figures

    def explain(self, client) -> None:
        """The plans of the statements that do the searching (the page's ids and count, the
        counts beside the filters), for the first search of each kind."""
        for kind in benchmark.SEARCH_KINDS:
            params = next(params for k, params in benchmark.search_mix() if k == kind)
            url = benchmark.search_url(params)
            client.get(url)  # warm
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            statements = [q["sql"] for q in captured.captured_queries]
            main = _main_query(statements)
            counts = [sql for sql in statements if sql.lstrip().startswith("WITH m AS")]
            for label, sql in [("main", main), *(("facet counts", sql) for sql in counts)]:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                self.stdout.write(f"\n== {kind} {label}: {url}\n{sql}\n{plan}")

    def time_kind(self, client, urls: list[str], repeats: int) -> dict:
        server, sql_main, sql_all, query_counts, results = [], [], [], set(), []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)  # also warms this URL's code paths
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            query_counts.add(len(captured))
            results.append(_result_count(response))
            statements = [q["sql"] for q in captured.captured_queries]
            main = _main_query(statements)
            for _ in range(repeats):
                start = time.perf_counter()
                client.get(url)
                server.append((time.perf_counter() - start) * 1000)
                sql_all.append(_bare(statements))
                sql_main.append(_bare([main]))
        p50_sql = statistics.median(sql_all)
        return {
            "results": f"{min(results)}-{max(results)}",
            "queries": "/".join(map(str, sorted(query_counts))),
            "p50": statistics.median(server),
            "p95": percentile(server, 95),
            "p99": percentile(server, 99),
            "sql_main": statistics.median(sql_main),
            "sql_all": p50_sql,
            "ratio": statistics.median(server) / p50_sql if p50_sql else 0.0,
        }

    def print_growth(self, results: dict[int, dict]) -> None:
        sizes = sorted(results)
        self.stdout.write("\nHow p50 / p95 server time (ms) grows with N:")
        self.stdout.write(f"{'search':<26} " + " ".join(f"{size_label(n):>15}" for n in sizes))
        for key in results[sizes[0]]:
            cells = [f"{results[n][key]['p50']:6.1f} /{results[n][key]['p95']:6.1f}" for n in sizes]
            self.stdout.write(f"{key:<26} " + " ".join(f"{c:>15}" for c in cells))


def _main_query(statements: list[str]) -> str:
    """The statement that selects the page of programs (the biggest one if none says LIMIT).

    It also counts the matches (up to programs.search.COUNT_CAP): that is still the search.
    """
    for sql in statements:
        if (
            'FROM "programs_program"' in sql
            and "LIMIT" in sql
            and not sql.startswith("SELECT COUNT(")
        ):
            return sql
    return max(statements, key=len)


def _bare(statements: list[str]) -> float:
    """Milliseconds to run these statements with a cursor and fetch every row."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            if sql.startswith("DECLARE "):  # .iterator()'s server-side cursor: run its SELECT
                sql = sql.split(" CURSOR WITH HOLD FOR ", 1)[1]
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
    return (time.perf_counter() - start) * 1000


def _result_count(response) -> int:
    if response["Content-Type"] == "application/json":
        return response.json()["count"]
    # "1,000+ programs within ...": a capped count (programs.search.COUNT_CAP) reads as the cap.
    found = re.search(r"([\d,.]+)\+? programs? (within|match)", response.content.decode())
    return int(found.group(1).replace(",", "").replace(".", "")) if found else 0
