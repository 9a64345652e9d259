"""Print what the listing phrases' per-process memo (finder/templatetags/listing.py) saves.

    .venv/bin/python scripts/measure_phrases.py

Renders the availability, beds, verified and call phrases of 20 published programs (one results
page's cards) with the memo and without it, on the current database (load the demo first).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402

django.setup()

from django.template import Context, Template  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from finder.templatetags import listing  # noqa: E402
from programs.models import Program  # noqa: E402

CARDS = Template(
    "{% load listing %}{% for program in programs %}{% availability program %}{% beds program %}"
    "{% verified program %}{% call_button program %}{% endfor %}"
)


def per_page_ms(programs, rounds: int = 300) -> float:
    """The best of three runs' mean time to write one page's phrases, in milliseconds."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(rounds):
            with translation.override("en"):
                CARDS.render(Context({"programs": programs}))
        best = min(best, (time.perf_counter() - start) / rounds * 1000)
    return best


def main() -> None:
    programs = list(Program.objects.published().order_by("id")[:20])
    remembered = per_page_ms(programs)
    listing._remembered = lambda key, make: make(timezone.localdate())  # the memo off
    worked_out = per_page_ms(programs)
    count = len(programs)
    print(f"{count} cards' phrases: {remembered:.2f} ms with the memo, {worked_out:.2f} ms without")


if __name__ == "__main__":
    main()
