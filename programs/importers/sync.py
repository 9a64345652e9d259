"""Upsert a file's rows into the directory: the import behaviour every format shares.

- A listing is keyed by (source, external_id); the source is the format's name. Sources without
  ids get a derived id (`core.derived_id`: a hash of the normalized name, street or city, and
  ZIP); the n-th different listing with the same derived id in one file gets "-n" appended, and
  a row identical to an earlier one is rejected as a duplicate.
- Publication: a new listing is published. A re-import never changes a listing's status, so
  a listing staff archived (or took back to draft) stays that way.
- Staff edits win, and are reported: every imported listing keeps the values the last import
  gave it (`Program.imported_values`). On a re-import, a field whose current value differs from
  that snapshot was changed by staff since, so it is kept and listed in the summary's "kept staff
  edits"; every other field takes the file's value. Terms merge the same way, term by term:
  the file's additions and removals since the last import apply, staff's own additions and
  removals stay. The snapshot then records the file's values, so the next import compares
  against them.
- Every row is checked as the database will store it (`Program.full_clean()`, lengths included),
  in the dry run and the real run alike, so a row the dry run accepted is one the real run can
  write; a row that fails is rejected with its line and the field's message.
- All writes happen in one transaction: a crash mid-file, or `strict` with a bad row, leaves
  the database as it was; `dry_run` computes the same summary and writes nothing. Checking the
  rows (the slow part) happens before the transaction, so a background job's progress is seen
  as it goes; if any listing changed meanwhile, the file is checked again inside it.
"""

import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from programs import services
from programs.importers import FORMATS
from programs.importers.core import ImportFileError, Rejected, Row, TermCodes, clean
from programs.models import Organization, Program

# Compared and written field by field; "organization" is the organization's name.
FIELDS = [
    "name", "organization", "description", "street", "street2", "city", "state", "zip_code",
    "latitude", "longitude", "location_approximate", "phone", "phone_extension", "intake_phone",
    "website",
]  # fmt: skip
# Written only when a row gives them (core.Row.facts: HSDS carries them, other formats do not),
# so an import never blanks what staff or providers entered; compared like FIELDS.
OPTIONAL_FIELDS = [
    "hours", "accepting", "wait_weeks", "accepting_updated", "beds_available", "beds_updated",
    "last_verified",
]  # fmt: skip
_DATES = ("accepting_updated", "beds_updated", "last_verified")  # in values as YYYY-MM-DD


MAX_ID_LENGTH = Program._meta.get_field("external_id").max_length
# What an import writes on a listing besides FIELDS; the rest is never checked (staff's own).
WRITTEN = {
    *FIELDS, *OPTIONAL_FIELDS, "slug", "source", "external_id", "status", "imported_values"
} - {"organization"}  # fmt: skip
# PostgreSQL stores neither NUL nor a lone surrogate (what an undecodable byte or a bad JSON
# escape becomes), in text or in JSON; no field check looks for them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
NOT_WRITTEN = [f.name for f in Program._meta.concrete_fields if f.name not in WRITTEN]


@dataclass
class ImportResult:
    format: str
    dry_run: bool = False
    encoding: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    unmapped: Counter = field(default_factory=Counter)  # source code or label → rows
    kept_staff_edits: list[str] = field(default_factory=list)  # "line 12 Name: phone, terms"
    rolled_back: bool = False  # strict mode met a bad row
    external_ids: list[str] = field(default_factory=list)  # of the rows accepted


class ImportWriteError(Exception):
    """The database refused the import's writes, which the row checks did not foresee.

    The transaction has rolled back: nothing of the file was written.
    """


class StrictModeError(Exception):
    """`strict` and at least one rejected row: nothing was written."""

    def __init__(self, result: ImportResult):
        super().__init__(f"{len(result.rejected)} rows rejected; nothing was imported.")
        self.result = result


