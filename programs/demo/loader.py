"""Load the demo directory: the bundled real files go in through the importers, then the demo
fills in what they do not say (programs.demo.sources) and marks those listings as demo data.

The listings are keyed like any import, (format, external id), so a later import of SAMHSA's
full file updates them; the made-up details stay (they differ from what was imported, so the
importer treats them as staff edits) and so does the demo mark.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from programs import services
from programs.demo.sources import DATA_DIR, made_up
from programs.importers.sync import import_file
from programs.models import Program

# file, format, origin (a key of sources.CREDITS)
FILES = [
    ("facilities.csv", "samhsa-locator", "fac"),
    ("ca_residential_facilities.json", "samhsa-api", "ca-res"),
    ("opioid_treatment_programs.csv", "otp-directory", "otp"),
]
SOURCES = [format for _name, format, _origin in FILES]
DETAILS = ["description", "phone", "hours", "accepting", "last_verified", "is_demo"]


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    states: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def programs(self) -> int:
        return self.created + self.updated + self.unchanged


@transaction.atomic
def load_demo(*, data_dir: Path = DATA_DIR, today: date | None = None) -> LoadResult:
    """Create or update the demo programs; a second run changes nothing."""
    today = today or timezone.localdate()
    started = timezone.now()
    result, states = LoadResult(), set()
    for name, format, origin in FILES:
        before = set(Program.objects.filter(source=format).values_list("external_id", flat=True))
        imported = import_file((data_dir / name).read_bytes(), format=format, filename=name)
        result.skipped += [f"{name} line {r.line} {r.name}: {r.reason}" for r in imported.rejected]
        programs = list(
            Program.objects.filter(source=format, external_id__in=imported.external_ids)
        )
        terms_of = services.term_codes_by_program(source=format)
        changes = []
        for program in programs:
            terms = terms_of.get(program.pk, set())
            values, wanted = made_up(program, origin=origin, terms=terms, today=today)
            if wanted != terms or any(
                _db(k, getattr(program, k)) != _db(k, v) for k, v in values.items()
            ):
                for key, value in values.items():
                    setattr(program, key, value)
                changes.append((program, wanted if wanted != terms else None))
        services.save_demo_details(changes=changes, fields=DETAILS)
        for program in programs:
            states.add(program.state)
            if program.external_id not in before:
                result.created += 1
            elif program.updated >= started:  # by the import, or its made-up details
                result.updated += 1
            else:
                result.unchanged += 1
    result.states = len(states)
    return result


def _db(name: str, value):
    """The value as stored, so a PhoneNumber compares equal to its E.164 string."""
    return Program._meta.get_field(name).get_prep_value(value)
