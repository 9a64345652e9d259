"""What a first visit to a page downloads from us, compressed: the performance budget's measure.

    .venv/bin/python scripts/page_weight.py ["/?location=94110&level=residential"]

Prints each resource (raw and gzip bytes) against the budget, rendering the page through Django's
test client on the current database (load the demo first). tests/finder/test_performance_budget.py
holds every page to the same budget. The map's own files are counted although map.js fetches them
only when the visitor asks for the map (named in its data-*-css / data-*-js attributes): the
budget holds for a visit that shows it. Map tiles are not counted (they come from the tile server,
and only once the visitor asks for the map).
"""

import gzip
import os
import re
import sys
from pathlib import Path

BUDGET_BYTES = 150 * 1024
_ASSET = re.compile(
    r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"|\sdata-[a-z-]+-(?:css|js)="([^"]+)"'
)


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def first_load(html: str) -> dict[str, tuple[int, int]]:
    """Each same-origin resource of the page, HTML included: (raw bytes, gzip bytes)."""
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    body = html.encode()
    sizes = {"(page HTML)": (len(body), gzipped_size(body))}
    prefix = static("")
    for url in (tag or fetched for tag, fetched in _ASSET.findall(html)):
        if not url.startswith(prefix):
            raise ValueError(f"{url} is not one of our static files")
        path = finders.find(url.removeprefix(prefix))
        with open(path, "rb") as file:
            data = file.read()
        sizes[url] = (len(data), gzipped_size(data))
    return sizes


def main(path: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")
    import django

    django.setup()
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get(path)
    assert response.status_code == 200, response.status_code
    sizes = first_load(response.content.decode())
    for url, (raw, gz) in sizes.items():
        print(f"{raw / 1024:8.1f} KB raw {gz / 1024:7.1f} KB gzip  {url}")
    total = sum(gz for _, gz in sizes.values())
    print(f"total {total / 1024:.1f} KB gzip of a {BUDGET_BYTES / 1024:.0f} KB budget: {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/?location=94110&radius=25")
