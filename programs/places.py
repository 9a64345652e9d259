"""Place lookup (ZIP, town, address or "use my location" → a point) and distance maths, offline.

Towns resolve to their official centre from GeoNames, ranked by population where a name is in
several states; ZIPs to their centre from the zipcodes package, cleaned (programs/gazetteer.py
says how). A street address is parsed with usaddress and searched from its ZIP or town, or, when
settings.PLACES_CENSUS_GEOCODER is on, from the Census geocoder's point for it. Nothing here
touches the database, and only that opt-in geocoder touches the network.
"""

import difflib
import gc
import math
import re
from dataclasses import dataclass
from functools import cache

import usaddress
from django.utils.translation import gettext as _

from programs import census_geocoder, gazetteer
from programs.states import STATE_NAMES

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.055  # 2πR / 360
MAX_QUERY_LENGTH = 200

_ZIP = re.compile(r"^(\d{5})(?:[-\s]?\d{4})?$")
# A label this module wrote, typed or linked back: "99723 (Barrow, AK)", "... (from your address)".
_ZIP_LABEL = re.compile(r"^(\d{5}) \([^()]*\)(?: \([^()]*\))?$")
_STATE_IN_ADDRESS = re.compile(r"(?<=, )[A-Z][a-z](?=,|$)")
_TRAILING_ZIP = re.compile(r"[,\s](\d{5})(?:-\d{4})?$")
# "37.750,-122.410": what "use my location" sends (latitude, longitude in decimal degrees).
_COORDINATES = re.compile(r"^(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)$")
# A house number then a word ("5000 Parkside Ave", "PO Box 12"): worth the address parser.
_LOOKS_LIKE_ADDRESS = re.compile(r"^(\d+[a-z]?\s+[^\d\s]|p\.?\s*o\.?\s+box\b)", re.IGNORECASE)
_STATE_BY_NAME = {name.lower().replace(".", ""): code for code, name in STATE_NAMES.items()} | {
    "virgin islands": "VI",
    "usvi": "VI",
    "northern marianas": "MP",
    "cnmi": "MP",
    "micronesia": "FM",
    "fsm": "FM",
    "republic of palau": "PW",
    "republic of the marshall islands": "MH",
}
# A bare town name is "overwhelmingly one place" when that place is a city of this size and this
# many times the next largest of the name: Portland, OR (652,503) over Portland, ME (66,881).
OBVIOUS_CITY_POPULATION = 50_000
OBVIOUS_CITY_RATIO = 5
MAX_SUGGESTIONS = 6
# Text with no state or ZIP whose nearest town spelling is less alike than this (difflib's ratio:
# "chicgo"/"chicago" 0.92; "teen"/"steen" 0.89, "women"/"woden" 0.8) is more likely a program's
# name or a keyword than a typo.
CLOSE_ENOUGH_TO_BE_A_TYPO = 0.9


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

    def contains(self, point: Point) -> bool:
        return self.south <= point.latitude <= self.north and (
            self.west <= point.longitude <= self.east
        )


# One box for each part of the US: the 48 states, Alaska on both sides of the 180th meridian,
# Hawaii, and each territory and freely associated state (gazetteer.REGIONS). No single box can
# hold Palau and Guam (far west) with American Samoa (east of the 180th meridian).
US_REGIONS = tuple(BoundingBox(*box) for box in gazetteer.REGIONS.values())


@dataclass(frozen=True)
class Place:
    """A resolved search location: what to show the searcher, and where it is.

    `alternatives` ("Portland, ME", ...) are other places of the name when a bare name was taken
    to mean its by far largest place, `ambiguous_name`; the search page offers them.
    """

    label: str
    point: Point
    state: str
    alternatives: tuple[str, ...] = ()
    ambiguous_name: str = ""


class PlaceNotFound(ValueError):
    """The text names no place we know, or more than one; `suggestions` are places to offer.

    `maybe_name` is True when the text does not look like a place at all (no ZIP, no state, and
    no town of a close spelling), so the caller may offer to search it as a program's name.
    """

    def __init__(
        self, message: str, suggestions: list[str] | None = None, *, maybe_name: bool = False
    ):
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []
        self.maybe_name = maybe_name


def warm_up() -> None:
    """Build the index before serving, and take it out of garbage collection's way.

    Called by the WSGI/ASGI entry points, so no request pays for the build. The index and the
    zipcodes package's own cached list (~400,000 objects) live as long as the process: freezing
    them stops every full collection from walking them (one took ~250 ms with them).
    """
    _keys_by_end()
    usaddress.tag("1 Main St, Springfield, IL 62701")  # loads the parser's model
    gc.collect()
    gc.freeze()


