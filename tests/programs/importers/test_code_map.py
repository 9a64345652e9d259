"""The SAMHSA code map (programs/importers/samhsa_codes.csv) against full-format locator files.

Every code of the table is walked: a file with all of the table's code columns, one facility per
code offering only it, read as CSV (flags as spreadsheets write them) and as XLSX (Excel
booleans), and each facility must get exactly the terms its code maps to.
"""

import csv
import io
import json
from collections import Counter

import pytest
from django.urls import reverse
from openpyxl import Workbook

from programs.importers import codes, locator
from programs.importers.core import Row, TermCodes
from programs.models import Program, Term
from tests.programs.importers.conftest import SHARED_DATA, needs_shared_data

TABLE = codes.load()
# Every column of the table, and one numbered language column of each kind the f#/n# rows cover.
COLUMNS = sorted(c for c in TABLE.columns if not c.endswith("#")) + ["f99", "n77"]
UNKNOWN = "zz9"  # a code column nobody knows
YES_CSV = ["1", "Y", "y", "Yes", "TRUE", "true", "X", "1.0"]
NO_CSV = ["", "0", "N", "No", "FALSE"]
YES_XLSX = [True, 1, 1.0, "Yes"]
NO_XLSX = [False, None, 0, "N"]


def _expected(column: str) -> set[str]:
    return set(TABLE.column(column).targets)


def _facilities(yes: list, no: list) -> tuple[list[str], list[list]]:
    """The header and rows of a full-format file: one facility per code column offering only it,
    one per type_facility value, one with an unknown code and one with an unknown type."""
    header = [*locator.LEADING, *COLUMNS, UNKNOWN]
    offers = [(f"Code {c}", c, "") for c in COLUMNS]
    offers += [(f"Type {t}", None, t) for t in TABLE.facility_types]
    offers += [("Unknown code", UNKNOWN, ""), ("Unknown type", None, "QQ")]
    rows = []
    for n, (name, offered, kind) in enumerate(offers):
        leading = {
            "name1": name, "street1": f"{n + 1} Colfax Ave", "city": "Denver", "state": "CO",
            "zip": "80202", "latitude": 39.74, "longitude": -104.99, "type_facility": kind,
        }  # fmt: skip
        flags = [yes[n % len(yes)] if c == offered else no[(n + i) % len(no)]
                 for i, c in enumerate([*COLUMNS, UNKNOWN])]  # fmt: skip
        rows.append([leading.get(h, "") for h in locator.LEADING] + flags)
    return header, rows


def _csv_file() -> bytes:
    header, rows = _facilities(YES_CSV, NO_CSV)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx_file() -> bytes:
    header, rows = _facilities(YES_XLSX, NO_XLSX)
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("make_file", [_csv_file, _xlsx_file], ids=["csv", "xlsx"])
def test_every_code_of_the_table_gives_its_terms_and_unknowns_are_reported_by_name(
    run_import, make_file
):
    result = run_import(make_file())

    terms = {
        p.name: set(p.terms.values_list("code", flat=True))
        for p in Program.objects.prefetch_related("terms")
    }
    wrong = {
        column: (terms.get(f"Code {column}"), _expected(column))
        for column in COLUMNS
        if terms.get(f"Code {column}") != _expected(column)
    }
    assert wrong == {}
    for kind, row in TABLE.facility_types.items():
        assert terms[f"Type {kind}"] == set(row.targets)
    assert terms["Unknown code"] == terms["Unknown type"] == set()
    assert result.rejected == []
    assert result.unmapped == Counter({UNKNOWN: 1, "type_facility QQ": 1})


def test_every_target_is_a_term_of_the_taxonomy(db):
    known = set(Term.objects.values_list("code", flat=True))
    rows = [*TABLE.columns.values(), *TABLE.facility_types.values()]
    assert {t for row in rows for t in row.targets} - known == set()


def test_the_table_covers_every_code_of_the_export_and_says_why_it_ignores_one():
    coverage = TABLE.coverage()["columns"]
    assert set(coverage) == {"term", "ignored"}
    assert sum(coverage.values()) == len(TABLE.columns) > 200
    for row in TABLE.columns.values():
        assert row.source and row.label, row.code
        assert (row.maps_to == "ignored") == (not row.targets), row.code
        assert row.maps_to == "term" or row.reason, row.code


