"""manage.py import_programs: the summary staff read, dry run, strict, and unreadable files."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from programs.importers.sync import terminal_progress
from programs.models import Program
from tests.programs.importers.conftest import locator_csv

pytestmark = pytest.mark.django_db

ROWS = locator_csv(
    "Harbor House,,1 Main St,,Boston,MA,02134,,,,,42.35,-71.13",
    "Bad Zip,,2 Main St,,Boston,MA,ABC,,,,,42.35,-71.13",
)


def _run(path: Path, *args) -> str:
    out = io.StringIO()
    call_command("import_programs", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "listings.csv"
    path.write_bytes(ROWS)
    return path


def test_prints_rejected_rows_and_a_closing_summary(csv_file):
    output = _run(csv_file, "--format", "samhsa-locator")

    assert "line 3: bad ZIP code 'ABC' (Bad Zip)" in output
    assert "2 rows (utf-8-sig): 1 created, 0 updated, 0 unchanged, 1 rejected" in output
    assert Program.objects.count() == 1


def test_dry_run_says_so_and_writes_nothing(csv_file):
    output = _run(csv_file, "--format", "samhsa-locator", "--dry-run")

    assert output.splitlines()[-1].startswith("Dry run, nothing written: would have 2 rows")
    assert not Program.objects.exists()


def test_strict_fails_and_leaves_the_database_unchanged(csv_file):
    with pytest.raises(CommandError, match="--strict: 1 rows rejected; nothing was imported"):
        _run(csv_file, "--format", "samhsa-locator", "--strict")

    assert not Program.objects.exists()


def test_an_unreadable_file_is_a_clear_error_not_a_traceback(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x00\xff\x00garbage")

    with pytest.raises(CommandError, match="photo.csv: This is not a text CSV file"):
        _run(path, "--format", "otp-directory")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _run(tmp_path / "nope.csv", "--format", "otp-directory")


def test_hsds_csv_package_can_be_given_as_a_folder(tmp_path):
    (tmp_path / "services.csv").write_text("id,name\ns-1,Peak Recovery\n")

    output = _run(tmp_path, "--format", "hsds")

    assert "line 2: missing state (Peak Recovery)" in output  # read, and rejected: no location


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_is_drawn_on_a_terminal_only():
    terminal = _Terminal()
    terminal_progress(terminal)(250, 1000)

    assert terminal_progress(io.StringIO()) is None
    assert terminal.getvalue() == "\r[#######.......................] 250/1000 rows"


def test_an_unknown_encoding_is_a_clear_error(csv_file):
    with pytest.raises(CommandError, match="Unknown encoding 'klingon'"):
        _run(csv_file, "--format", "samhsa-locator", "--encoding", "klingon")