@cache
def _index() -> gazetteer.Index:
    return gazetteer.build()


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
    if match := _ZIP.match(text) or _ZIP_LABEL.match(text):
        return _resolve_zip(match.group(1))
    if _LOOKS_LIKE_ADDRESS.match(text):
        return _resolve_address(text)
    if match := _TRAILING_ZIP.search(text):  # "Denver, CO 80202"
        return _resolve_zip(match.group(1))
    return _resolve_town(text)


def in_us(point: Point) -> bool:
    """Whether a point lies in a state, DC, a territory or a freely associated state.

    The importers check a listing's coordinates with it, and "use my location" the searcher's.
    """
    return any(box.contains(point) for box in US_REGIONS)


def _resolve_coordinates(latitude: float, longitude: float) -> Place:
    if not in_us(Point(latitude, longitude)):
        raise PlaceNotFound(
            _("That position is outside the United States. Enter a ZIP code, or a city and state.")
        )
    return Place(label=_("your location"), point=Point(latitude, longitude), state="")


def _resolve_zip(code: str) -> Place:
    found = _index().zips.get(code)
    if found is None or found.latitude is None:
        raise PlaceNotFound(
            _("We could not find the ZIP code %(zip)s. Check it, or enter a city and state.")
            % {"zip": code}
        )
    point = Point(found.latitude, found.longitude)
    return Place(
        label=f"{code} ({found.town.title()}, {found.state})", point=point, state=found.state
    )


def _resolve_address(text: str) -> Place:
    """A street address: the geocoder's point if it is on, else the address's ZIP or town."""
    if census_geocoder.enabled() and (match := census_geocoder.geocode(text)):
        point = Point(match.latitude, match.longitude)
        if in_us(point):
            # "5000 PARKSIDE AVE, PHILADELPHIA, PA, 19131" → "5000 Parkside Ave, Philadelphia, PA…"
            label = _STATE_IN_ADDRESS.sub(lambda m: m.group(0).upper(), match.address.title())
            return Place(label=label, point=point, state=match.state)
    try:
        parts, _kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError as error:  # "12 Main St 14 Oak St": take the first of each
        parts = {}
        for value, label in error.parsed_string:
            parts.setdefault(label, value)
    parts = {label: value.strip(" ,") for label, value in parts.items()}
    zip_code = parts.get("ZipCode", "")[:5]
    if zip_code.isdigit() and len(zip_code) == 5:
        place = _resolve_zip(zip_code)
    elif town := parts.get("PlaceName"):
        state = parts.get("StateName")
        place = _resolve_town(f"{town}, {state}" if state else town)
    else:
        raise PlaceNotFound(
            _("We could not find a city or ZIP code in that address. Add them, like “%(example)s”.")
            % {"example": "5000 Parkside Ave, Philadelphia, PA 19131"},
            maybe_name="StateName" not in parts,  # "12 Oaks Recovery" is a name, not a street
        )
    label = _("%(place)s (from your address)") % {"place": place.label}
    return Place(label=label, point=place.point, state=place.state)


