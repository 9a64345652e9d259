"""Admin imports as background jobs, run by the task queue's worker (`manage.py db_worker`).

A request only stores the upload and queues a job, so a 20,000-row file is never cut off by the
web server's timeout. The job reads its upload (PendingImport), runs the import, and writes its
progress (rows checked / total) and its outcome (the summary, or why it failed) on its ImportJob
row, which the admin's job page shows. The upload is deleted when a real import ends, either
way, and when a dry run fails (there is nothing left to confirm).

The import writes in one transaction, so a job that dies (an error, the worker stopped or
killed) leaves the directory as it was. A killed worker cannot say so itself: a running job
whose row has not moved for STALE_AFTER is marked failed when someone looks at it.
"""

import logging
import re
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from programs.importers.core import ImportFileError
from programs.importers.refresh import RefreshLimitError
from programs.importers.report import counts
from programs.importers.sync import ImportResult, ImportWriteError, import_file
from programs.models import ImportJob, PendingImport

logger = logging.getLogger(__name__)
MAX_LISTED = 100  # rejected rows, unmapped codes and kept edits listed one by one
# Longer than any import's write phase, when it cannot report (it is inside one transaction):
# about 30 s for 20,000 rows on PostgreSQL.
STALE_AFTER = timedelta(minutes=15)
# PostgreSQL's JSON takes neither NUL nor a lone surrogate, and a file's junk may hold either.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def start(*, user, pending: PendingImport, dry_run: bool) -> ImportJob:
    """Queue a job importing `pending` (or its dry run) for `user`; returns its status row."""
    job = ImportJob.objects.create(
        user=user,
        pending=pending,
        dry_run=dry_run,
        format=pending.format,
        filename=pending.filename,
        language=translation.get_language() or "",
    )
    queued = run_import_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(queued.id))
    return job


@task()
def run_import_job(job_id: int) -> str:
    """The worker's entry point: run one queued job to its end; returns its final status."""
    job = ImportJob.objects.select_related("pending").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        return "skipped"  # deleted with its user, or already run
    with translation.override(job.language or None):
        _run(job)
    return job.status


def _run(job: ImportJob) -> None:
    _save(job, status=ImportJob.Status.RUNNING)
    pending = job.pending
    try:
        if pending is None:
            raise ImportFileError(_("the upload has expired; upload the file again"))
        result = import_file(
            bytes(pending.data),
            format=job.format,
            filename=job.filename,
            encoding=pending.encoding or None,
            dry_run=job.dry_run,
            progress=partial(_progress, job.pk),
            **_refresh_options(pending.options or {}),
        )
    except ImportFileError as error:
        _fail(job, _("This file could not be imported: %(reason)s") % {"reason": error})
    except RefreshLimitError as error:
        _fail(job, _limit_message(error))
    except ImportWriteError as error:
        _fail(job, str(error))
    except Exception as error:
        # A parser library failing on junk in a way we did not foresee, or a bug: tell staff,
        # keep the trace for developers. The import's transaction has rolled back.
        logger.exception("Import job %s failed", job.pk)
        _fail(
            job,
            _(
                "The import stopped on an unexpected error (%(error)s). Check the file's format "
                "and encoding. Nothing was written; the worker's log has the details."
            )
            % {"error": type(error).__name__},
        )
    except BaseException:
        # The worker told to stop at once (a second Ctrl+C or SIGTERM): say so, then stop.
        _fail(job, _("The worker was stopped during the import. Nothing was written."))
        raise
    else:
        _save(
            job,
            status=ImportJob.Status.SUCCEEDED,
            rows_done=result.rows,
            rows_total=result.rows,
            summary=summary(result),
            report_id=result.report_id,
            finished=timezone.now(),
        )
    finally:
        if pending is not None and (not job.dry_run or job.status == ImportJob.Status.FAILED):
            pending.delete()


def _refresh_options(options: dict) -> dict:
    return {
        "replace_scope": str(options.get("replace_scope") or ""),
        "force": bool(options.get("force")),
        "retire_now": bool(options.get("retire_now")),
    }


def _limit_message(error: RefreshLimitError) -> str:
    return _(
        "The refresh was refused: %(reason)s Upload the file again with “Refresh even if many "
        "listings would be retired” ticked if this is right."
    ) % {"reason": error}


def _progress(job_id: int, done: int, total: int) -> None:
    # An UPDATE of its own (autocommitted): the rows are checked outside the import's
    # transaction, so the admin sees each step as it happens.
    ImportJob.objects.filter(pk=job_id).update(
        rows_done=done, rows_total=total, updated=timezone.now()
    )


def _save(job: ImportJob, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    job.save(update_fields=[*values, "updated"])


def _fail(job: ImportJob, reason: str) -> None:
    _save(job, status=ImportJob.Status.FAILED, error=reason, finished=timezone.now())


def summary(result: ImportResult) -> dict:
    """What the job page shows of an import's result, as JSON the database can store."""
    return {
        "rows": result.rows,
        "encoding": result.encoding,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "counts": counts(result),
        "scope": result.scope,
        "retired": [_listed(p) for p in result.retired[:MAX_LISTED]],
        "archived": [_listed(p) for p in result.archived[:MAX_LISTED]],
        "rejected_count": len(result.rejected),
        "rejected": [
            {"line": r.line, "name": _storable(r.name), "reason": _storable(r.reason)}
            for r in result.rejected[:MAX_LISTED]
        ],
        "unmapped_count": len(result.unmapped),
        "unmapped": [[_storable(k), n] for k, n in result.unmapped.most_common(MAX_LISTED)],
        "kept_count": len(result.kept_staff_edits),
        "kept_edits": [_storable(line) for line in result.kept_staff_edits[:MAX_LISTED]],
    }


def _listed(program) -> str:
    return _storable(f"{program.name} ({program.city}, {program.state})")


def _storable(text: str) -> str:
    return _UNSTORABLE.sub("\ufffd", str(text))


def give_up_if_stale(job: ImportJob) -> ImportJob:
    """Mark a running job whose worker died (no progress for STALE_AFTER) failed, and say why."""
    if job.status != ImportJob.Status.RUNNING or timezone.now() - job.updated < STALE_AFTER:
        return job
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == ImportJob.Status.RUNNING and timezone.now() - job.updated >= STALE_AFTER:
            with translation.override(job.language or None):
                _fail(
                    job,
                    _(
                        "This job stopped without finishing: its worker was stopped or restarted "
                        "while it ran. Nothing was written (an import writes all or nothing). "
                        "Upload the file again."
                    ),
                )
            PendingImport.objects.filter(pk=job.pending_id).delete()
    return job
