"""Upsert a file's rows into the directory: the import behaviour every format shares.

- A listing is keyed by (source, external_id); the source is the format's name. Sources without
  ids are identified by their normalized name, street and ZIP, and a move is matched as an
  update (`programs.importers.identity`); an exact repeat of a row is rejected as a duplicate.
- Publication: a new listing is published. A re-import never changes a listing's status, so
  a listing staff archived (or took back to draft) stays that way; only a full refresh
  (`replace_scope`, `programs.importers.refresh`) archives listings its file no longer has.
- Every real import stores what it changed, listing by listing (`ImportReport`).
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
from programs.importers import FORMATS, identity, refresh
from programs.importers.core import ImportFileError, Rejected, Row, TermCodes, clean
from programs.importers.report import Change, save_report
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
    moved: int = 0
    reappeared: int = 0
    unchanged: int = 0
    rekeyed: int = 0  # listings whose id changed to today's key (an older scheme, a move)
    rejected: list[Rejected] = field(default_factory=list)
    unmapped: Counter = field(default_factory=Counter)  # source code or label → rows
    kept_staff_edits: list[str] = field(default_factory=list)  # "line 12 Name: phone, terms"
    rolled_back: bool = False  # strict mode met a bad row
    external_ids: list[str] = field(default_factory=list)  # of the rows accepted
    scope: str = ""  # a full refresh's states ("AZ CA"), or "all"; "" for a plain import
    retired: list[Program] = field(default_factory=list)  # newly not in the source
    still_missing: int = 0  # flagged by an earlier refresh, still not in the source
    archived: list[Program] = field(default_factory=list)  # hidden: grace period over
    changes: list[Change] = field(default_factory=list)
    report_id: int | None = None


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
    replace_scope: str = "",
    force: bool = False,
    retire_now: bool = False,
    grace_days: int | None = None,
) -> ImportResult:
    """Import one file's bytes in `format`; raises ImportFileError if it is not that format.

    `replace_scope` ("all", or state codes like "AZ,CA") makes it a full refresh: see
    programs.importers.refresh. It raises refresh.RefreshLimitError, writing nothing, when the
    file would take off more listings than the safety limit allows and `force` is not set.
    """
    if format not in FORMATS:
        raise ImportFileError(f"Unknown format {format!r}.")
    reader = FORMATS[format]
    states = refresh.parse_scope(replace_scope)  # a bad scope fails before the file is read
    result = ImportResult(format=format, dry_run=dry_run, scope=refresh.scope_label(states))
    taxonomy = TermCodes.load()
    rows = list(reader.read(data, encoding=encoding, taxonomy=taxonomy, result=result))
    result.rows = len(rows)
    checked_at = timezone.now()
    options = {"states": states, "force": force, "retire_now": retire_now, "grace_days": grace_days}
    plan = _plan(rows, source=reader.SOURCE, result=result, progress=progress, **options)
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
                plan = _plan(rows, source=reader.SOURCE, result=result, progress=None, **options)
                if strict and result.rejected:
                    result.rolled_back = True
                    raise StrictModeError(result)
            reason = f"import {format} {filename}".strip()
            refresh.rekey(plan.rekeyed)
            services.save_import(plan=plan.write, change_reason=reason)
            recorded = {p.pk for p, _o, _t in plan.write.new + plan.write.changed}
            refresh.save_flags(
                result=result, reappeared=plan.reappeared, recorded=recorded, reason=reason
            )
            result.report_id = save_report(result, filename).pk
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
        format=result.format,
        dry_run=result.dry_run,
        encoding=result.encoding,
        rows=result.rows,
        scope=result.scope,
    )


@dataclass
class Plan:
    """What services.save_import writes, and what only an import with identities does."""

    write: services.ImportPlan = field(default_factory=services.ImportPlan)
    rekeyed: list[Program] = field(default_factory=list)  # external_id set to the row's
    reappeared: list[Program] = field(default_factory=list)


def _plan(
    rows: list[Row],
    *,
    source: str,
    result: ImportResult,
    progress,
    states,
    force,
    retire_now,
    grace_days,
) -> Plan:
    programs = list(Program.objects.filter(source=source).select_related("organization"))
    terms_of = services.term_codes_by_program(source=source)
    plan = Plan()
    taken = set(Program.objects.values_list("slug", flat=True))
    items = _checked(rows, result, progress)
    found = identity.match(items, programs)
    for index, item in enumerate(items):
        values, line = item.values, item.line
        if index not in found:
            new = _new_program(source, item.external_id, values, taken)
            if problem := _refused(new[0], values["organization"]):
                taken.discard(new[0].slug)
                result.rejected.append(Rejected(line, problem, values["name"][:80]))
                continue
            result.external_ids.append(item.external_id)
            plan.write.new.append(new)
            result.changes.append(Change("new", new[0], line))
            result.created += 1
            continue
        program, how = found[index]
        last = program.imported_values or {}
        current = _current(program, terms_of.get(program.pk, set()))
        target, kept = _merge(current, values, last)
        if target != current or last != values:
            _assign(program, target)  # never saved if refused: the plan leaves it out
            if problem := _refused(program, target["organization"]):
                result.rejected.append(Rejected(line, problem, values["name"][:80]))
                continue
        result.external_ids.append(item.external_id)
        if program.external_id != item.external_id:
            program.external_id = item.external_id
            plan.rekeyed.append(program)
            result.rekeyed += 1
        if program.not_in_source_since or program.retired_by_import:
            refresh.reappear(program)
            plan.reappeared.append(program)
            result.reappeared += 1
            result.changes.append(Change("reappeared", program, line))
        if kept:
            result.kept_staff_edits.append(f"line {line} {values['name']}: {', '.join(kept)}")
            result.changes.append(Change("kept staff edits", program, line, kept))
        if target == current and last == values:
            result.unchanged += 1
            continue
        program.imported_values = values
        terms = set(target["terms"]) if target["terms"] != current["terms"] else None
        plan.write.changed.append((program, target["organization"], terms))
        changed = [name for name in target if target[name] != current[name]]
        if how == "moved" or _moved(last, values):
            result.moved += 1
            detail = f"from {last.get('street', '')}, {last.get('zip_code', '')}".strip(", ")
            result.changes.append(Change("moved", program, line, changed, detail))
        else:
            result.updated += 1
            result.changes.append(Change("updated", program, line, changed))
    if states is not None:
        refresh.plan_retirement(
            scope=[p for p in programs if refresh.in_scope(p, states)],
            matched={program.pk for program, _how in found.values()},
            result=result,
            force=force,
            retire_now=retire_now,
            grace_days=grace_days,
        )
    return plan


def _checked(rows: list[Row], result: ImportResult, progress) -> list[identity.Item]:
    """The rows clean() accepts, each with its id; the others rejected with their reason."""
    items, seen = [], {}  # seen: a source's own id → (first line, values) with it
    if progress:
        progress(0, len(rows))
    for n, row in enumerate(rows, 1):
        if progress and (n % 250 == 0 or n == len(rows)):
            progress(n, len(rows))
        result.unmapped.update(row.unmapped)
        values, problem = clean(row)
        if not problem and not row.id_derived:
            if len(row.external_id) > MAX_ID_LENGTH:
                problem = f"id longer than {MAX_ID_LENGTH} characters"
            elif row.external_id in seen:
                line, earlier = seen[row.external_id]
                problem = (
                    f"duplicate of line {line}"
                    if earlier == values
                    else f"id {row.external_id!r} already used on line {line}"
                )
            else:
                seen[row.external_id] = (row.line, values)
        if problem:
            result.rejected.append(Rejected(row.line, problem, str(row.name or "")[:80]))
            continue
        items.append(
            identity.Item(row.line, values, row.external_id, row.id_derived, row.external_id)
        )
    repeated = identity.assign_ids(items)
    for item, problem in repeated:
        result.rejected.append(Rejected(item.line, problem, item.values["name"][:80]))
    result.rejected.sort(key=lambda r: r.line)
    dropped = {id(item) for item, _problem in repeated}
    return [item for item in items if id(item) not in dropped]


def _moved(last: dict, values: dict) -> bool:
    """Whether the source now gives another street or ZIP than it did (a source with ids)."""
    if not last:
        return False
    before = (identity.normal_street(last.get("street", "")), str(last.get("zip_code", ""))[:5])
    return before != (identity.normal_street(values["street"]), values["zip_code"][:5])


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
