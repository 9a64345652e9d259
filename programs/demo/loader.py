"""Load the demo directory: upsert programs.demo.sources rows on (source="demo", external_id)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from programs.demo.sources import DATA_DIR, Listing, clean_listing, program_values, read_listings
from programs.models import Organization, Program, Term
from programs.services import unique_slug

SOURCE = "demo"
FIELDS = [
    "name", "organization_id", "description", "street", "street2", "city", "state", "zip_code",
    "latitude", "longitude", "phone", "website", "hours", "accepting", "status", "last_verified",
]  # fmt: skip


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    states: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def programs(self) -> int:
        return self.created + self.updated + self.unchanged


@transaction.atomic
def load_demo(*, data_dir: Path = DATA_DIR, today: date | None = None) -> LoadResult:
    """Create or update the demo programs; a second run changes nothing."""
    today = today or timezone.localdate()
    result = LoadResult()
    listings = []
    for listing in read_listings(data_dir):
        if problem := clean_listing(listing):
            result.skipped.append(f"{listing.external_id} {listing.name}: {problem}")
        else:
            listings.append(listing)
    term_ids = dict(Term.objects.values_list("code", "pk"))
    organization_ids = _organization_ids(listings)
    existing = {p.external_id: p for p in Program.objects.filter(source=SOURCE)}
    Link = Program.terms.through
    linked = defaultdict(set)
    for program_id, term_id in Link.objects.filter(program__source=SOURCE).values_list(
        "program_id", "term_id"
    ):
        linked[program_id].add(term_id)

    new, changed, relinked, links, terms_of_new, states, taken = [], [], [], [], {}, set(), set()
    for listing in listings:
        values = program_values(listing, today=today)
        values["organization_id"] = organization_ids[listing.organization]
        wanted = {term_ids[code] for code in listing.terms if code in term_ids}
        program = existing.get(listing.external_id)
        if program is not None:
            # A verification date records when someone checked: a rerun must not move it.
            values["last_verified"] = program.last_verified
        if program is None:
            program = Program(source=SOURCE, external_id=listing.external_id, **values)
        elif any(_db(name, getattr(program, name)) != _db(name, values[name]) for name in FIELDS):
            for name in FIELDS:
                setattr(program, name, values[name])
        elif wanted == linked[program.pk]:
            result.unchanged += 1
            states.add(program.state)
            continue
        if problem := _invalid(program):
            result.skipped.append(f"{listing.external_id} {listing.name}: {problem}")
            continue
        states.add(program.state)
        if program.pk is None:
            program.slug = unique_slug(listing.name, listing.city, taken=taken)
            new.append(program)
            terms_of_new[listing.external_id] = wanted
            continue
        program.updated = timezone.now()  # bulk_update does not touch auto_now fields
        changed.append(program)
        if wanted != linked[program.pk]:
            relinked.append(program.pk)
            links += [Link(program_id=program.pk, term_id=t) for t in sorted(wanted)]

    Program.objects.bulk_create(new, batch_size=500)
    for program in new:
        links += [Link(program_id=program.pk, term_id=t) for t in terms_of_new[program.external_id]]
    if changed:
        Program.objects.bulk_update(changed, [*FIELDS, "updated"], batch_size=500)
    Link.objects.filter(program_id__in=relinked).delete()
    Link.objects.bulk_create(links, batch_size=1000)
    result.created, result.updated, result.states = len(new), len(changed), len(states)
    return result


def _db(name: str, value):
    """The value as stored, so a PhoneNumber compares equal to its E.164 string."""
    return Program._meta.get_field(name).get_prep_value(value)


def _invalid(program: Program) -> str:
    try:
        program.clean_fields(exclude=["slug", "organization"])
    except ValidationError as error:
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return ""


def _organization_ids(listings: list[Listing]) -> dict[str, int]:
    """Reuse organizations by name (the oldest of a name), creating the missing ones."""
    names = {listing.organization for listing in listings}
    ids = dict(
        Organization.objects.filter(name__in=names).order_by("-pk").values_list("name", "pk")
    )
    missing = {}
    for listing in listings:
        if listing.organization not in ids:
            missing.setdefault(listing.organization, listing.website)
    created = Organization.objects.bulk_create(
        [Organization(name=name, website=website) for name, website in missing.items()]
    )
    ids.update((organization.name, organization.pk) for organization in created)
    return ids
