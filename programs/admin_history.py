"""A listing's History as staff read it: one row per change, terms as what was added and
removed, and a revert that never moves "last verified" back."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.template_utils import HistoricalRecordContextHelper

from programs import services
from programs.models import Program, Term

# Stamped on every save, or written only by imports: a change to them alone is not news.
QUIET_FIELDS = {"updated", "imported_values"}


class ProgramHistoryContext(HistoricalRecordContextHelper):
    """The "Changes" column: readable field names, no bookkeeping, terms as added/removed."""

    def context_for_delta_changes(self, delta) -> list[dict]:
        rows = []
        for change in delta.changes:
            if change.field in QUIET_FIELDS:
                continue
            if change.field == "terms":
                summary = terms_summary(change.old, change.new)
                if summary:
                    rows.append({"field": capfirst(_("services")), "summary": summary})
                continue
            formatted = self.format_delta_change(change)
            rows.append({"field": formatted.field, "old": formatted.old, "new": formatted.new})
        return rows


def terms_summary(old_rows, new_rows) -> str:
    """ "added: Medicaid; removed: Cash or self-payment" from two versions' term rows."""
    old, new = _term_ids(old_rows), _term_ids(new_rows)
    labels = {term.pk: term.label for term in Term.objects.filter(pk__in=old ^ new)}
    parts = []
    if new - old:
        parts.append(
            _("added: %s") % ", ".join(sorted(labels.get(pk, str(pk)) for pk in new - old))
        )
    if old - new:
        parts.append(
            _("removed: %s") % ", ".join(sorted(labels.get(pk, str(pk)) for pk in old - new))
        )
    return "; ".join(parts)


def _term_ids(rows) -> set[int]:
    return {getattr(row["term"], "pk", row["term"]) for row in rows or []}


def record_once(*, program: Program, form, user, created: bool) -> None:
    """One History record for an admin save, after its terms are saved too.

    Left alone, simple-history writes one record on save (with the old terms) and one per step
    of the terms' update: empty rows, and a term change split in two. The change view and the
    revert view both call form.save_m2m() after save_model(), so the record is written there.
    """
    version = getattr(program, "_history", None)  # set on the old version a revert restores
    reason = (
        _("Reverted to the version of %(date)s")
        % {"date": f"{version.history_date:%Y-%m-%d %H:%M}"}
        if version is not None
        else ""
    )
    program.skip_history_when_saving = True
    save_m2m = form.save_m2m

    def save_m2m_then_record():
        save_m2m()
        del program.skip_history_when_saving
        services.record_history(programs=[program], user=user, reason=reason, created=created)

    form.save_m2m = save_m2m_then_record


def keep_verification(program: Program) -> None:
    """A revert restores an old version whole: its "last verified" comes from the records."""
    if program.pk is not None:
        program.last_verified = services.last_verified_on(program)
