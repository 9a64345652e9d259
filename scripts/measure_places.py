"""Print what the place index costs to build and hold, and how long resolve() takes per input.

    .venv/bin/python scripts/measure_places.py [repeats]

Build time and memory are measured in a fresh process (the index is built once per process, by
warm_up() in finder/wsgi.py and asgi.py); resolve() times are per call after warm-up, the
median and 95th percentile over `repeats` calls of each input.
"""

import contextlib
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

import zipcodes  # noqa: E402

from programs import gazetteer, places  # noqa: E402

INPUTS = {
    "ZIP": "94110",
    "ZIP+4": "94110-1234",
    "city, state": "Denver, CO",
    "city, full state name": "austin texas",
    "bare name (one place wins)": "Portland",
    "bare name (ambiguous)": "Springfield",
    "renamed town": "Barrow, AK",
    "street address": "5000 Parkside Ave, Philadelphia, PA 19131",
    "misspelt, with state": "Sna Francisco, CA",
    "misspelt, no state": "Phildelphia",
    "not a place (a program name)": "Newport Academy",
    "use my location": "13.48, 144.78",
}


def _resolve(text: str) -> None:
    with contextlib.suppress(places.PlaceNotFound):
        places.resolve(text)


def main(repeats: int) -> None:
    started = time.perf_counter()
    zipcodes.list_all()  # the package's own list, loaded once on first use
    zip_list = time.perf_counter() - started
    tracemalloc.start()
    started = time.perf_counter()
    index = gazetteer.build()
    build = time.perf_counter() - started
    size, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    places._index.cache_clear()
    started = time.perf_counter()
    places.warm_up()
    warm_up = time.perf_counter() - started
    print(f"zipcodes.list_all() first call: {zip_list:.2f} s")
    print(
        f"index: {len(index.towns):,} GeoNames towns, {len(index.aliases):,} other names, "
        f"{len(index.zip_towns):,} USPS-only towns, {len(index.zips):,} ZIPs"
    )
    print(f"gazetteer.build(): {build:.2f} s under tracemalloc, {size / 2**20:.0f} MiB held")
    print(f"places.warm_up() (build + fuzzy-match table + address parser): {warm_up:.2f} s")
    print(f"resolve(), {repeats} calls each: median / p95 in ms")
    for kind, text in INPUTS.items():
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            _resolve(text)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"  {kind:32} {statistics.median(times):7.2f} {p95:7.2f}   {text!r}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
