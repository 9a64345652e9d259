"""Import files that are truncated, binary, huge or of another format: `import_programs` either
imports what it can read or stops with a clear error naming the file, and then has changed nothing.
"""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.importers import FORMATS
from programs.models import Organization, Program
from tests.programs.importers.conftest import IMMEDIATE_TASKS, locator_csv

pytestmark = pytest.mark.django_db

GOOD_CSV = locator_csv(
    "Harbor House,,1 Main St,,Boston,MA,02134,,,6175550100,,42.35,-71.13",
    "Bay Recovery,,2 Pier Rd,,Salem,MA,01970,,,9785550100,,42.52,-70.89",
)
GOOD_JSON = json.dumps(
    {"rows": [{"name1": "Harbor House", "city": "Boston", "state": "MA", "zip": "02134"}]}
).encode()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def truncated(data: bytes) -> st.SearchStrategy[bytes]:
    return st.integers(0, len(data)).map(lambda end: data[:end])


FILES = st.one_of(
    truncated(GOOD_CSV),
    truncated(GOOD_JSON),
    truncated(zipped({"services.csv": b"id,name\ns-1,Peak\n", "locations.csv": GOOD_CSV})),
    st.binary(max_size=2000),
    st.binary(max_size=200).map(lambda junk: b"PK\x03\x04" + junk),  # a broken zip or XLSX
    st.binary(max_size=200).map(lambda junk: b"\xef\xbb\xbf" + junk),  # BOM, then anything
    st.sampled_from([b"", b"{}", b"[]", b"null", b'{"rows": 5}', b"\x00" * 100, b"name1\n"]),
    st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=5).map(
        lambda d: zipped({f"{k or 'x'}.csv": v.encode() for k, v in d.items()})
    ),
)


def database_state():
    return (
        list(Program.objects.order_by("pk").values_list("pk", "name", "city", "updated")),
        Organization.objects.count(),
    )


def run_import(path, format) -> str | None:
    """The command's error message, or None when it imported (what it could)."""
    try:
        call_command(
            "import_programs",
            str(path),
            "--format",
            format,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    except CommandError as error:
        return str(error)
    return None


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_a_damaged_or_foreign_file_is_imported_in_part_or_refused_clearly(
    tmp_path, published_program, format
):
    @settings(
        max_examples=100,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        data=FILES, name=st.sampled_from(["listings.csv", "listings.xlsx", "hsds.zip", "a.json"])
    )
    def check(data, name):
        path = tmp_path / name
        path.write_bytes(data)
        before = database_state()
        error = run_import(path, format)
        if error is not None:
            assert error.startswith(str(path)) or "--strict" in error, error
            assert database_state() == before

    check()


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_a_huge_file_of_junk_is_refused_and_changes_nothing(tmp_path, published_program, format):
    path = tmp_path / "huge.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40_000)  # 10 MB, an image
    before = database_state()
    assert run_import(path, format) is not None
    assert database_state() == before


def test_a_damaged_upload_in_admin_gets_a_page_and_changes_nothing(
    client, admin_user, published_program
):
    client.force_login(admin_user)

    @settings(max_examples=100, deadline=None, derandomize=True, database=None)
    @given(
        data=FILES,
        format=st.sampled_from(sorted(FORMATS)),
        name=st.sampled_from(["listings.csv", "listings.xlsx", "hsds.zip", "a.json", ""]),
    )
    def check(data, format, name):
        before = database_state()
        upload = SimpleUploadedFile(name or "file", data)
        response = client.post(
            reverse("admin:programs_program_import"),
            {"file": upload, "format": format, "encoding": ""},
            follow=True,
        )
        assert response.status_code == 200  # the form with its error, or the dry run's job page
        assert database_state() == before

    with override_settings(TASKS=IMMEDIATE_TASKS):  # the dry run's job runs in the request
        check()
