"""Print rows/second and peak memory of importing a file, then roll everything back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/finder_imports \\
        .venv/bin/python scripts/measure_import.py \\
        ../../shared/data/samhsa/facilities_12_states.csv samhsa-locator

Measures a first import (every row created) and a re-import of the same file (every row
unchanged) inside one transaction, then a traced first import for Python's peak memory
(tracemalloc; slower, so timed separately). The database is left as it was.
"""

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from programs.importers.sync import import_file  # noqa: E402


class Rollback(Exception):
    pass


def main(path: Path, format: str) -> None:
    data = path.read_bytes()
    print(f"{path.name} ({len(data) / 2**20:.1f} MB) as {format} on {connection.vendor}")
    try:
        with transaction.atomic():
            for label in ("first import", "re-import"):
                start = time.perf_counter()
                result = import_file(data, format=format)
                seconds = time.perf_counter() - start
                print(
                    f"  {label}: {result.rows} rows in {seconds:.2f} s = "
                    f"{result.rows / seconds:,.0f} rows/s ({result.created} created, "
                    f"{result.updated} updated, {result.unchanged} unchanged, "
                    f"{len(result.rejected)} rejected, {len(result.unmapped)} unmapped)"
                )
            raise Rollback
    except Rollback:
        pass
    try:
        with transaction.atomic():
            tracemalloc.start()
            import_file(data, format=format)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            raise Rollback
    except Rollback:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak Python memory of an import (tracemalloc): {peak / 2**20:.1f} MB")
    print(f"  peak resident memory of this process: {rss:.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2])
