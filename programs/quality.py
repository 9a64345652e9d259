"""Data-quality checks for staff review: coordinates far from their ZIP, likely duplicates.

Plain functions over querysets, computed on the fly (no importer change): what staff decided
(QualityDecision) is left out, and their fixes are ordinary listing edits, which re-imports keep
(programs.importers.sync keeps fields staff changed and the status staff set).
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from django.db import transaction

from programs import places, services
from programs.importers.identity import normal_name, normal_street
from programs.models import Program, QualityDecision

# Farther than this from its ZIP's centre, a listing's pin is probably wrong (a rural ZIP spans
# 10-20 miles; a geocoder's wrong town or swapped digits lands much farther).
FAR_FROM_ZIP_MILES = 25


@dataclass
class FarFromZip:
    program: Program
    centroid: places.Point
    miles: float


@dataclass
class LikelyDuplicate:
    first: Program  # the lower pk
    second: Program
    reason: str  # "name": same name and ZIP; "street": same street and ZIP, other sources


def far_from_zip(programs=None, *, miles: float = FAR_FROM_ZIP_MILES) -> list[FarFromZip]:
    """Listings whose coordinates lie more than `miles` from their ZIP's centre, farthest first.

    Listings already at the centre (location_approximate), with an unknown ZIP, or whose
    coordinates staff confirmed are left out.
    """
    if programs is None:
        programs = Program.objects.exclude(status=Program.Status.ARCHIVED)
    # Confirmed coordinates, as confirmed: a listing moved since is reviewed again.
    confirmed = set(
        QualityDecision.objects.filter(kind=QualityDecision.Kind.LOCATION_OK).values_list(
            "program_id", "latitude", "longitude"
        )
    )
    candidates = programs.filter(
        latitude__isnull=False, longitude__isnull=False, location_approximate=False
    ).only("name", "source", "zip_code", "latitude", "longitude", "status")
    found = []
    for program in candidates.iterator(chunk_size=2000):
        if (program.pk, program.latitude, program.longitude) in confirmed:
            continue
        centroid = places.zip_centroid(program.zip_code)
        if centroid is None:
            continue
        off = places.distance_miles(places.Point(program.latitude, program.longitude), centroid)
        if off > miles:
            found.append(FarFromZip(program, centroid, off))
    return sorted(found, key=lambda item: -item.miles)


def likely_duplicates(programs=None) -> list[LikelyDuplicate]:
    """Pairs of published listings that are probably one place, minus pairs staff kept apart.

    Same normalized name and ZIP: from different sources, or at the same street (a file can
    list a place twice; one name at two streets of one ZIP in one file is a chain's two sites).
    Same normalized street and ZIP from different sources (the OTP list and the locator name
    one clinic differently; within one source, several programs often share a building).
    """
    programs = Program.objects.published() if programs is None else programs
    # What the review page shows of each listing, no more (the page lists every pair at once).
    shown = ["name", "source", "external_id", "street", "street2", "city", "state", "zip_code"]
    rows = list(programs.only(*shown, "phone", "website").order_by("pk"))
    street_of = {program.pk: normal_street(program.street) for program in rows}
    by_name, by_street = defaultdict(list), defaultdict(list)
    for program in rows:
        zip5 = program.zip_code[:5]
        by_name[(normal_name(program.name), zip5)].append(program)
        by_street[(street_of[program.pk], zip5)].append(program)
    kept_apart = set(
        QualityDecision.objects.filter(kind=QualityDecision.Kind.NOT_DUPLICATES).values_list(
            "program_id", "other_id"
        )
    )
    pairs: dict[tuple[int, int], LikelyDuplicate] = {}
    for groups, reason in ((by_name, "name"), (by_street, "street")):
        for (key, _zip5), group in groups.items():
            if not key:
                continue
            for first, second in combinations(group, 2):  # in pk order, as rows are
                ids = (first.pk, second.pk)
                if ids in pairs or ids in kept_apart:
                    continue
                same_street = street_of[first.pk] == street_of[second.pk]
                if first.source != second.source or (reason == "name" and same_street):
                    pairs[ids] = LikelyDuplicate(first, second, reason)
    return list(pairs.values())


def use_zip_centre(*, program: Program, user=None) -> bool:
    """Move a listing to its ZIP's centre, marked approximate; False if the ZIP is unknown."""
    centroid = places.zip_centroid(program.zip_code)
    if centroid is None:
        return False
    values = {
        "latitude": centroid.latitude,
        "longitude": centroid.longitude,
        "location_approximate": True,
    }
    reason = f"Quality review: coordinates far from ZIP {program.zip_code[:5]}, moved to its centre"
    services.update_listing(program=program, values=values, user=user, reason=reason)
    return True


def confirm_location(*, program: Program, user=None, note: str = "") -> QualityDecision:
    """Staff say the coordinates are right: the listing leaves the far-from-ZIP review (until
    they change)."""
    return QualityDecision.objects.create(
        kind=QualityDecision.Kind.LOCATION_OK,
        program=program,
        latitude=program.latitude,
        longitude=program.longitude,
        decided_by=user,
        note=note,
    )


def keep_apart(*, first: Program, second: Program, user=None, note: str = "") -> QualityDecision:
    """Staff say two listings are different places: the pair leaves the duplicates review."""
    low, high = sorted([first, second], key=lambda program: program.pk)
    decision, _created = QualityDecision.objects.get_or_create(
        kind=QualityDecision.Kind.NOT_DUPLICATES,
        program=low,
        other=high,
        defaults={"decided_by": user, "note": note},
    )
    return decision


@transaction.atomic
def merge(*, keep: Program, drop: Program, user=None) -> None:
    """One place listed twice: `drop` is archived, naming `keep`; `keep` gains drop's terms.

    Archived by staff, `drop` stays archived through re-imports (sync never changes a status
    staff set), and the terms added to `keep` count as staff's additions, which imports keep.
    """
    codes = set(keep.terms.values_list("code", flat=True))
    codes |= set(drop.terms.values_list("code", flat=True))
    services.update_listing(
        program=keep,
        values={},
        term_codes=codes,
        user=user,
        reason=f"Quality review: merged with “{drop.name}” (#{drop.pk}, {drop.source})",
    )
    services.update_listing(
        program=drop,
        values={"status": Program.Status.ARCHIVED, "retired_by_import": False},
        user=user,
        reason=f"Quality review: duplicate of “{keep.name}” (#{keep.pk}), merged into it",
    )
