from pathlib import Path

import pytest
from django.conf import settings

from programs.importers.sync import import_file

LOCATOR_HEADER = (
    "name1,name2,street1,street2,city,state,zip,zip4,county,phone,website,latitude,longitude"
)


def _shared_data() -> Path | None:
    """The project's shared data folder (../shared/data from a checkout), if this machine has it."""
    for parent in Path(settings.BASE_DIR).resolve().parents:
        if (parent / "shared" / "data" / "samhsa").is_dir():
            return parent / "shared" / "data"
    return None


SHARED_DATA = _shared_data()
needs_shared_data = pytest.mark.skipif(SHARED_DATA is None, reason="no ../shared/data here")


def locator_csv(*rows: str, header: str = LOCATOR_HEADER) -> bytes:
    return "\n".join([header, *rows]).encode() + b"\n"


@pytest.fixture
def run_import(db):
    """run_import(data, "samhsa-locator", dry_run=True) → ImportResult."""

    def run(data, format="samhsa-locator", **options):
        return import_file(data, format=format, filename="test", **options)

    return run


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background jobs run inside the request that queues them (one test uses the real queue)."""
    settings.TASKS = IMMEDIATE_TASKS
