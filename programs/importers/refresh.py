"""A full refresh: the file is the whole directory for its states, so what it lacks has closed.

`import_programs FILE --format samhsa-locator --replace-scope AZ,CA` (or `all`: every listing
of that source). A listing of the source in scope that no row matches is flagged "not in the
source since <today>" (kept on later refreshes, so the date is when it first went missing); it
stays published for a grace period (a monthly export can miss a facility once), then the next
refresh archives it, marked as archived by the import. `retire_now` archives at once. A listing
that shows up again is un-flagged and, if an import archived it, published again; a listing
staff archived is never touched. Between refreshes, `manage.py archive_missing` (daily, from
cron) archives the listings whose grace period has run out, so a closure leaves search on time
even if the next file comes late. The safety limit refuses a refresh that would flag more than
RETIRE_LIMIT of the scope's live listings at once (a truncated or wrong-state file), writing
nothing, unless forced.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from programs import services
from programs.importers.core import ImportFileError
from programs.importers.report import Change
from programs.models import Program
from programs.states import STATE_NAMES

# Defaults for the settings IMPORT_RETIRE_GRACE_DAYS and IMPORT_RETIRE_LIMIT.
GRACE_DAYS = 45  # a facility missing from one monthly file is still listed
RETIRE_LIMIT = 0.10  # a refresh taking off more than a tenth of its scope is refused


class RefreshLimitError(Exception):
    """The refresh would flag more listings than the safety limit allows; nothing was written."""

    def __init__(self, result, *, missing: int, live: int, limit: float):
        super().__init__(
            f"This file would mark {missing} of the {live} listings in scope "
            f"({missing / max(live, 1):.0%}) as no longer in the source, more than the "
            f"{limit:.0%} safety limit. Nothing was written. Check that the file is complete "
            "and covers the states in scope, or force the refresh."
        )
        self.result = result


def parse_scope(text: str) -> frozenset[str] | None:
    """None (not a refresh), {"*"} for all, or the state codes of "AZ, ca"."""
    text = (text or "").strip()
    if not text:
        return None
    if text.lower() == "all":
        return frozenset({"*"})
    states = {part.strip().upper() for part in text.replace(" ", ",").split(",") if part.strip()}
    if unknown := sorted(states - set(STATE_NAMES)):
        raise ImportFileError(f"Unknown state code in the refresh scope: {', '.join(unknown)}.")
    return frozenset(states)


def scope_label(states: frozenset[str] | None) -> str:
    if states is None:
        return ""
    return "all" if "*" in states else " ".join(sorted(states))


def in_scope(program: Program, states: frozenset[str]) -> bool:
    return "*" in states or program.state in states


def default_grace_days() -> int:
    return int(getattr(settings, "IMPORT_RETIRE_GRACE_DAYS", GRACE_DAYS))


def plan_retirement(
    *, scope: list[Program], matched: set[int], result, force, retire_now, grace_days=None
) -> None:
    """Flag (in memory) the scope's listings no row matched, and pick those to archive."""
    today = timezone.localdate()
    archived = Program.Status.ARCHIVED
    live = [p for p in scope if p.status != archived]
    missing = [p for p in live if p.pk not in matched]
    new = [p for p in missing if p.not_in_source_since is None]
    limit = float(getattr(settings, "IMPORT_RETIRE_LIMIT", RETIRE_LIMIT))
    if len(new) > limit * len(live) and not force:
        raise RefreshLimitError(result, missing=len(new), live=len(live), limit=limit)
    result.still_missing = len(missing) - len(new)
    for program in new:
        program.not_in_source_since = today
        result.retired.append(program)
        result.changes.append(Change("not in source", program, detail=f"since {today}"))
    days = default_grace_days() if grace_days is None else grace_days
    cutoff = today - timedelta(days=days)
    for program in missing:
        if program.status == Program.Status.PUBLISHED and (
            retire_now or program.not_in_source_since <= cutoff
        ):
            program.status, program.retired_by_import = archived, True
            result.archived.append(program)
            detail = f"not in the source since {program.not_in_source_since}"
            result.changes.append(Change("archived", program, detail=detail))


def reappear(program: Program) -> None:
    """A flagged listing is in the source again: un-flag it; publish it if an import archived it."""
    if program.retired_by_import and program.status == Program.Status.ARCHIVED:
        program.status = Program.Status.PUBLISHED
    program.not_in_source_since, program.retired_by_import = None, False


def rekey(programs: list[Program]) -> None:
    """Store the ids of listings found by their address or as moved (the row's id now)."""
    Program.objects.bulk_update(programs, ["external_id"], batch_size=500)


def save_flags(*, result, reappeared: list[Program], recorded: set[int], reason: str) -> None:
    """Write the refresh's flags and archivings and the reappearances, with their history.

    `recorded`: listings save_import already wrote a history record for (with these values).
    """
    now = timezone.now()
    touched = {p.pk: p for p in [*result.retired, *result.archived, *reappeared]}
    for program in touched.values():
        program.updated = now
    Program.objects.bulk_update(
        list(touched.values()),
        ["not_in_source_since", "retired_by_import", "status", "updated"],
        batch_size=500,
    )
    services.record_history(
        programs=[p for pk, p in touched.items() if pk not in recorded], reason=reason
    )


def archive_overdue(*, grace_days: int | None = None) -> list[Program]:
    """Archive the published listings flagged "not in the source" for longer than the grace
    period (as the next refresh would), with a history record each; returns them."""
    days = default_grace_days() if grace_days is None else grace_days
    cutoff = timezone.localdate() - timedelta(days=days)
    overdue = list(
        Program.objects.filter(
            status=Program.Status.PUBLISHED, not_in_source_since__lte=cutoff
        ).select_for_update()
    )
    now = timezone.now()
    for program in overdue:
        program.status, program.retired_by_import, program.updated = (
            Program.Status.ARCHIVED,
            True,
            now,
        )
    Program.objects.bulk_update(overdue, ["status", "retired_by_import", "updated"], batch_size=500)
    services.record_history(
        programs=overdue, reason=f"Not in its source for more than {days} days: archived"
    )
    return overdue
