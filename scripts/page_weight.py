"""Print what a first visit to the search page downloads (raw and gzip bytes) against the budget.

    .venv/bin/python scripts/page_weight.py ["/?location=94110&level=residential"]

Renders the page through Django's test client on the current database (load the demo first).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from finder.page_weight import BUDGET_BYTES, first_load  # noqa: E402


def main(path: str) -> None:
    response = Client(HTTP_HOST="localhost").get(path)
    assert response.status_code == 200, response.status_code
    sizes = first_load(response.content.decode())
    for url, (raw, gz) in sizes.items():
        print(f"{raw / 1024:8.1f} KB raw {gz / 1024:7.1f} KB gzip  {url}")
    total = sum(gz for _, gz in sizes.values())
    print(f"total {total / 1024:.1f} KB gzip of a {BUDGET_BYTES / 1024:.0f} KB budget: {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/?location=94110&radius=25")
