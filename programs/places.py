"""Place lookup (ZIP, "City, ST" or an address → coordinates) and distance maths, all offline.

Coordinates come from the `zipcodes` package, which bundles the US ZIP gazetteer; a city resolves
to the mean position of its ZIP codes. Nothing here touches the network or the database.
"""

import difflib
import gc
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

import zipcodes
from django.utils.translation import gettext as _

from programs.states import STATE_NAMES

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.055  # 2πR / 360
MAX_QUERY_LENGTH = 200

_ZIP = re.compile(r"^(\d{5})(?:[-\s]?\d{4})?$")
_TRAILING_ZIP = re.compile(r"[,\s](\d{5})(?:-\d{4})?$")
# "37.750,-122.410": what "use my location" sends (latitude, longitude in decimal degrees).
_COORDINATES = re.compile(r"^(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)$")
_STATE_BY_NAME = {name.lower(): code for code, name in STATE_NAMES.items()}


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class BoundingBox:
    south: float
    north: float
    west: float
    east: float


# The 50 states, DC and Puerto Rico: a box around Hawaii, Alaska (west of 180° excluded), PR.
US_BOUNDS = BoundingBox(south=17.5, north=71.5, west=-180.0, east=-64.5)


@dataclass(frozen=True)
class Place:
    """A resolved search location: what to show the searcher, and where it is."""

    label: str
    point: Point
    state: str


class PlaceNotFound(ValueError):
    """The text names no place we know, or more than one; `suggestions` are places to offer."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []


@dataclass
class _Gazetteer:
    # Plain tuples of floats and strings, which the garbage collector stops tracking.
    # zip → (latitude, longitude, city, ST)
    zips: dict[str, tuple[float, float, str, str]] = field(default_factory=dict)
    cities: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)  # centroid
    city_names: dict[tuple[str, str], str] = field(default_factory=dict)  # key → display name
    states_by_city: dict[str, list[str]] = field(default_factory=dict)  # city → [ST, ...]


def _normalize(text: str) -> str:
    text = re.sub(r"[^\w\s]", " ", text.lower().replace("saint ", "st "))
    return " ".join(text.split())


def warm_up() -> None:
    """Build the gazetteer before serving, and take it out of garbage collection's way.

    Called by the WSGI/ASGI entry points, so no request pays for the build. The index and the
    zipcodes package's own cached list (~400,000 objects) live as long as the process: freezing
    them stops every full collection from walking them (one took ~250 ms with them).
    """
    _gazetteer()
    gc.collect()
    gc.freeze()


@cache
def _gazetteer() -> _Gazetteer:
    """Index the bundled ZIP list once per process (about 40,000 rows, a fraction of a second)."""
    gaz = _Gazetteer()
    positions = defaultdict(list)
    for row in zipcodes.list_all():
        if row["country"] != "US" or not row["lat"] or not row["long"]:
            continue
        point = (float(row["lat"]), float(row["long"]))
        gaz.zips[row["zip_code"]] = (*point, row["city"], row["state"])
        if not row["active"]:
            continue
        for city in [row["city"], *row["acceptable_cities"]]:
            key = (_normalize(city), row["state"])
            positions[key].append(point)
            gaz.city_names.setdefault(key, city.title())
    for key, points in positions.items():
        gaz.cities[key] = (
            sum(lat for lat, _ in points) / len(points),
            sum(lon for _, lon in points) / len(points),
        )
    states = defaultdict(list)
    for city, state in sorted(gaz.cities):
        states[city].append(state)
    gaz.states_by_city = dict(states)
    return gaz


def resolve(text: str) -> Place:
    """Resolve what a searcher typed to a place, or raise PlaceNotFound with a clear message."""
    text = " ".join(str(text).split())
    if not text:
        raise PlaceNotFound(_("Enter a ZIP code, or a city and state."))
    if len(text) > MAX_QUERY_LENGTH:
        raise PlaceNotFound(
            _("That is too long for a place. Enter a ZIP code, or a city and state.")
        )
    if match := _COORDINATES.match(text):
        return _resolve_coordinates(float(match.group(1)), float(match.group(2)))
    if match := _ZIP.match(text) or _TRAILING_ZIP.search(text):
        return _resolve_zip(match.group(1))
    return _resolve_city(text)


def _resolve_coordinates(latitude: float, longitude: float) -> Place:
    box = US_BOUNDS
    if not (box.south <= latitude <= box.north and box.west <= longitude <= box.east):
        raise PlaceNotFound(
            _("That position is outside the United States. Enter a ZIP code, or a city and state.")
        )
    return Place(label=_("your location"), point=Point(latitude, longitude), state="")


def _resolve_zip(code: str) -> Place:
    try:
        latitude, longitude, city, state = _gazetteer().zips[code]
    except KeyError:
        raise PlaceNotFound(
            _("We could not find the ZIP code %(zip)s. Check it, or enter a city and state.")
            % {"zip": code}
        ) from None
    point = Point(latitude, longitude)
    return Place(label=f"{code} ({city.title()}, {state})", point=point, state=state)


def _split_state(text: str) -> tuple[str, str | None]:
    """Split "Springfield, IL" / "springfield il" / "Austin, Texas" into (city, state code)."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > 1:
        state = _state_code(parts[-1])
        if state:
            # An address ("12 Main St, Springfield, IL"): the city is the part before the state.
            return parts[-2], state
    words = text.replace(",", " ").split()
    for size in (2, 1):  # "new york" before "york"
        if len(words) > size:
            state = _state_code(" ".join(words[-size:]))
            if state:
                return " ".join(words[:-size]), state
    return text, None


