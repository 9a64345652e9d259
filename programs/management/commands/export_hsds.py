from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.hsds import export


class Command(BaseCommand):
    help = (
        "Export the published directory as Open Referral HSDS 3.0: OUT/json/ (the spec's "
        "service, service_at_location and organization packages) and OUT/csv/ (the tabular "
        "package with datapackage.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="Folder to write (created if missing).")
        parser.add_argument("--format", choices=["json", "csv", "both"], default="both")

    def handle(self, *args, out: Path, format: str, **options):
        programs = list(export.published_programs())
        try:
            if format in ("json", "both"):
                counts = export.write_json(out / "json", programs)
                self._summary(out / "json", counts)
            if format in ("csv", "both"):
                counts = export.write_csv_package(out / "csv", programs, export.all_terms())
                self._summary(out / "csv", {name: n for name, n in counts.items() if n})
        except OSError as error:  # not a folder, no permission, disk full...
            raise CommandError(f"Could not write the export to {out}: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Exported {len(programs)} published programs."))

    def _summary(self, folder: Path, counts: dict[str, int]) -> None:
        listed = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(f"{folder}: {listed}")
