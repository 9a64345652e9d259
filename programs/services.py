"""Writes that touch several rows: publication, verification, slugs, imports."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from programs.models import Organization, Program, Term


@transaction.atomic
def set_status(*, programs, status: str) -> int:
    """Move programs to a publication status; returns how many changed."""
    return programs.exclude(status=status).update(status=status, updated=timezone.now())


@transaction.atomic
def mark_verified(*, programs, on: date | None = None) -> int:
    """Record that staff checked these listings on `on` (today by default)."""
    return programs.update(last_verified=on or timezone.localdate(), updated=timezone.now())


def unique_slug(*parts: str, taken: set[str] | None = None) -> str:
    """A URL slug built from `parts` ("name", "city") that no program uses yet.

    `taken` lets a bulk loader reserve slugs it has not saved yet.
    """
    max_length = Program._meta.get_field("slug").max_length
    # slugify drops "/" silently, which would glue "A/B" into "ab".
    base = (
        slugify("-".join(p.replace("/", " ") for p in parts if p))[: max_length - 6].strip("-")
        or "program"
    )
    taken = taken if taken is not None else set()
    slug, n = base, 1
    while slug in taken or Program.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


@dataclass
class ImportPlan:
    """What an import writes: (program, organization name, term codes or None to leave)."""

    new: list[tuple[Program, str, set[str]]] = field(default_factory=list)
    changed: list[tuple[Program, str, set[str] | None]] = field(default_factory=list)


# Every field an import may change on an existing listing.
IMPORTED_FIELDS = [
    "name", "organization", "description", "street", "street2", "city", "state", "zip_code",
    "latitude", "longitude", "location_approximate", "phone", "phone_extension", "intake_phone",
    "website", "imported_values", "updated",
]  # fmt: skip


@transaction.atomic
def save_import(*, plan: ImportPlan, change_reason: str) -> None:
    """Write an import's new and changed listings, their organizations and their terms.

    All of an import's writes happen here, so a history of changes can record `change_reason`
    ("import samhsa-locator facilities.csv") in one place.
    """
    organization_ids = _organization_ids({name for _p, name, _t in plan.new + plan.changed})
    now = timezone.now()
    for program, organization, _terms in plan.new + plan.changed:
        program.organization_id = organization_ids.get(organization)
        program.updated = now  # bulk_update does not touch auto_now fields
    Program.objects.bulk_create([program for program, _o, _t in plan.new], batch_size=500)
    Program.objects.bulk_update(
        [program for program, _o, _t in plan.changed], IMPORTED_FIELDS, batch_size=500
    )
    _relink({p.pk: terms for p, _o, terms in plan.new + plan.changed if terms is not None})


def _relink(terms_by_program: dict[int, set[str]]) -> None:
    """Replace each program's terms with the given codes (codes no term has are skipped)."""
    term_ids = dict(Term.objects.values_list("code", "pk"))
    Link = Program.terms.through
    for chunk in _chunks(list(terms_by_program), 500):
        Link.objects.filter(program_id__in=chunk).delete()
    Link.objects.bulk_create(
        [
            Link(program_id=pk, term_id=term_ids[code])
            for pk, codes in terms_by_program.items()
            for code in sorted(codes)
            if code in term_ids
        ],
        batch_size=1000,
    )


def save_demo_details(*, changes: list[tuple[Program, set[str] | None]], fields: list[str]):
    """Write the demo's made-up details: (program, its term codes, or None to leave them)."""
    now = timezone.now()
    for program, _terms in changes:
        program.updated = now
    Program.objects.bulk_update([p for p, _t in changes], [*fields, "updated"], batch_size=500)
    _relink({program.pk: terms for program, terms in changes if terms is not None})


def term_codes_by_program(*, source: str) -> dict[int, set[str]]:
    """{program pk: its term codes} for every program of `source`, in one query."""
    codes = {}
    for pk, code in Program.terms.through.objects.filter(program__source=source).values_list(
        "program_id", "term__code"
    ):
        codes.setdefault(pk, set()).add(code)
    return codes


def _organization_ids(names: set[str]) -> dict[str, int]:
    """Reuse organizations by name (the oldest of a name), creating the missing ones."""
    names.discard("")
    ids = {}
    for chunk in _chunks(sorted(names), 500):
        rows = Organization.objects.filter(name__in=chunk).order_by("-pk")
        ids.update(rows.values_list("name", "pk"))
    created = Organization.objects.bulk_create(
        [Organization(name=name) for name in sorted(names - ids.keys())], batch_size=500
    )
    ids.update((organization.name, organization.pk) for organization in created)
    return ids


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
