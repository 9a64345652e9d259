"""Each format reads its source: code columns, labels, encodings, HSDS JSON and CSV packages."""

import io
import json
import zipfile
from collections import Counter

import pytest
from openpyxl import Workbook

from programs.importers.core import ImportFileError
from programs.models import Program
from tests.programs.importers.conftest import SHARED_DATA, locator_csv, needs_shared_data

CODES_HEADER = "name1,street1,city,state,zip,latitude,longitude,type_facility,res,md,bum,zz9,xyz"


def _codes(program: Program) -> set[str]:
    return set(program.terms.values_list("code", flat=True))


def test_locator_code_columns_map_to_terms_and_unknown_codes_are_counted(run_import):
    data = locator_csv(
        "Peak,2 Colfax Ave,Denver,CO,80202,39.74,-104.99,SA,1,1,1,1,",
        "Summit,3 Colfax Ave,Denver,CO,80202,39.74,-104.99,,,1,,1,1",
        header=CODES_HEADER,
    )

    result = run_import(data)

    peak, summit = Program.objects.order_by("name")
    assert _codes(peak) == {"substance-use", "residential", "medicaid", "buprenorphine"}
    assert _codes(summit) == {"medicaid"}
    assert result.unmapped == Counter({"zz9": 2, "xyz": 1})


def test_locator_xlsx_imports_like_its_csv(run_import):
    book = Workbook()
    sheet = book.active
    sheet.append(CODES_HEADER.split(","))
    sheet.append(["Harbor", "1 Main St", "Boston", "MA", 2134, 42.35, -71.13, "SA", 1, 1, None])
    buffer = io.BytesIO()
    book.save(buffer)

    result = run_import(buffer.getvalue())

    program = Program.objects.get()
    assert (result.created, result.encoding) == (1, "xlsx")
    assert program.zip_code == "02134"
    assert _codes(program) == {"substance-use", "residential", "medicaid"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "NUL bytes"),
        (b"PK\x03\x04truncated zip", "Not a readable XLSX"),
        (b'{"name": "json"}\n', "Not a SAMHSA locator file"),
    ],
)
def test_a_file_in_another_format_is_refused_with_a_clear_message(run_import, data, message):
    with pytest.raises(ImportFileError, match=message):
        run_import(data)
    assert not Program.objects.exists()


def test_api_labels_map_to_terms_and_unknown_labels_are_reported(run_import):
    facility = {
        "name": "Harbor House", "city": "San Diego", "state": "CA", "zip": "92101",
        "phone": "619-555-0100 x12", "website": "http://www.harbor.org",
        "latitude": "32.71", "longitude": "-117.16",
        "all_services": "Medicaid; Long-term residential; Acupuncture; medicaid",
    }  # fmt: skip

    result = run_import(json.dumps([facility]).encode(), "samhsa-api")

    program = Program.objects.get()
    assert _codes(program) == {"medicaid", "residential-long"}
    assert program.phone_extension == "12"
    assert result.unmapped == Counter({"Acupuncture": 1})


def test_otp_list_in_windows_1252_is_read_as_methadone_programs(run_import):
    data = (
        "ID,ADDRESS,CITY,STATE,POSTAL,Latitude,Longitude\n"
        "Clínica de Metadona,1 Calle Luna,San Juan,PR,901,18.46,-66.11\n"
    ).encode("cp1252")

    result = run_import(data, "otp-directory")

    program = Program.objects.get()
    assert result.encoding == "cp1252"
    assert program.name == "Clínica de Metadona"
    assert program.zip_code == "00901"
    assert {"methadone", "otp"} <= _codes(program)


def test_otp_list_read_with_the_wrong_encoding_rejects_rows_instead_of_crashing(run_import):
    data = "ID,ADDRESS,CITY,STATE,POSTAL\nClínica,1 Calle,Ponce,PR,00716\n".encode("cp1252")

    result = run_import(data, "otp-directory", encoding="utf-8")

    assert result.rejected[0].line == 2
    assert result.rejected[0].reason.startswith("undecodable bytes")


# --- HSDS ---


def _our_service(**changes) -> dict:
    """A service as export_hsds writes it (the convention shared with the exporter)."""
    service = {
        "id": "5c1f0a2e-2a43-4a39-9d7a-0d6c0c0c0001",
        "name": "Peak Recovery",
        "description": "Outpatient care.",
        "url": "https://peak.example.org",
        "organization": {"id": "org-1", "name": "Peak Health"},
        "phones": [
            {"id": "ph-1", "number": "+13035550111", "extension": "42", "type": "voice"},
            {"id": "ph-2", "number": "+13035550122", "type": "voice", "description": "Intake"},
        ],
        "service_at_locations": [
            {
                "id": "sal-1",
                "location": {
                    "id": "loc-1",
                    "location_type": "physical",
                    "latitude": 39.74,
                    "longitude": -104.99,
                    "addresses": [
                        {
                            "id": "addr-1",
                            "address_1": "2 Colfax Ave",
                            "city": "Denver",
                            "state_province": "CO",
                            "postal_code": "80202",
                            "country": "US",
                            "address_type": "physical",
                        }  # fmt: skip
                    ],
                },
            }
        ],
        "attributes": [
            {"id": "a1", "taxonomy_term": {"code": "medicaid", "taxonomy": "treatment-finder"}},
            {"id": "a2", "taxonomy_term": {"code": "RES", "name": "Residential"}},
            {"id": "a3", "taxonomy_term": {"code": "", "name": "Long-term residential"}},
            {"id": "a4", "taxonomy_term": {"code": "xx", "name": "Yoga", "taxonomy": "other"}},
        ],
    }
    return service | changes


