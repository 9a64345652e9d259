"""An import's change report: one line per listing it changed, stored as an ImportReport.

The kinds (ImportReport.CHANGES): new, updated (with the fields), moved (from which street),
not in source and archived (a full refresh), reappeared, kept staff edits. Admin offers each
report as CSV (programs.admin_refresh); the command and the job page lead with `counts()`.
"""

import re
from dataclasses import dataclass, field

from programs.models import ImportReport, Program

# PostgreSQL's JSON takes neither NUL nor a lone surrogate, and a file's junk may hold either.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass
class Change:
    """One listing's line in an import's change report."""

    kind: str
    program: Program
    line: int | None = None
    fields: list[str] = field(default_factory=list)
    detail: str = ""

    def as_dict(self) -> dict:
        p = self.program
        return {
            "change": self.kind,
            "program": p.pk,
            "external_id": p.external_id,
            "name": p.name,
            "city": p.city,
            "state": p.state,
            "line": self.line,
            "fields": ", ".join(self.fields),
            "detail": self.detail,
        }


def counts(result) -> dict[str, int]:
    """The numbers an import's summary leads with (a sync.ImportResult's), as printed."""
    return {
        "rows": result.rows,
        "new": result.created,
        "updated": result.updated,
        "moved": result.moved,
        "unchanged": result.unchanged,
        "rejected": len(result.rejected),
        "not in source": len(result.retired),
        "still not in source": result.still_missing,
        "archived": len(result.archived),
        "reappeared": result.reappeared,
        "kept staff edits": len(result.kept_staff_edits),
        "rekeyed": result.rekeyed,
    }


def save_report(result, filename: str) -> ImportReport:
    """Store a real import's changes; called inside its transaction, after its writes."""
    return ImportReport.objects.create(
        format=result.format,
        filename=filename[:200],
        scope=result.scope,
        counts=counts(result),
        changes=[_storable(change.as_dict()) for change in result.changes],
    )


def _storable(values: dict) -> dict:
    return {k: _UNSTORABLE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in values.items()}
