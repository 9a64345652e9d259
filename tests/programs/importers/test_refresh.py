"""A monthly full refresh: closures flagged then archived, moves kept as one listing, ids that
survive ZIP formats, spelling, file order and CSV vs XLSX, and the change report of each import.

The files are built from the real 12-state extract by scripts/simulate_next_month.py (300 rows:
the first 150 of Massachusetts, whose ZIPs lose their leading zero, and of Arizona)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from programs.importers import identity
from programs.importers.locator import names
from programs.importers.refresh import RefreshLimitError
from programs.models import ImportReport, Program
from scripts import simulate_next_month as sim
from tests.programs.importers.conftest import SHARED_DATA, locator_csv, needs_shared_data

pytestmark = [pytest.mark.django_db, needs_shared_data]

STATES = ("MA", "AZ")


@pytest.fixture(scope="module")
def months():
    """(month 1 rows, month 2 rows, the expected counts)."""
    path = SHARED_DATA / "samhsa/facilities_12_states.csv"
    first = sim.month_one(sim.facilities(path, states=STATES, per_state=150))
    assert len(first) == 300
    second, expected = sim.next_month(first)
    return first, second, expected


def _refresh(run_import, rows, **options):
    return run_import(sim.to_csv(rows), replace_scope="MA,AZ", **options)


def test_next_month_gives_exactly_the_expected_changes_and_no_duplicates(run_import, months):
    first, second, expected = months
    one = run_import(sim.to_csv(first))
    assert one.rejected == [] and one.created == 300
    pks = dict(Program.objects.values_list("external_id", "pk"))

    two = _refresh(run_import, second)

    assert (two.created, two.updated, two.moved, len(two.retired)) == (
        expected["new"],
        expected["updated"],
        expected["moved"],
        expected["not in source"],
    )
    assert two.rejected == []
    assert Program.objects.count() == 300 + expected["new"]  # no listing twice
    assert expected["zip leading zero dropped (unchanged)"] > 20  # the real MA ZIPs
    # The closed ones are flagged, still published for the grace period, and listed.
    flagged = Program.objects.filter(not_in_source_since=timezone.localdate())
    assert flagged.count() == expected["not in source"]
    assert set(flagged.values_list("status", flat=True)) == {"published"}
    # A moved listing is the same listing (its pk), at its new street.
    moved = [c for c in two.changes if c.kind == "moved"]
    assert len(moved) == expected["moved"]
    assert all(c.program.pk in pks.values() and "Avenue" in c.program.street for c in moved)


def test_a_second_run_of_the_same_file_changes_nothing(run_import, months):
    first, second, _expected = months
    run_import(sim.to_csv(first))
    _refresh(run_import, second)

    again = _refresh(run_import, second)

    assert (again.created, again.updated, again.moved, len(again.retired)) == (0, 0, 0, 0)
    assert again.rekeyed == 0 and again.reappeared == 0
    assert again.unchanged == len(second)


def test_the_safety_limit_refuses_and_writes_nothing_then_force_proceeds(run_import, months):
    first, _second, _expected = months
    run_import(sim.to_csv(first))
    before = list(Program.objects.order_by("pk").values_list("pk", "updated", "status"))
    cut = first[:200]  # a third of the directory missing: a truncated file

    with pytest.raises(RefreshLimitError, match="100 of the 300 listings"):
        _refresh(run_import, cut)

    assert list(Program.objects.order_by("pk").values_list("pk", "updated", "status")) == before
    assert not Program.objects.filter(not_in_source_since__isnull=False).exists()
    assert not ImportReport.objects.filter(scope__contains="MA").exists()

    forced = _refresh(run_import, cut, force=True)

    assert len(forced.retired) == 100
    assert Program.objects.filter(not_in_source_since__isnull=False).count() == 100


def test_missing_listings_are_archived_after_the_grace_period_and_return_if_listed_again(
    run_import, months
):
    first, second, expected = months
    run_import(sim.to_csv(first))
    _refresh(run_import, second)
    gone = Program.objects.filter(not_in_source_since__isnull=False)
    assert gone.count() == expected["not in source"]
    Program.objects.filter(pk__in=gone).update(
        not_in_source_since=timezone.localdate() - timedelta(days=46)
    )

    later = _refresh(run_import, second)

    assert len(later.archived) == expected["not in source"] and later.still_missing == len(
        later.archived
    )
    assert set(gone.values_list("status", flat=True)) == {"archived"}
    assert Program.objects.published().filter(pk__in=gone).count() == 0

    back = _refresh(run_import, first, force=True)  # the closures listed again

    assert back.reappeared == expected["not in source"]
    assert set(
        Program.objects.filter(pk__in=[p.pk for p in later.archived]).values_list(
            "status", "not_in_source_since", "retired_by_import"
        )
    ) == {("published", None, False)}


def test_the_daily_command_takes_overdue_listings_out_of_search_without_waiting_for_a_refresh(
    run_import, months
):
    first, second, expected = months
    run_import(sim.to_csv(first))
    _refresh(run_import, second)
    gone = list(Program.objects.filter(not_in_source_since__isnull=False).order_by("pk"))
    overdue, recent = gone[:3], gone[3:]
    Program.objects.filter(pk__in=[p.pk for p in overdue]).update(
        not_in_source_since=timezone.localdate() - timedelta(days=46)
    )
    out = io.StringIO()

    call_command("archive_missing", stdout=out)

    assert "3 listings archived" in out.getvalue()
    published = Program.objects.published()
    assert not published.filter(pk__in=[p.pk for p in overdue]).exists()
    assert published.filter(pk__in=[p.pk for p in recent]).count() == len(recent)
    assert all(
        p.history.first().history_change_reason.startswith("Not in its source")
        for p in Program.objects.filter(pk__in=[p.pk for p in overdue])
    )
    back = _refresh(run_import, first, force=True)  # listed again: published again
    assert back.reappeared == expected["not in source"]
    assert published.filter(pk__in=[p.pk for p in overdue]).count() == 3


def test_retire_now_archives_at_once_but_staff_archived_listings_stay_archived(run_import, months):
    first, second, _expected = months
    run_import(sim.to_csv(first))
    names_present = {sim._name(r) for r in second}
    closed = [r for r in first if sim._name(r) not in names_present]
    row = next(r for r in second if r["name2"] and sim._name(r) in {sim._name(f) for f in first})
    still_there = Program.objects.get(name=names(row["name1"], row["name2"])["name"])
    Program.objects.filter(pk=still_there.pk).update(status="archived")

    result = _refresh(run_import, second, retire_now=True)

    assert len(result.archived) == len(closed)
    assert Program.objects.get(pk=still_there.pk).status == "archived"  # not republished
    assert not Program.objects.get(pk=still_there.pk).retired_by_import


def test_staff_edits_follow_a_moved_listing(run_import, months):
    first, second, _expected = months
    run_import(sim.to_csv(first))
    result = _refresh(run_import, second, dry_run=True)
    mover = next(c.program for c in result.changes if c.kind == "moved")
    Program.objects.filter(pk=mover.pk).update(hours="Mon–Fri 8–5", description="Staff's words")

    result = _refresh(run_import, second)

    moved = Program.objects.get(pk=mover.pk)
    assert moved.hours == "Mon–Fri 8–5" and moved.description == "Staff's words"
    assert "Avenue" in moved.street
    assert any(c.kind == "moved" and c.program.pk == mover.pk for c in result.changes)


def test_csv_and_xlsx_of_the_same_data_are_the_same_listings(run_import, months):
    openpyxl = pytest.importorskip("openpyxl")
    first, _second, _expected = months
    run_import(sim.to_csv(first))
    book = openpyxl.Workbook()
    sheet = book.active
    columns = [*sim.LEADING, *(c.lower() for c in sim.CODES)]
    sheet.append(columns)
    for row in first:
        # As Excel keeps them: ZIPs, flags and coordinates as numbers (leading zeros gone).
        sheet.append(
            [
                _number(row[c])
                if c in {"zip", "latitude", "longitude", *(x.lower() for x in sim.CODES)}
                else row[c]
                for c in columns
            ]
        )
    data = io.BytesIO()
    book.save(data)

    again = run_import(data.getvalue())

    assert (again.created, again.updated, again.moved) == (0, 0, 0)
    assert again.unchanged == 300


def test_ids_do_not_depend_on_the_order_of_same_name_same_address_rows(run_import):
    a = "Hope House,,1 Main Street,Suite 2,Boston,MA,2134,,,617-555-0101,,42.35,-71.13"
    b = "Hope House,,1 Main Street,Suite 3,Boston,MA,2134,,,617-555-0102,,42.35,-71.13"
    run_import(locator_csv(a, b))
    ids = dict(Program.objects.values_list("street2", "external_id"))

    again = run_import(
        locator_csv(b, a.replace("Main Street", "MAIN ST.").replace("2134", "02134"))
    )

    assert (again.created, again.rejected) == (0, [])
    assert dict(Program.objects.values_list("street2", "external_id")) == ids
    assert len(set(ids.values())) == 2


def test_normalized_keys_ignore_zip_formats_spelling_and_suite():
    one = {
        "name": "The Harbor House, Inc.",
        "street": "404 West Aero Drive, Suite 2",
        "zip_code": "06103-1234",
    }
    two = {"name": "harbor house", "street": "404 W. Aero Dr", "zip_code": "06103"}

    assert identity.listing_key(one) == identity.listing_key(two)
    assert identity.listing_key({**two, "street": "406 W Aero Dr"}) != identity.listing_key(two)


def test_the_command_prints_the_counts_and_names_the_report(tmp_path, months):
    first, second, expected = months
    (tmp_path / "one.csv").write_bytes(sim.to_csv(first))
    (tmp_path / "two.csv").write_bytes(sim.to_csv(second))
    call_command(
        "import_programs", str(tmp_path / "one.csv"), "--format", "samhsa-locator",
        stdout=io.StringIO(),
    )  # fmt: skip
    out = io.StringIO()

    call_command(
        "import_programs", str(tmp_path / "two.csv"), "--format", "samhsa-locator",
        "--replace-scope", "MA,AZ", stdout=out,
    )  # fmt: skip

    text = out.getvalue()
    assert (
        f"{expected['new']} new, {expected['updated']} updated, {expected['moved']} moved" in text
    )
    assert f"{expected['not in source']} not in source" in text
    assert "No longer in the source (flagged):" in text
    report = ImportReport.objects.latest("pk")
    assert f"ImportReport #{report.pk}" in text
    kinds = [change["change"] for change in report.changes]
    assert kinds.count("moved") == expected["moved"]
    assert kinds.count("not in source") == expected["not in source"]
    assert kinds.count("new") == expected["new"]


def test_the_change_report_downloads_as_csv_safe_for_spreadsheets(admin_client):
    change = {"change": "updated", "program": 7, "name": "=HYPERLINK(1)", "fields": "phone"}
    report = ImportReport.objects.create(format="samhsa-locator", changes=[change])

    response = admin_client.get(reverse("admin:programs_importreport_csv", args=[report.pk]))

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows == [
        {
            "change": "updated", "program": "7", "external_id": "", "name": "'=HYPERLINK(1)",
            "city": "", "state": "", "line": "", "fields": "phone", "detail": "",
        }
    ]  # fmt: skip


def test_the_command_refuses_past_the_limit_with_a_clear_message(tmp_path, months):
    first, _second, _expected = months
    (tmp_path / "one.csv").write_bytes(sim.to_csv(first))
    (tmp_path / "cut.csv").write_bytes(sim.to_csv(first[:100]))
    call_command(
        "import_programs",
        str(tmp_path / "one.csv"),
        "--format",
        "samhsa-locator",
        stdout=io.StringIO(),
    )

    with pytest.raises(CommandError, match="safety limit. Nothing was written"):
        call_command(
            "import_programs",
            str(tmp_path / "cut.csv"),
            "--format",
            "samhsa-locator",
            "--replace-scope",
            "all",
            stdout=io.StringIO(),
        )

    with pytest.raises(CommandError, match="Unknown state code in the refresh scope: ZZ"):
        call_command(
            "import_programs",
            str(tmp_path / "cut.csv"),
            "--format",
            "samhsa-locator",
            "--replace-scope",
            "MA,ZZ",
            stdout=io.StringIO(),
        )


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def test_the_admin_import_refreshes_lists_the_missing_and_links_the_report(
    admin_client, run_import, months
):
    first, second, expected = months
    run_import(sim.to_csv(first))
    url = reverse("admin:programs_program_import")
    upload = SimpleUploadedFile("month2.csv", sim.to_csv(second))
    form = {"file": upload, "format": "samhsa-locator", "encoding": "", "replace_scope": "MA, AZ"}

    job = admin_client.post(url, form, follow=True).context["job"]
    assert not Program.objects.filter(not_in_source_since__isnull=False).exists()  # a dry run
    response = admin_client.post(url, {"confirm": "1", "pending": job.pending_id}, follow=True)

    page = response.content.decode()
    counts = response.context["counts"]
    assert (counts["moved"], counts["not_in_source"]) == (
        expected["moved"],
        expected["not in source"],
    )
    assert "Listings no longer in the source (newly marked)" in page
    report = ImportReport.objects.latest("pk")
    assert reverse("admin:programs_importreport_csv", args=[report.pk]) in page
    review = admin_client.get(reverse("admin:programs_program_changelist") + "?in_source=missing")
    assert review.context["cl"].result_count == expected["not in source"]


def test_the_admin_import_refuses_an_unknown_scope_and_a_refresh_past_the_limit(
    admin_client, run_import, months
):
    first, _second, _expected = months
    run_import(sim.to_csv(first))
    url = reverse("admin:programs_program_import")

    def upload(scope):
        data = {"file": SimpleUploadedFile("cut.csv", sim.to_csv(first[:100])), "encoding": ""}
        return admin_client.post(
            url, {**data, "format": "samhsa-locator", "replace_scope": scope}, follow=True
        )

    assert "Unknown state code in the refresh scope: XX" in upload("MA,XX").content.decode()
    job = upload("all").context["job"]
    assert job.status == "failed" and "safety limit" in job.error


def test_importers_may_download_change_reports_and_other_staff_may_not(client, django_user_model):
    report = ImportReport.objects.create(format="samhsa-locator", changes=[])
    url = reverse("admin:programs_importreport_csv", args=[report.pk])
    importer = django_user_model.objects.create_user("importer", is_staff=True)
    importer.user_permissions.set(Permission.objects.filter(codename="import_programs"))
    editor = django_user_model.objects.create_user("editor", is_staff=True)

    client.force_login(editor)
    assert client.get(url).status_code == 403
    client.force_login(importer)
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:programs_importreport_changelist")).status_code == 200