def _check_peak(result, intake="+13035550122"):
    program = Program.objects.get()
    assert (program.source, program.external_id) == ("hsds", _our_service()["id"])
    assert (program.name, program.organization.name) == ("Peak Recovery", "Peak Health")
    assert (program.phone, program.phone_extension) == ("+13035550111", "42")
    assert program.intake_phone == intake
    assert (program.latitude, program.longitude, program.zip_code) == (39.74, -104.99, "80202")
    assert _codes(program) == {"medicaid", "residential", "residential-long"}
    assert result.unmapped == Counter({"other: xx": 1})


@pytest.mark.parametrize(
    "wrap",
    [
        lambda s: s,
        lambda s: [s],
        lambda s: {"contents": [s], "total_items": 1},
        lambda s: {**s.pop("organization"), "services": [s]},
        lambda s: [{**s.pop("organization"), "services": [s]}],
        lambda s: [{**s["service_at_locations"].pop(), "service": s}],
    ],
    ids=["service", "list", "page", "organization", "organizations", "service_at_locations"],
)
def test_hsds_json_forms_import(run_import, wrap):
    result = run_import(json.dumps(wrap(_our_service())).encode(), "hsds")

    _check_peak(result)


def _csv(header: str, *rows: str) -> bytes:
    return "\n".join([header, *rows]).encode() + b"\n"


def test_an_hsds_service_with_an_overlong_id_is_rejected(run_import):
    result = run_import(json.dumps([_our_service(id="x" * 500)]).encode(), "hsds")

    assert result.rejected[0].reason == "id longer than 100 characters"
    assert not Program.objects.exists()


def test_hsds_tabular_json_imports(run_import):
    service = _our_service()
    sal = service.pop("service_at_locations")[0]
    location = sal.pop("location")
    address = location.pop("addresses")[0]
    tables = {
        "service": [service | {"organization_id": "org-1"}],
        "organization": [service.pop("organization")],
        "service_at_location": [sal | {"service_id": service["id"], "location_id": "loc-1"}],
        "location": [location],
        "address": [address | {"location_id": "loc-1"}],
        "phone": [phone | {"service_id": service["id"]} for phone in service.pop("phones")],
        "attribute": [
            {"id": a["id"], "link_id": service["id"], "taxonomy_term_id": f"t{n}"}
            for n, a in enumerate(service["attributes"])
        ],
        "taxonomy_term": [
            a["taxonomy_term"] | {"id": f"t{n}"} for n, a in enumerate(service.pop("attributes"))
        ],
    }

    result = run_import(json.dumps(tables).encode(), "hsds")

    _check_peak(result)


def test_hsds_csv_package_imports_as_a_zip(run_import):
    sid = _our_service()["id"]
    files = {
        "services.csv": _csv(
            "id,organization_id,name,description,url", f"{sid},org-1,Peak Recovery,,"
        ),
        "organizations.csv": _csv("id,name", "org-1,Peak Health"),
        "locations.csv": _csv(
            "id,location_type,latitude,longitude", "loc-1,physical,39.74,-104.99"
        ),
        "service_at_location.csv": _csv("id,service_id,location_id", f"sal-1,{sid},loc-1"),
        "addresses.csv": _csv(
            "id,location_id,address_1,city,state_province,postal_code,address_type",
            "addr-1,loc-1,2 Colfax Ave,Denver,CO,80202,physical",
        ),
        "phones.csv": _csv(
            "id,service_id,number,extension,type", f"ph-1,{sid},3035550111,42,voice"
        ),
        "taxonomies.csv": _csv("id,name", "tx-1,treatment-finder", "tx-2,other"),
        "taxonomy_terms.csv": _csv(
            "id,code,name,taxonomy_id",
            "t1,medicaid,Medicaid,tx-1",
            "t2,RES,Residential,",
            "t3,,Long-term residential,",
            "t4,xx,Yoga,tx-2",
        ),
        "attributes.csv": _csv(
            "id,link_id,taxonomy_term_id,link_type",
            *(f"a{n},{sid},t{n},service" for n in range(1, 5)),
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(f"package/{name}", content)

    result = run_import(buffer.getvalue(), "hsds")

    _check_peak(result, intake="")  # this package lists the main phone only


@needs_shared_data
@pytest.mark.parametrize(
    "name", ["service_full.json", "service_list.json", "organization_full.json", "csv"]
)
def test_official_hsds_examples_are_read_and_their_non_us_places_rejected(run_import, name):
    path = SHARED_DATA / "hsds" / "examples" / name
    data = {p.name: p.read_bytes() for p in path.iterdir()} if path.is_dir() else path.read_bytes()

    result = run_import(data, "hsds")

    # The examples' service sits at latitude 100 in "MyState" (or nowhere): rejected, said why.
    assert result.rows >= 1
    assert result.rejected and result.rejected[0].name == "Community Counselling"
    assert result.rejected[0].reason in {"unknown state 'MyState'", "missing state"}
    assert not Program.objects.exists()


# --- The real files, whole (shared/data) ---


@needs_shared_data
@pytest.mark.parametrize(
    ("name", "format", "created", "rejected"),
    [
        ("facilities_12_states.csv", "samhsa-locator", 6734, 2),
        ("ca_residential_facilities.json", "samhsa-api", 478, 0),
        ("opioid_treatment_programs.csv", "otp-directory", 1830, 1),
    ],
)
def test_real_samhsa_files_import_and_reimport_unchanged(
    run_import, name, format, created, rejected
):
    data = (SHARED_DATA / "samhsa" / name).read_bytes()

    first = run_import(data, format)
    again = run_import(data, format)

    assert (first.created, len(first.rejected)) == (created, rejected)
    assert all(r.reason.startswith("duplicate of line") for r in first.rejected)
    assert (again.created, again.updated, again.unchanged) == (0, 0, created)
    assert Program.objects.published().count() == created