def _split_state(text: str) -> tuple[str, str | None]:
    """Split "Springfield, IL" / "springfield il" / "Austin, Texas" into (town, state code)."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > 1 and (state := _state_code(parts[-1])):
        return parts[-2], state
    words = text.replace(",", " ").split()
    for size in (5, 4, 3, 2, 1):  # "northern mariana islands", "new york" before "york"
        if len(words) > size and (state := _state_code(" ".join(words[-size:]))):
            return " ".join(words[:-size]), state
    return text, None


def _state_code(text: str) -> str | None:
    text = " ".join(re.sub(r"[^\w\s]", "", text.lower()).split())  # "D.C." → "dc"
    if text.upper() in STATE_NAMES:
        return text.upper()
    return _STATE_BY_NAME.get(text)


def _resolve_town(text: str) -> Place:
    index = _index()
    if state := _state_code(text):
        raise PlaceNotFound(
            _(
                "%(state)s is too large an area to search. "
                "Add a city or a ZIP code, like “%(example)s”."
            )
            % {"state": STATE_NAMES[state], "example": _largest_town(state)}
        )
    name, state = _split_state(text)
    name_key = gazetteer.key(name)
    if state:
        if town := index.town(name_key, state):
            namesakes = index.namesakes.get((name_key, state), ())
            return Place(
                label=town.label,
                point=Point(town.latitude, town.longitude),
                state=state,
                alternatives=namesakes,
                ambiguous_name=town.name if namesakes else "",
            )
        raise PlaceNotFound(
            _("We could not find %(place)s. Check the spelling, or enter a ZIP code.")
            % {"place": f"{name}, {state}"},
            _close_towns(name_key, index.keys_by_state.get(state, []), state)[0],
        )
    towns = _towns_named(name_key)
    if len(towns) == 1 or (towns and _obviously_the_first(towns)):
        town, others = towns[0], towns[1:]
        return Place(
            label=town.label,
            point=Point(town.latitude, town.longitude),
            state=town.state,
            alternatives=tuple(other.label for other in others[:MAX_SUGGESTIONS]),
            ambiguous_name=town.name if others else "",
        )
    if towns:
        raise PlaceNotFound(
            _("There is more than one %(city)s. Add the state, or enter a ZIP code.")
            % {"city": towns[0].name},
            [town.label for town in towns[: MAX_SUGGESTIONS + 2]],
        )
    suggestions, closest = _close_towns(name_key, _keys_sharing_an_end(name_key), None)
    raise PlaceNotFound(
        _("We could not find %(place)s. Enter a ZIP code, or a city and state like “Denver, CO”.")
        % {"place": text},
        suggestions,
        # "women" is one letter from Woden, IA, yet surely not meant as a place.
        maybe_name=closest < CLOSE_ENOUGH_TO_BE_A_TYPO,
    )


def _towns_named(name_key: str) -> list[gazetteer.Town]:
    """Every state's town of this name, most populous first.

    A town known by this name only as another name (Hopatcong, NJ was once Brooklyn) counts only
    when no town has it as its own name.
    """
    index = _index()
    states = index.states_by_key.get(name_key, ())
    towns = [index.official(name_key, state) for state in states]
    towns = [town for town in towns if town] or [index.town(name_key, s) for s in states]
    return sorted(towns, key=lambda town: (-town.population, town.state))


def _obviously_the_first(towns: list[gazetteer.Town]) -> bool:
    first, second = towns[0].population, towns[1].population
    return first >= OBVIOUS_CITY_POPULATION and first >= OBVIOUS_CITY_RATIO * second


def _close_towns(name_key: str, keys: list[str], state: str | None) -> tuple[list[str], float]:
    """ "Did you mean": the closest spellings first; among equally close ones, the larger town.

    Also returns how alike the closest spelling is (0 when none is), for PlaceNotFound.maybe_name.
    """
    if len(name_key) < 3:
        return [], 0.0
    matcher = difflib.SequenceMatcher(b=name_key)
    scored = []
    for candidate in keys:
        # The cheap bounds first: most of ~50,000 names are dismissed by length alone.
        if abs(len(candidate) - len(name_key)) > _slack(name_key):
            continue
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= 0.8 and (letters := matcher.quick_ratio()) >= 0.8:
            ratio = matcher.ratio()
            if letters == 1.0:  # the same letters: two swapped ("maimi"), which ratio() undersells
                ratio = max(ratio, 0.9)
            if ratio >= 0.8:
                scored.append((ratio, candidate))
    index = _index()
    towns = []
    for ratio, candidate in scored:
        found = [index.town(candidate, state)] if state else _towns_named(candidate)[:2]
        towns.extend((round(ratio, 1), town) for town in found)
    towns.sort(key=lambda pair: (-pair[0], -pair[1].population, pair[1].label))
    labels = dict.fromkeys(town.label for _ratio, town in towns)  # Frisco and Sn Francisco
    return list(labels)[:MAX_SUGGESTIONS], max((ratio for ratio, _key in scored), default=0.0)


def _keys_sharing_an_end(name_key: str) -> list[str]:
    """Town names of about this length with the same first or last letter.

    A misspelling rarely gets both wrong, and this cuts the ~50,000 names to compare to a few
    thousand (the comparison is what a "did you mean" costs).
    """
    if not name_key:
        return []
    by_end = _keys_by_end()
    found = set()
    for length in range(len(name_key) - _slack(name_key), len(name_key) + _slack(name_key) + 1):
        found.update(by_end.get(("^" + name_key[0], length), ()))
        found.update(by_end.get((name_key[-1] + "$", length), ()))
    return sorted(found)


def _slack(name_key: str) -> int:
    """How many letters longer or shorter a misspelling may be."""
    return max(2, len(name_key) // 4)


@cache
def _keys_by_end() -> dict[tuple[str, int], list[str]]:
    by_end = {}
    for name_key in _index().official_keys:
        if name_key:
            by_end.setdefault(("^" + name_key[0], len(name_key)), []).append(name_key)
            by_end.setdefault((name_key[-1] + "$", len(name_key)), []).append(name_key)
    return by_end


def _largest_town(state: str) -> str:
    """The state's most populous place: a familiar example to offer."""
    towns = [town for (_key, st), town in _index().towns.items() if st == state]
    return max(towns, key=lambda town: town.population).label if towns else "Springfield, IL"


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
    """Where a 5-digit ZIP's people are (cleaned as in gazetteer.py), or None when unknown."""
    found = _index().zips.get(code[:5])
    if found is None or found.latitude is None:
        return None
    return Point(found.latitude, found.longitude)
