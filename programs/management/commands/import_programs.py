from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.importers import FORMATS
from programs.importers.core import ImportFileError
from programs.importers.refresh import GRACE_DAYS, RETIRE_LIMIT, RefreshLimitError
from programs.importers.report import counts
from programs.importers.sync import (
    ImportResult,
    ImportWriteError,
    StrictModeError,
    import_file,
    terminal_progress,
)

MAX_LISTED = 50  # rejected rows and kept edits printed one by one; the rest are counted


class Command(BaseCommand):
    help = (
        "Import program listings from a file: SAMHSA's locator export (CSV/XLSX), its API's JSON, "
        "its list of opioid treatment programs, or Open Referral HSDS 3.0 (JSON, or the CSV "
        "package as a zip or folder). Safe to run again: unchanged listings stay unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--strict", action="store_true", help="Import nothing if any row is rejected."
        )
        parser.add_argument(
            "--encoding", help="The file's text encoding (default: UTF-8, else Windows-1252)."
        )
        refresh = parser.add_argument_group("full refresh")
        refresh.add_argument(
            "--replace-scope",
            metavar="STATES|all",
            default="",
            help=(
                'The file is the whole directory for these states ("AZ,CA"), or for every '
                "listing of its source (all): listings it lacks are flagged as not in the source, "
                f"and archived by a refresh after the grace period (default {GRACE_DAYS} days, "
                "setting IMPORT_RETIRE_GRACE_DAYS)."
            ),
        )
        refresh.add_argument(
            "--force",
            action="store_true",
            help=f"Refresh even if more than {RETIRE_LIMIT:.0%} of the scope would be flagged.",
        )
        refresh.add_argument(
            "--retire-now",
            action="store_true",
            help="Archive the listings the file lacks at once, without a grace period.",
        )
        refresh.add_argument(
            "--grace-days", type=int, help="Days a missing listing stays published."
        )

    def handle(self, *args, file: Path, **options):
        try:
            data = _read(file)
            result = import_file(
                data,
                format=options["format"],
                filename=file.name,
                encoding=options["encoding"],
                dry_run=options["dry_run"],
                strict=options["strict"],
                progress=terminal_progress(),
                replace_scope=options["replace_scope"],
                force=options["force"],
                retire_now=options["retire_now"],
                grace_days=options["grace_days"],
            )
        except (OSError, ImportFileError, ImportWriteError) as error:
            raise CommandError(f"{file}: {error}") from None
        except RefreshLimitError as error:
            raise CommandError(f"{file}: {error} (--force)") from None
        except StrictModeError as error:
            self._report(error.result)
            raise CommandError(f"--strict: {error} The database is unchanged.") from None
        self._report(result)

    def _report(self, result: ImportResult) -> None:
        for rejected in result.rejected[:MAX_LISTED]:
            self.stdout.write(f"  line {rejected.line}: {rejected.reason} ({rejected.name})")
        if len(result.rejected) > MAX_LISTED:
            self.stdout.write(f"  … and {len(result.rejected) - MAX_LISTED} more rejected rows")
        if result.kept_staff_edits:
            self.stdout.write("Kept staff edits (the file has other values):")
            for line in result.kept_staff_edits[:MAX_LISTED]:
                self.stdout.write(f"  {line}")
        if result.unmapped:
            count = len(result.unmapped)
            self.stdout.write(f"Unmapped codes or labels ({count}), rows using each:")
            for label, count in result.unmapped.most_common():
                self.stdout.write(f"  {count:6d}  {label}")
        for title, programs in (
            ("No longer in the source (flagged)", result.retired),
            ("Archived: not in the source for the grace period", result.archived),
        ):
            if programs:
                self.stdout.write(f"{title}:")
                for program in programs[:MAX_LISTED]:
                    since = program.not_in_source_since
                    self.stdout.write(
                        f"  {program.name} ({program.city}, {program.state}), since {since}"
                    )
                if len(programs) > MAX_LISTED:
                    self.stdout.write(f"  … and {len(programs) - MAX_LISTED} more")
        numbers = counts(result)
        self.stdout.write(
            "Changes: " + ", ".join(f"{n} {name}" for name, n in numbers.items() if name != "rows")
        )
        if result.report_id:
            self.stdout.write(f"Change report: ImportReport #{result.report_id} (CSV in admin).")
        prefix = "Dry run, nothing written: would have " if result.dry_run else ""
        style = self.style.WARNING if result.rejected else self.style.SUCCESS
        self.stdout.write(
            style(
                f"{prefix}{result.rows} rows ({result.encoding}): {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged, "
                f"{len(result.rejected)} rejected, {len(result.unmapped)} unmapped codes; "
                f"{len(result.kept_staff_edits)} listings kept staff edits."
            )
        )


def _read(path: Path) -> bytes | dict[str, bytes]:
    """The file's bytes; a folder (an HSDS CSV package) as {file name: bytes}."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir() if p.is_file()}
    return path.read_bytes()
