"""What a first visit to a page downloads from us, compressed: the performance budget's measure.

Used by tests/finder/test_performance_budget.py and scripts/page_weight.py. Map tiles are not
counted (they come from the tile server, and only once the map is shown).
"""

import gzip
import re

from django.contrib.staticfiles import finders
from django.templatetags.static import static

BUDGET_BYTES = 150 * 1024
_ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def first_load(html: str) -> dict[str, tuple[int, int]]:
    """Each same-origin resource of the page, HTML included: (raw bytes, gzip bytes)."""
    body = html.encode()
    sizes = {"(page HTML)": (len(body), gzipped_size(body))}
    prefix = static("")
    for url in _ASSET.findall(html):
        if not url.startswith(prefix):
            raise ValueError(f"{url} is not one of our static files")
        path = finders.find(url.removeprefix(prefix))
        with open(path, "rb") as file:
            data = file.read()
        sizes[url] = (len(data), gzipped_size(data))
    return sizes
