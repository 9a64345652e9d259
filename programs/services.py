"""Writes that touch several rows: publication, verification, availability, slugs, imports,
and the history each of them records."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from programs.models import Organization, Program, Term, Verification

# Fields whose change stamps a date searchers see ("updated 3 days ago").
AVAILABILITY_FIELDS = {"accepting": "accepting_updated", "wait_weeks": "accepting_updated"}
BEDS_FIELDS = {"beds_available": "beds_updated"}


@transaction.atomic
def set_status(*, programs, status: str, user=None) -> int:
    """Move programs to a publication status; returns how many changed. Recorded in history."""
    changed = list(programs.exclude(status=status))
    now = timezone.now()
    for program in changed:
        program.status, program.updated = status, now
    _update(changed, status=status, updated=now)
    record_history(programs=changed, user=user)
    return len(changed)


@transaction.atomic
def mark_verified(
    *,
    programs,
    on: date | None = None,
    method: str = Verification.Method.OTHER,
    note: str = "",
    user=None,
) -> int:
    """Record that staff checked these listings on `on` (today by default), and how."""
    on = on or timezone.localdate()
    checked = list(programs)
    Verification.objects.bulk_create(
        Verification(program=program, verified_on=on, method=method, note=note, verified_by=user)
        for program in checked
    )
    now = timezone.now()
    # A verification recorded for an earlier day never makes a listing look older.
    older = [p for p in checked if p.last_verified is None or p.last_verified < on]
    _update(older, last_verified=on, updated=now)
    _update(
        [p for p in checked if p.last_verified is not None and p.last_verified >= on], updated=now
    )
    for program in checked:
        program.updated = now
    for program in older:
        program.last_verified = on
    record_history(programs=checked, user=user)
    return len(checked)


def last_verified_on(program: Program) -> date | None:
    """The day of the listing's latest verification record; the stored date if it has none.

    A revert in History restores an old version whole: this keeps its "last verified" from
    moving back to that version's day.
    """
    latest = program.verifications.order_by("-verified_on").values_list("verified_on", flat=True)
    stored = Program.objects.filter(pk=program.pk).values_list("last_verified", flat=True)
    return max((day for day in (latest.first(), stored.first()) if day), default=None)


@transaction.atomic
def update_listing(
    *, program: Program, values: dict, term_codes=None, user=None, reason: str = ""
) -> list[str]:
    """Change one listing's fields (and its terms, given codes) as one History record.

    Availability and beds get today's date when they change. Returns the changed field names.
    """
    changed = [name for name, value in values.items() if getattr(program, name) != value]
    for name in changed:
        setattr(program, name, values[name])
    stamp_availability(program, changed)
    old_terms = set(program.terms.values_list("code", flat=True))
    terms_change = term_codes is not None and set(term_codes) != old_terms
    if not changed and not terms_change:
        return []
    # One record for the whole change, terms included, rather than one per save and m2m step.
    program.skip_history_when_saving = True
    try:
        program.save()
        if terms_change:
            program.terms.set(Term.objects.filter(code__in=term_codes))
            changed.append("terms")
    finally:
        del program.skip_history_when_saving
    record_history(programs=[program], user=user, reason=reason)
    return changed


def _update(programs: list[Program], **values) -> None:
    """Give these programs the same new values: one UPDATE per 500, not bulk_update's CASEs."""
    pks = [program.pk for program in programs]
    for start in range(0, len(pks), 500):
        Program.objects.filter(pk__in=pks[start : start + 500]).update(**values)


def stamp_availability(program: Program, changed: Iterable[str]) -> None:
    """Date the availability and beds a staff member (or an import) just changed."""
    today = timezone.localdate()
    for name, stamp in (AVAILABILITY_FIELDS | BEDS_FIELDS).items():
        if name in changed:
            setattr(program, stamp, today)


def record_history(*, programs: list[Program], user=None, reason: str = "", created=False):
    """One history record per program, terms included, for writes made in bulk.

    Call it after the bulk write and after relinking terms (an import: reason="Import: <file>",
    created=True for the new listings). simple-history's own bulk helpers do not snapshot the
    terms, so a revert to their records would untag the program: we copy them here.
    """
    if not programs:
        return
    records = Program.history.bulk_history_create(
        programs, update=not created, default_user=user, default_change_reason=reason or None
    )
    HistoricalTerms = Program.history.model.terms.model
    record_for = {record.id: record for record in records}  # record.id is the program's pk
    pks = list(record_for)
    for start in range(0, len(pks), 500):  # an import's thousands would overflow one IN (...)
        rows = Program.terms.through.objects.filter(program_id__in=pks[start : start + 500])
        HistoricalTerms.objects.bulk_create(
            HistoricalTerms(history=record_for[row.program_id], **_row_values(row)) for row in rows
        )


