"""Writes that touch several rows: publication, verification, slugs for new listings."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from programs.models import Program


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
