"""Which listing a source row is: ids that do not depend on spelling or file order, and moves.

A source without ids of its own (SAMHSA's locator export, its API, the OTP list) is identified
by what the row says: its name, street and five-digit ZIP, each normalized (`listing_key`), so
"6103" and "06103", "06103-1234", "Main Street" and "MAIN ST.", "Suite 4" or not, CSV or XLSX
all give the same key. Rows sharing a key (two programs of one name at one address) are told
apart by what they carry themselves (second address line, phone), never by their order.

`match()` then finds each row's listing among the source's existing ones, in three passes:
1. the id: the source's own, or the key as stored (`Program.external_id`), or the id the
   format module derives (what imports stored before these keys);
2. the key computed from what the last import stored (`Program.imported_values`), so a
   listing keyed by an older scheme, or by a ZIP a spreadsheet cut, is still found;
3. a move: the same name in the same state with the same phone, or within MOVE_MILES, when
   exactly one unmatched listing and one unmatched row pair up that way.
The listing keeps its pk (and with it staff edits, history, verifications); its id follows the
row's.
"""

import hashlib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass

MOVE_MILES = 1.0  # a facility that moved across town is a new listing; one down the street is not
_WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "boulevard": "blvd",
    "drive": "dr", "lane": "ln", "court": "ct", "place": "pl", "highway": "hwy", "hiway": "hwy",
    "parkway": "pkwy", "circle": "cir", "terrace": "ter", "square": "sq", "route": "rte",
    "trail": "trl", "turnpike": "tpke", "expressway": "expy", "freeway": "fwy", "plaza": "plz",
    "center": "ctr", "centre": "ctr", "mount": "mt", "saint": "st", "fort": "ft",
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw",
    "southeast": "se", "southwest": "sw", "first": "1st", "second": "2nd", "third": "3rd",
}  # fmt: skip
# A unit within a building ("Suite 4", "# 12", "Bldg B"): cut from the key, so a suite moved
# between the two address lines, or renumbered, is the same place.
_UNIT = re.compile(
    r"\b(?:suite|ste|unit|room|rm|floor|fl|building|bldg|apt|apartment|dept|#)\b.*$|#.*$"
)
_NAME_NOISE = {"inc", "llc", "pc", "pllc", "corp", "corporation", "co", "ltd", "the"}


def _words(text: str) -> list[str]:
    text = str(text or "").lower().replace("&", " and ")
    return re.sub(r"[^\w\s#]", " ", text).split()


def normal_name(name: str) -> str:
    """ "The Harbor House, Inc." and "harbor house" are one name."""
    return " ".join(w for w in _words(name) if w not in _NAME_NOISE and w != "#")


def normal_street(street: str) -> str:
    """ "404 West Aero Drive, Suite 2" → "404 w aero dr"."""
    text = _UNIT.sub("", " ".join(_words(street)))
    return " ".join(_WORDS.get(w, w) for w in text.split())


def listing_key(values: dict) -> str:
    """A source-id-less listing's id: its normalized name, street and five-digit ZIP, hashed."""
    parts = [normal_name(values["name"]), normal_street(values["street"]), values["zip_code"][:5]]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _signature(values: dict) -> str:
    """What tells apart rows of one name at one address: their second line and phones."""
    parts = [
        normal_street(values.get("street2", "")) or " ".join(_words(values.get("street2", ""))),
        str(values.get("phone") or ""),
        str(values.get("intake_phone") or ""),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:8]


def _fingerprint(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:8]


@dataclass
class Item:
    """An accepted row: its line, cleaned values, and its id once assigned."""

    line: int
    values: dict
    external_id: str = ""
    derived: bool = True
    reader_id: str = ""  # the id the format module derived (an older scheme): still found


def assign_ids(items: list[Item]) -> list[tuple[Item, str]]:
    """Give each derived-id item its id, the same whatever the file's order.

    A key held by one row is the id. Rows sharing a key get key-signature; rows identical in
    those too get key-fingerprint of all their values. Returns (item, problem) for the rows
    to reject: an exact repeat of another row.
    """
    by_key = defaultdict(list)
    for item in items:
        if item.derived:
            by_key[listing_key(item.values)].append(item)
    rejected = []
    for key, group in by_key.items():
        if len(group) == 1:
            group[0].external_id = key
            continue
        by_signature = defaultdict(list)
        for item in group:
            by_signature[_signature(item.values)].append(item)
        for signature, same in by_signature.items():
            if len(same) == 1:
                same[0].external_id = f"{key}-{signature}"
                continue
            first_of = {}
            for item in sorted(same, key=lambda i: i.line):
                fingerprint = _fingerprint(item.values)
                if fingerprint in first_of:
                    rejected.append((item, f"duplicate of line {first_of[fingerprint].line}"))
                    continue
                first_of[fingerprint] = item
                item.external_id = f"{key}-{fingerprint}"
    return rejected