def _row_values(row) -> dict:
    return {"id": row.id, "program_id": row.program_id, "term_id": row.term_id}


@dataclass
class ImportPlan:
    """What an import writes: (program, organization name, term codes or None to leave)."""

    new: list[tuple[Program, str, set[str]]] = field(default_factory=list)
    changed: list[tuple[Program, str, set[str] | None]] = field(default_factory=list)


# Every field an import may change on an existing listing.
IMPORTED_FIELDS = [
    "name", "organization", "description", "street", "street2", "city", "state", "zip_code",
    "latitude", "longitude", "location_approximate", "phone", "phone_extension", "intake_phone",
    "website", "hours", "accepting", "wait_weeks", "accepting_updated", "beds_available",
    "beds_updated", "last_verified", "imported_values", "updated",
]  # fmt: skip


@transaction.atomic
def save_import(*, plan: ImportPlan, change_reason: str) -> None:
    """Write an import's new and changed listings, their organizations and their terms.

    All of an import's writes happen here, so each listing's history records `change_reason`
    ("import samhsa-locator facilities.csv") in one place.
    """
    websites = {}  # a format that gives organizations' websites has them in imported_values
    for program, name, _t in plan.new + plan.changed:
        if website := program.imported_values.get("organization_website"):
            websites.setdefault(name, website)
    organization_ids = _organization_ids(
        {name for _p, name, _t in plan.new + plan.changed}, websites=websites
    )
    now = timezone.now()
    for program, organization, _terms in plan.new + plan.changed:
        program.organization_id = organization_ids.get(organization)
        program.updated = now  # bulk_update does not touch auto_now fields
    Program.objects.bulk_create([program for program, _o, _t in plan.new], batch_size=500)
    Program.objects.bulk_update(
        [program for program, _o, _t in plan.changed], IMPORTED_FIELDS, batch_size=500
    )
    _relink({p.pk: terms for p, _o, terms in plan.new + plan.changed if terms is not None})
    new, changed = [p for p, _o, _t in plan.new], [p for p, _o, _t in plan.changed]
    record_history(programs=new, reason=change_reason, created=True)
    record_history(programs=changed, reason=change_reason)


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
    record_history(programs=[p for p, _t in changes], reason="demo details")


def term_codes_by_program(*, source: str) -> dict[int, set[str]]:
    """{program pk: its term codes} for every program of `source`, in one query."""
    codes = {}
    for pk, code in Program.terms.through.objects.filter(program__source=source).values_list(
        "program_id", "term__code"
    ):
        codes.setdefault(pk, set()).add(code)
    return codes


def _organization_ids(names: set[str], *, websites: dict[str, str]) -> dict[str, int]:
    """Reuse organizations by name (the oldest of a name), creating the missing ones.

    A new organization gets the file's website for it; an existing one gets it only if it has
    none, so a website staff entered is never overwritten.
    """
    names.discard("")
    ids = {}
    for chunk in _chunks(sorted(names), 500):
        rows = Organization.objects.filter(name__in=chunk).order_by("-pk")
        ids.update(rows.values_list("name", "pk"))
    _fill_websites({ids[name]: website for name, website in websites.items() if name in ids})
    created = Organization.objects.bulk_create(
        [
            Organization(name=name, website=websites.get(name, ""))
            for name in sorted(names - ids.keys())
        ],
        batch_size=500,
    )
    ids.update((organization.name, organization.pk) for organization in created)
    return ids


def _fill_websites(websites: dict[int, str]) -> None:
    """Give organizations without a website the one a file gives (batched: one per 500)."""
    empty = set()
    for chunk in _chunks(list(websites), 500):
        rows = Organization.objects.filter(pk__in=chunk, website="")
        empty.update(rows.values_list("pk", flat=True))
    now = timezone.now()  # their `updated` moves, so cached pages showing them are redrawn
    filled = [Organization(pk=pk, website=websites[pk], updated=now) for pk in sorted(empty)]
    Organization.objects.bulk_update(filled, ["website", "updated"], batch_size=500)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
