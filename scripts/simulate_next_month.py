"""Simulate next month's SAMHSA locator export from the real 12-state extract, for a full refresh.

    .venv/bin/python scripts/simulate_next_month.py OUTDIR [--states MA,AZ] [--per-state N]
    .venv/bin/python manage.py import_programs OUTDIR/month1.csv --format samhsa-locator
    .venv/bin/python manage.py import_programs OUTDIR/month2.csv --format samhsa-locator \\
        --replace-scope all      # or the states given

month1.csv is the extract (all of it, or the first N rows of each state given) with what the full
export has and the extract lacks: a phone (fictional: 555-01xx), an intake line, a facility type
and service code columns. month2.csv is the same directory a month later, changed the ways a real
export changes, each on its own facilities (ones whose name is unique in the file, so what to
expect is certain): closures, moves (a new street nearby; across town with the same phone; nearby
with a new phone), a small coordinate correction, ZIP+4 added, ZIP with its leading zero dropped
again (as spreadsheets write Massachusetts ZIPs), "Street" respelled "St", a service changed,
and new facilities; then every row shuffled. The expected counts are printed as JSON and written
to OUTDIR/expected.json. Deterministic for a seed. Needs no database.
"""

import argparse
import copy
import csv
import io
import json
import random
import re
from collections import Counter
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "shared/data/samhsa/facilities_12_states.csv"
LEADING = [
    "name1", "name2", "street1", "street2", "city", "state", "zip", "zip4", "county", "phone",
    "intake_prompt", "intake1", "intake2", "website", "latitude", "longitude", "type_facility",
]  # fmt: skip
# Service columns whose terms are certain (levels of care, payment): a changed one changes terms.
CODES = ["DT", "HI", "OP", "RES", "MD", "MC", "PI", "SF"]
AREA_CODES = [
    "201", "202", "203", "205", "206", "207", "208", "209", "210", "212", "213", "214", "215",
    "216", "217", "218", "219", "224", "225", "228", "229", "231", "234", "239", "240", "248",
]  # fmt: skip
SHARE = {  # of each month-1 file's rows, per kind of change
    "closed": 0.03, "moved_near": 0.01, "moved_far": 0.01, "moved_new_phone": 0.01,
    "coordinates": 0.01, "zip4": 0.01, "respelled": 0.01, "services": 0.02, "new": 0.02,
}  # fmt: skip
_SUFFIXES = {"Street": "St", "Avenue": "Ave", "Road": "Rd", "Drive": "Dr", "Boulevard": "Blvd"}
_SPELLED = re.compile(r"\b(" + "|".join(_SUFFIXES) + r")\b")


def facilities(path: Path = SOURCE, *, states=(), per_state: int = 0) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    if states:
        rows = [r for r in rows if r["state"] in states]
    if per_state:
        taken = Counter()
        kept = []
        for row in rows:
            if taken[row["state"]] < per_state:
                taken[row["state"]] += 1
                kept.append(row)
        rows = kept
    return rows


def month_one(base: list[dict[str, str]], *, seed: int = 2026) -> list[dict[str, str]]:
    """The extract as the full export has it: phones, intake, type and service columns."""
    rng = random.Random(seed)
    rows = []
    for n, facility in enumerate(base):
        row = {column: facility.get(column, "") for column in LEADING}
        if row["zip"].isdigit() and len(row["zip"]) < 5:
            row["zip"] = row["zip"].zfill(5)  # this month's file has them whole
        row["phone"] = _phone(n)
        row["intake1"] = _phone(n + 5000) if rng.random() < 0.3 else ""
        row["type_facility"] = rng.choice(["SA", "MH", "SA HH"])
        for code in CODES:
            row[code.lower()] = "1" if rng.random() < 0.3 else "0"
        rows.append(row)
    return rows


