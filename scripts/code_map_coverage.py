"""Print the SAMHSA code map's coverage: how many codes give a term, set a field, or are ignored.

    .venv/bin/python scripts/code_map_coverage.py [--reasons]

Reads programs/importers/samhsa_codes.csv (the table the locator importer maps with), and the
database's taxonomy to name any target term it lacks. --reasons lists the ignored codes by reason.
"""

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")

import django  # noqa: E402
from django.db import DatabaseError  # noqa: E402

django.setup()

from programs.importers import codes  # noqa: E402
from programs.models import Term  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reasons", action="store_true", help="list ignored codes by reason")
    args = parser.parse_args()
    table = codes.load()
    coverage = table.coverage()
    columns = coverage["columns"]
    numbered = [c for c in table.columns if c.endswith("#")]
    print(
        f"{codes.TABLE.name}: {sum(columns.values())} code columns "
        f"({len(table.columns) - len(numbered)} codes, and {', '.join(numbered)} for the other "
        "numbered language columns)"
    )
    for kind in ("term", "attribute", "ignored"):
        print(f"  {kind:<10}{columns.get(kind, 0):4d}")
    types = coverage[codes.FACILITY_TYPE]
    print(f"type_facility values: {sum(types.values())}")
    for kind in ("term", "ignored"):
        print(f"  {kind:<10}{types.get(kind, 0):4d}")
    rows = [*table.columns.values(), *table.facility_types.values()]
    try:
        terms = set(Term.objects.values_list("code", flat=True))
    except DatabaseError as error:  # no database, or not migrated: the table's counts still hold
        print(f"target terms not checked: the database cannot be read ({error})")
    else:
        missing = sorted({t for row in rows for t in row.targets} - terms)
        print(f"target terms this database lacks: {', '.join(missing) or 'none'}")
    if args.reasons:
        by_reason = defaultdict(list)
        for row in rows:
            if row.maps_to == "ignored":
                by_reason[row.reason].append(row.code)
        for reason, names in sorted(by_reason.items(), key=lambda item: -len(item[1])):
            print(f"\n{len(names)} ignored: {reason}\n  {' '.join(names)}")


if __name__ == "__main__":
    main()
