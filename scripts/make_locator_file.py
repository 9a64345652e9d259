"""Write a large SAMHSA locator-format CSV, varied from the real facilities in ../shared/data.

    .venv/bin/python scripts/make_locator_file.py /tmp/locator_20k.csv [rows] [--bad-every N]

Each row starts from a real facility of facilities_12_states.csv (taken in turn), with the site
name, street number and coordinates varied so every row is its own listing, a made-up phone
(555-01xx, fictional) and one column per SAMHSA service code of the code map, as the locator
export has (about 12 MB for 20,000 rows). Every N-th row (default 2,000; 0 for none) has a city
longer than the database takes, so the import's summary lists rejected rows. Deterministic: the
same arguments write the same bytes. Needs no database.
"""

import argparse
import csv
import io
import random
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "shared/data/samhsa/facilities_12_states.csv"
# Every code column the code map lists (programs/importers/samhsa_codes.csv), as the full export
# has them, and the type_facility values it knows.
TABLE = Path(__file__).resolve().parents[1] / "programs/importers/samhsa_codes.csv"


def _table() -> list[dict[str, str]]:
    with TABLE.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


CODES = [
    row["code"]
    for row in _table()
    if row["category"] != "type_facility" and not row["code"].endswith("#")  # f#: any other
]
FACILITY_TYPES = [row["code"] for row in _table() if row["category"] == "type_facility"]
LEADING = [
    "name1", "name2", "street1", "street2", "city", "state", "zip", "zip4", "county", "phone",
    "intake_prompt", "intake1", "intake2", "website", "latitude", "longitude", "type_facility",
]  # fmt: skip


def facilities(path: Path = SOURCE) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def locator_csv(rows: int, *, bad_every: int = 2000, seed: int = 2026) -> bytes:
    """The file's bytes: `rows` data rows after the header."""
    rng = random.Random(seed)
    base = facilities()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*LEADING, *CODES])
    for n in range(rows):
        facility = base[n % len(base)]
        round_ = n // len(base)
        number, _, rest = facility["street1"].partition(" ")
        street = f"{int(number) + round_} {rest}" if number.isdigit() else facility["street1"]
        city = facility["city"]
        if bad_every and n % bad_every == bad_every - 1:
            city = f"{city} " + "x" * 100  # over the 100 characters a city may have
        offered = {code for code in CODES if rng.random() < 0.12}
        writer.writerow(
            [
                facility["name1"],
                f"{facility['name2'] or 'Main'} site {round_ + 1}" if round_ else facility["name2"],
                street,
                facility["street2"],
                city,
                facility["state"],
                facility["zip"],
                facility["zip4"],
                facility["county"],
                _phone(rng),
                "",
                _phone(rng) if rng.random() < 0.5 else "",
                "",
                f"https://example.org/{n}",
                f"{float(facility['latitude']) + rng.uniform(-0.01, 0.01):.7f}",
                f"{float(facility['longitude']) + rng.uniform(-0.01, 0.01):.7f}",
                rng.choice(FACILITY_TYPES),
                *("1" if code in offered else "0" for code in CODES),
            ]
        )
    return out.getvalue().encode()


def _phone(rng: random.Random) -> str:
    # Fictional numbers: 555-0100 to 555-0199 are reserved for fiction in every area code.
    return f"{rng.choice(['617', '303', '602', '213', '512'])}-555-01{rng.randrange(100):02d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("rows", type=int, nargs="?", default=20_000)
    parser.add_argument("--bad-every", type=int, default=2000)
    args = parser.parse_args()
    data = locator_csv(args.rows, bad_every=args.bad_every)
    args.output.write_bytes(data)
    print(f"{args.output}: {args.rows:,} rows, {len(data) / 2**20:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