def next_month(rows: list[dict[str, str]], *, seed: int = 2027) -> tuple[list[dict], dict]:
    """(month 2's rows, the expected counts) from month 1's rows."""
    rng = random.Random(seed)
    rows = copy.deepcopy(rows)
    names = Counter(_name(r) for r in rows)
    # Facilities whose name is theirs alone: a change made to one cannot be taken for another's.
    eligible = [r for r in rows if names[_name(r)] == 1 and r["latitude"] and r["longitude"]]
    rng.shuffle(eligible)
    picked, counts = {}, {}
    for kind, share in SHARE.items():
        if kind == "new":
            continue
        wanted = max(1, round(share * len(rows)))
        if kind == "zip4":
            pool = [r for r in eligible if not r["zip4"]]
        elif kind == "respelled":
            pool = [r for r in eligible if _SPELLED.search(r["street1"])]
        else:
            pool = eligible
        chosen = [r for r in pool if id(r) not in picked][:wanted]
        for row in chosen:
            picked[id(row)] = kind
        counts[kind] = len(chosen)
    # Massachusetts-style ZIPs written as numbers again: the same listings, nothing to update.
    unpadded = [r for r in rows if id(r) not in picked and r["zip"].startswith("0")]
    for row in unpadded:
        row["zip"] = row["zip"].lstrip("0")
    out = []
    for n, row in enumerate(rows):
        kind = picked.get(id(row))
        if kind == "closed":
            continue
        if kind and kind.startswith("moved"):
            row["street1"] = f"{1000 + n} {rng.choice(['Oak', 'Elm', 'Cedar', 'Maple'])} Avenue"
            row["street2"] = ""
            miles = 5.0 if kind == "moved_far" else 0.3
            row["latitude"] = f"{float(row['latitude']) + miles / 69.0:.7f}"
            if kind == "moved_new_phone":
                row["phone"] = _phone(n + 9000)
        elif kind == "coordinates":
            row["latitude"] = f"{float(row['latitude']) + 0.0012:.7f}"
            row["longitude"] = f"{float(row['longitude']) - 0.0009:.7f}"
        elif kind == "zip4":
            row["zip4"] = f"{1000 + n % 9000:04d}"
        elif kind == "respelled":
            row["street1"] = _SPELLED.sub(lambda m: _SUFFIXES[m.group(1)], row["street1"])
        elif kind == "services":
            code = rng.choice(CODES).lower()
            row[code] = "0" if row[code] == "1" else "1"
        out.append(row)
    wanted = max(1, round(SHARE["new"] * len(rows)))
    for k, model in enumerate(eligible[-wanted:]):
        new = dict(model, name1=f"New Horizons Recovery Clinic {k + 1}", name2="")
        new["street1"] = f"{200 + k} Harbor Way"
        new["phone"] = _phone(20000 + k)
        new["latitude"] = f"{float(model['latitude']) + 0.02:.7f}"
        out.append(new)
    counts["new"] = wanted
    rng.shuffle(out)
    moved = sum(counts[k] for k in ("moved_near", "moved_far", "moved_new_phone"))
    updated = sum(counts[k] for k in ("coordinates", "zip4", "respelled", "services"))
    expected = {
        "new": counts["new"],
        "updated": updated,
        "moved": moved,
        "not in source": counts["closed"],
        "zip leading zero dropped (unchanged)": len(unpadded),
        "by kind": counts,
    }
    return out, expected


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, [*LEADING, *(c.lower() for c in CODES)], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _name(row: dict[str, str]) -> str:
    return " ".join(f"{row['name1']} {row['name2']}".lower().split())


def _phone(n: int) -> str:
    # Fictional numbers: 555-0100 to 555-0199 are reserved for fiction in every area code.
    return f"{AREA_CODES[(n // 100) % len(AREA_CODES)]}-555-01{n % 100:02d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--states", default="", help="e.g. MA,AZ (default: all 12)")
    parser.add_argument("--per-state", type=int, default=0, help="first N rows of each state")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    states = [s.strip().upper() for s in args.states.split(",") if s.strip()]
    first = month_one(facilities(states=states, per_state=args.per_state))
    second, expected = next_month(first, seed=args.seed)
    args.outdir.mkdir(parents=True, exist_ok=True)
    (args.outdir / "month1.csv").write_bytes(to_csv(first))
    (args.outdir / "month2.csv").write_bytes(to_csv(second))
    (args.outdir / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    print(f"month1.csv: {len(first)} rows; month2.csv: {len(second)} rows")
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