# --- Matching rows to existing listings ---


def _stored(program) -> dict:
    """What the source last said of a listing (its current fields if it was never imported)."""
    values = program.imported_values or {}
    if not values:
        values = {
            "name": program.name,
            "state": program.state,
            "street": program.street,
            "street2": program.street2,
            "zip_code": program.zip_code,
            "phone": program.phone.as_e164 if program.phone else "",
            "intake_phone": program.intake_phone.as_e164 if program.intake_phone else "",
            "latitude": program.latitude,
            "longitude": program.longitude,
        }
    return values


def miles(a: dict, b: dict) -> float:
    """Great-circle distance between two values' coordinates; infinite if either has none."""
    try:
        lat1, lon1, lat2, lon2 = map(
            math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"])
        )
    except (KeyError, TypeError):
        return math.inf
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 3958.8 * 2 * math.asin(math.sqrt(min(1.0, h)))


def match(items: list[Item], programs: list) -> dict[int, tuple[object, str]]:
    """{index in items: (program, "id" | "address" | "moved")}, one program per row at most."""
    found: dict[int, tuple[object, str]] = {}
    taken: set[int] = set()

    def pair(index: int, program, how: str) -> None:
        found[index] = (program, how)
        taken.add(program.pk)

    by_id = {p.external_id: p for p in programs if p.external_id}
    for index, item in enumerate(items):
        program = by_id.get(item.external_id)
        if program is not None and program.pk not in taken:
            pair(index, program, "id")
    for index, item in enumerate(items):
        program = by_id.get(item.reader_id) if item.derived and index not in found else None
        if program is not None and program.pk not in taken:
            pair(index, program, "id")

    # 2. The key as the last import's values give it (pk order: the oldest of duplicates wins).
    if any(item.derived for item in items):
        _by_key(items, programs, found, taken, pair)
        _moves(items, programs, found, taken, pair)
    return found


def _by_key(items, programs, found, taken, pair) -> None:
    existing = defaultdict(list)
    for program in sorted(programs, key=lambda p: p.pk):
        if program.pk not in taken:
            existing[listing_key(_stored(program))].append(program)
    incoming = defaultdict(list)
    for index, item in enumerate(items):
        if index not in found and item.derived:
            incoming[listing_key(item.values)].append(index)
    for key, indexes in incoming.items():
        candidates = existing.get(key, [])
        if not candidates:
            continue
        left = []
        for index in sorted(indexes, key=lambda i: items[i].external_id):
            signature = _signature(items[index].values)
            same = [p for p in candidates if _signature(_stored(p)) == signature]
            if same:
                pair(index, same[0], "address")
                candidates.remove(same[0])
            else:
                left.append(index)
        if len(left) == 1 and len(candidates) == 1:
            pair(left[0], candidates[0], "address")


def _moves(items, programs, found, taken, pair) -> None:
    by_name = defaultdict(list)
    for program in programs:
        if program.pk not in taken:
            by_name[normal_name(_stored(program)["name"])].append(program)
    proposals = defaultdict(list)  # program pk → row indexes that would be it
    chosen = {}
    for index, item in enumerate(items):
        if index in found or not item.derived:
            continue
        phone, state = item.values.get("phone"), item.values["state"]
        # In its state: chains share a name and a central phone across the country.
        near = [
            p
            for p in by_name.get(normal_name(item.values["name"]), [])
            if _stored(p).get("state", p.state) == state
            and (
                (phone and _stored(p).get("phone") == phone)
                or miles(_stored(p), item.values) <= MOVE_MILES
            )
        ]
        if len(near) == 1:
            chosen[index] = near[0]
            proposals[near[0].pk].append(index)
    for index, program in chosen.items():
        if len(proposals[program.pk]) == 1:
            pair(index, program, "moved")