def _state_code(text: str) -> str | None:
    text = _normalize(text)
    if text.upper() in STATE_NAMES:
        return text.upper()
    return _STATE_BY_NAME.get(text)


def _resolve_city(text: str) -> Place:
    gaz = _gazetteer()
    if state := _state_code(text):
        raise PlaceNotFound(
            _(
                "%(state)s is too large an area to search. "
                "Add a city or a ZIP code, like “%(example)s”."
            )
            % {"state": STATE_NAMES[state], "example": f"{_largest_city(state)}, {state}"}
        )
    city, state = _split_state(text)
    key_city = _normalize(city)
    if state:
        if centroid := gaz.cities.get((key_city, state)):
            return Place(
                label=f"{gaz.city_names[(key_city, state)]}, {state}",
                point=Point(*centroid),
                state=state,
            )
        candidates = [c for (c, s) in gaz.cities if s == state]
        close = difflib.get_close_matches(key_city, candidates, n=3, cutoff=0.75)
        raise PlaceNotFound(
            _("We could not find %(place)s. Check the spelling, or enter a ZIP code.")
            % {"place": f"{city}, {state}"},
            [f"{gaz.city_names[(c, state)]}, {state}" for c in close],
        )
    states = gaz.states_by_city.get(key_city, [])
    if len(states) == 1:
        return _resolve_city(f"{city}, {states[0]}")
    if states:
        raise PlaceNotFound(
            _("There is more than one %(city)s. Add the state, or enter a ZIP code.")
            % {"city": city.title()},
            [f"{gaz.city_names[(key_city, s)]}, {s}" for s in states[:8]],
        )
    close = difflib.get_close_matches(key_city, list(gaz.states_by_city), n=3, cutoff=0.8)
    raise PlaceNotFound(
        _("We could not find %(place)s. Enter a ZIP code, or a city and state like “Denver, CO”.")
        % {"place": text},
        [f"{gaz.city_names[(c, s)]}, {s}" for c in close for s in gaz.states_by_city[c][:2]],
    )


def _largest_city(state: str) -> str:
    """The city of the state with the most ZIP codes: a familiar example to offer."""
    gaz = _gazetteer()
    counts = Counter(city for (_lat, _lon, city, st) in gaz.zips.values() if st == state)
    return counts.most_common(1)[0][0].title() if counts else "Springfield"


def distance_miles(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance; the SQL in ProgramQuerySet.with_distance is the same."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(center: Point, miles: float) -> BoundingBox:
    """A box that contains every point within `miles` of `center` (a cheap, indexable prefilter)."""
    dlat = miles / MILES_PER_DEGREE_LATITUDE
    # Longitude degrees shrink towards the poles; near them the box spans every longitude.
    cos_lat = math.cos(math.radians(min(89.0, abs(center.latitude) + dlat)))
    dlon = min(180.0, miles / (MILES_PER_DEGREE_LATITUDE * cos_lat))
    return BoundingBox(
        south=max(-90.0, center.latitude - dlat),
        north=min(90.0, center.latitude + dlat),
        west=max(-180.0, center.longitude - dlon),
        east=min(180.0, center.longitude + dlon),
    )


def zip_centroid(code: str) -> Point | None:
    """The centre of a 5-digit ZIP code, or None when the gazetteer does not know it."""
    found = _gazetteer().zips.get(code[:5])
    return Point(found[0], found[1]) if found else None