def test_a_broken_table_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text(
        "code,category,label,maps_to,target,reason,source\n"
        "md,PAY,Medicaid,term,medicaid,,code list\n"
        "xx,PAY,Something,ignored,,,code list\n"
    )
    with pytest.raises(ValueError, match="line 3 \\(xx\\): an ignored code needs a reason"):
        codes.load.__wrapped__(path)


@pytest.mark.parametrize(
    ("value", "meaning"),
    [
        *[(v, True) for v in [1, 1.0, True, "1", "1.0", "Y", "y", "Yes", "TRUE", "X", " x "]],
        *[(v, False) for v in [None, "", 0, 0.0, False, "0", "N", "No", "FALSE", "false"]],
        *[(v, None) for v in ["maybe", "2", "-1", "yes please", "0.5"]],
    ],
)
def test_flag_reads_every_form_a_spreadsheet_writes(value, meaning):
    assert codes.flag(value) is meaning


def test_an_unreadable_flag_is_reported_with_its_column_and_line_and_the_row_kept(run_import):
    data = (
        b"name1,street1,city,state,zip,latitude,longitude,md,res,mc,frid\n"
        b"Peak,2 Colfax Ave,Denver,CO,80202,39.74,-104.99,maybe,Yes,2,811a908f\n"
    )

    result = run_import(data)

    program = Program.objects.get()
    assert set(program.terms.values_list("code", flat=True)) == {"residential"}
    assert result.unmapped == Counter(
        {
            "md: 'maybe' is not a yes/no flag (line 2)": 1,
            "mc: '2' is not a yes/no flag (line 2)": 1,
            "frid": 1,  # a column no code list has: named, with the rows holding something
        }
    )


@pytest.mark.parametrize(
    ("code", "term", "terms_own_code"),
    [
        ("nxn", "naltrexone-oral", "NXN"),
        ("noe", "naloxone", "NOE"),
        ("bum", "buprenorphine", "BU"),
        ("bwn", "buprenorphine-naloxone", "BWN"),
        ("nu", "naltrexone", "NU"),
        ("fem", "accepts-women", "FEM"),
        ("wn", "women", "WN"),
    ],
)
def test_the_doubtful_codes_mean_what_samhsa_lists(db, code, term, terms_own_code):
    assert TABLE.column(code).targets == (term,)
    assert Term.objects.get(code=term).samhsa_code == terms_own_code  # HSDS's fallback agrees


def test_each_code_and_its_api_label_give_the_same_terms(db):
    taxonomy = TermCodes.load()
    differ = {}
    for row in TABLE.columns.values():
        read = Row(line=1)
        taxonomy.labels_to_terms(row.label, read)
        from_label = read.terms if not read.unmapped else set()
        if from_label != set(row.targets):
            differ[row.code] = (row.label, from_label, set(row.targets))
    assert differ == {}


@needs_shared_data
def test_real_api_facilities_get_the_same_terms_from_their_locator_codes(db):
    """Each of the 478 California facilities as the API gives them (labels) and as a locator row
    with the codes of those labels: the same terms."""
    taxonomy = TermCodes.load()
    code_of = {row.label.lower(): code for code, row in TABLE.columns.items()}
    facilities = json.loads((SHARED_DATA / "samhsa/ca_residential_facilities.json").read_text())
    differ = []
    for n, facility in enumerate(facilities, 1):
        labels = facility["all_services"].split("; ")
        from_api = Row(line=n)
        taxonomy.labels_to_terms("; ".join(labels), from_api)
        values = {code_of[label.lower()]: "1" for label in labels if label.lower() in code_of}
        from_locator = locator._row(n, {"name1": facility["name"], **values}, taxonomy)
        if from_api.terms != from_locator.terms:
            differ.append((facility["name"], from_api.terms ^ from_locator.terms))
    assert len(facilities) == 478
    assert differ == []


def test_the_women_filter_finds_programs_for_women_not_those_accepting_women(run_import, client):
    data = (
        b"name1,street1,city,state,zip,latitude,longitude,fem,male,wn\n"
        b"Coed House,2 Colfax Ave,Denver,CO,80202,39.74,-104.99,1,1,\n"
        b"Her Place,3 Colfax Ave,Denver,CO,80202,39.74,-104.99,1,,1\n"
    )
    run_import(data)

    response = client.get(reverse("search"), {"location": "80202", "population": "women"})
    coed = Program.objects.get(name="Coed House")
    detail = client.get(reverse("program-detail", args=[coed.slug]))

    assert [p.name for p in response.context["page"]] == ["Her Place"]
    assert "Female clients" in detail.content.decode()