def import_file(
    data: bytes | dict[str, bytes],
    *,
    format: str,
    filename: str = "",
    encoding: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import one file's bytes in `format`; raises ImportFileError if it is not that format."""
    if format not in FORMATS:
        raise ImportFileError(f"Unknown format {format!r}.")
    reader = FORMATS[format]
    result = ImportResult(format=format, dry_run=dry_run)
    taxonomy = TermCodes.load()
    rows = list(reader.read(data, encoding=encoding, taxonomy=taxonomy, result=result))
    result.rows = len(rows)
    checked_at = timezone.now()
    plan = _plan(rows, source=reader.SOURCE, result=result, progress=progress)
    if strict and result.rejected:
        result.rolled_back = True
        raise StrictModeError(result)
    if dry_run:
        return result
    try:
        with transaction.atomic():
            if Program.objects.filter(updated__gte=checked_at).exists():
                # A staff edit or another import changed listings while the rows were checked:
                # check them again inside the transaction, so no edit is overwritten unseen.
                result = _fresh(result)
                plan = _plan(rows, source=reader.SOURCE, result=result, progress=None)
                if strict and result.rejected:
                    result.rolled_back = True
                    raise StrictModeError(result)
            services.save_import(plan=plan, change_reason=f"import {format} {filename}".strip())
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ImportWriteError(
            f"The database refused the import ({type(error).__name__}: {first_line}). "
            "Nothing was written."
        ) from error
    return result


def _fresh(result: ImportResult) -> ImportResult:
    """An empty result for the same file, to plan it again."""
    return ImportResult(
        format=result.format, dry_run=result.dry_run, encoding=result.encoding, rows=result.rows
    )


def _plan(rows: list[Row], *, source: str, result: ImportResult, progress) -> services.ImportPlan:
    existing = {
        p.external_id: p
        for p in Program.objects.filter(source=source).select_related("organization")
    }
    terms_of = services.term_codes_by_program(source=source)
    plan = services.ImportPlan()
    taken = set(Program.objects.values_list("slug", flat=True))
    seen: dict[str, tuple[int, dict]] = {}  # external id → (line, values) in this file
    if progress:
        progress(0, len(rows))
    for n, row in enumerate(rows, 1):
        if progress and (n % 250 == 0 or n == len(rows)):
            progress(n, len(rows))
        result.unmapped.update(row.unmapped)
        values, problem = clean(row)
        if not problem:
            external_id, problem = _unique_id(row, values, seen)
        if problem:
            result.rejected.append(Rejected(row.line, problem, str(row.name or "")[:80]))
            continue
        program = existing.get(external_id)
        if program is None:
            new = _new_program(source, external_id, values, taken)
            if problem := _refused(new[0], values["organization"]):
                taken.discard(new[0].slug)
                result.rejected.append(Rejected(row.line, problem, values["name"][:80]))
                continue
            result.external_ids.append(external_id)
            plan.new.append(new)
            result.created += 1
            continue
        current = _current(program, terms_of.get(program.pk, set()))
        target, kept = _merge(current, values, program.imported_values or {})
        if target != current or program.imported_values != values:
            _assign(program, target)  # never saved if refused: the plan leaves it out
            if problem := _refused(program, target["organization"]):
                result.rejected.append(Rejected(row.line, problem, values["name"][:80]))
                continue
        result.external_ids.append(external_id)
        if kept:
            result.kept_staff_edits.append(f"line {row.line} {values['name']}: {', '.join(kept)}")
        if target == current and program.imported_values == values:
            result.unchanged += 1
            continue
        program.imported_values = values
        terms = set(target["terms"]) if target["terms"] != current["terms"] else None
        plan.changed.append((program, target["organization"], terms))
        result.updated += 1
    return plan


def _refused(program: Program, organization: str) -> str:
    """Why the database would refuse this listing as the import writes it, or "".

    Each written field's own checks (lengths, choices, ZIP, phone, URL), as `full_clean()` runs
    them. Uniqueness is not asked row by row: the plan already keeps ids and slugs unique.
    """
    for name in [*WRITTEN, "organization"]:
        value = organization if name == "organization" else getattr(program, name)
        if isinstance(value, str) and _UNSTORABLE.search(value):
            return f"{name.replace('_', ' ')}: a NUL character or an undecodable byte"
    try:
        program.clean_fields(exclude=NOT_WRITTEN)
        Organization(name=organization).clean_fields(exclude=["website"])
    except ValidationError as error:
        return "; ".join(
            f"{name.replace('_', ' ')}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return ""


def _unique_id(row: Row, values: dict, seen: dict) -> tuple[str, str]:
    """The row's external id, unique in this file; or a problem if it repeats a row."""
    base, n = row.external_id, 1  # the row itself is left as read, so a second plan agrees
    if len(base) > MAX_ID_LENGTH - 4:  # room for a "-n" suffix
        return "", f"id longer than {MAX_ID_LENGTH - 4} characters"
    candidate = base
    while candidate in seen:
        line, earlier = seen[candidate]
        if earlier == values:
            return "", f"duplicate of line {line}"
        if not row.id_derived:
            return "", f"id {base!r} already used on line {line}"
        n += 1
        candidate = f"{base}-{n}"
    seen[candidate] = (row.line, values)
    return candidate, ""


def _new_program(source: str, external_id: str, values: dict, taken: set[str]):
    program = Program(
        source=source,
        external_id=external_id,
        status=Program.Status.PUBLISHED,
        imported_values=values,
        slug=_slug(values["name"], values["city"], taken),
    )
    _assign(program, values)
    return program, values["organization"], set(values["terms"])


def _assign(program: Program, values: dict) -> None:
    for name in [*FIELDS, *OPTIONAL_FIELDS]:
        if name != "organization" and name in values:
            setattr(program, name, values[name])


def _current(program: Program, term_codes: set[str]) -> dict:
    """The program's values in the form clean() gives, so the two compare."""
    names = [*FIELDS, *OPTIONAL_FIELDS]
    values = {name: getattr(program, name) for name in names if name != "organization"}
    for name in ("phone", "intake_phone"):
        values[name] = values[name].as_e164 if values[name] else ""
    for name in _DATES:
        values[name] = values[name].isoformat() if values[name] else None
    values["organization"] = program.organization.name if program.organization else ""
    values["terms"] = sorted(term_codes)
    return values


def _merge(current: dict, incoming: dict, last: dict) -> tuple[dict, list[str]]:
    """(values to store, fields where a staff edit was kept over a different file value)."""
    target, kept = {}, []
    for name in [*FIELDS, *OPTIONAL_FIELDS]:
        given = incoming.get(name, current[name])  # an optional fact the row lacks stays
        staff_edited = name in last and current[name] != last[name]
        target[name] = current[name] if staff_edited else given
        if staff_edited and given != current[name]:
            kept.append(name)
    now, new = set(current["terms"]), set(incoming["terms"])
    before = set(last.get("terms", current["terms"]))
    target["terms"] = sorted((now | (new - before)) - (before - new))
    if now != before and set(target["terms"]) != new:
        kept.append("terms")
    return target, kept


def _slug(name: str, city: str, taken: set[str]) -> str:
    """A slug no program uses; `taken` holds every slug, so no query per listing."""
    max_length = Program._meta.get_field("slug").max_length
    base = slugify(f"{name} {city}".replace("/", " "))[: max_length - 6].strip("-") or "program"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def terminal_progress(stream=sys.stderr) -> Callable[[int, int], None] | None:
    """A one-line progress bar when `stream` is a terminal, else None (logs stay clean)."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        filled = 30 * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} rows")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show
