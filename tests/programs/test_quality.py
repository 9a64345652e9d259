"""Data-quality review: listings far from their ZIP and likely duplicates, and staff's decisions."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programs import places, quality
from programs.importers.sync import import_file
from programs.models import Program, QualityDecision
from tests.factories import SACRAMENTO, ProgramFactory
from tests.programs.importers.conftest import locator_csv

LOCATIONS = reverse("admin:programs_quality_locations")
DUPLICATES = reverse("admin:programs_quality_duplicates")
# A listing with San Francisco's ZIP (the factory's 94110) but Sacramento's coordinates.
MISPLACED = {"latitude": SACRAMENTO["latitude"], "longitude": SACRAMENTO["longitude"]}


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Coordinates far from their ZIP ---


@pytest.mark.django_db
def test_far_from_zip_lists_a_listing_miles_from_its_zip_and_not_one_in_place():
    misplaced = ProgramFactory(**MISPLACED)
    ProgramFactory()  # in the Mission, in 94110
    ProgramFactory(**MISPLACED, location_approximate=True, name="At the centre anyway")
    ProgramFactory(**MISPLACED, zip_code="00001", name="Unknown ZIP")
    ProgramFactory(**MISPLACED, status=Program.Status.ARCHIVED, name="Archived")

    found = quality.far_from_zip()

    assert [item.program for item in found] == [misplaced]
    assert 60 < found[0].miles < 90
    assert found[0].centroid == places.zip_centroid("94110")


@pytest.mark.django_db
def test_far_from_zip_leaves_out_coordinates_staff_confirmed():
    program = ProgramFactory(**MISPLACED)
    quality.confirm_location(program=program)
    assert quality.far_from_zip() == []


@pytest.mark.django_db
def test_confirmed_coordinates_are_reviewed_again_once_they_change():
    program = ProgramFactory(**MISPLACED)
    quality.confirm_location(program=program)
    program.latitude, program.longitude = 38.0, -121.0  # a later import moved it elsewhere
    program.save()
    assert [item.program for item in quality.far_from_zip()] == [program]


def test_locations_page_lists_the_finding_with_both_points(staff_client):
    program = ProgramFactory(**MISPLACED, name="Misplaced Clinic")
    response = staff_client("Editor").get(LOCATIONS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Misplaced Clinic" in page
    assert reverse("admin:programs_program_change", args=[program.pk]) in page
    centroid = places.zip_centroid("94110")
    assert f"{centroid.latitude:.5f}, {centroid.longitude:.5f}" in page
    assert f"{SACRAMENTO['latitude']:.5f}, {SACRAMENTO['longitude']:.5f}" in page


def test_use_zip_centre_moves_the_listing_and_records_why(staff_client):
    program = ProgramFactory(**MISPLACED)
    client = staff_client("Editor")

    response = client.post(LOCATIONS, {"program": program.pk, "action": "use-zip-centre"})

    assert response.status_code == 302 and response.url == LOCATIONS
    program.refresh_from_db()
    centroid = places.zip_centroid("94110")
    assert (program.latitude, program.longitude) == (centroid.latitude, centroid.longitude)
    assert program.location_approximate
    latest = program.history.latest()
    assert "ZIP 94110" in latest.history_change_reason
    assert latest.history_user == client.user
    assert quality.far_from_zip() == []


def test_coordinates_are_right_keeps_them_and_drops_the_finding(staff_client):
    program = ProgramFactory(**MISPLACED)
    client = staff_client("Editor")

    client.post(LOCATIONS, {"program": program.pk, "action": "location-ok"})

    program.refresh_from_db()
    assert (program.latitude, program.longitude) == (MISPLACED["latitude"], MISPLACED["longitude"])
    decision = QualityDecision.objects.get()
    assert decision.kind == QualityDecision.Kind.LOCATION_OK and decision.decided_by == client.user
    assert "Misplaced" not in client.get(LOCATIONS).content.decode()
    assert quality.far_from_zip() == []


@pytest.mark.parametrize("program", ["", "abc", "999999"])
def test_a_bad_location_post_changes_nothing_and_says_so(staff_client, program):
    ProgramFactory(**MISPLACED)
    response = staff_client("Editor").post(LOCATIONS, {"program": program, "action": "location-ok"})
    assert response.status_code == 302
    assert "Nothing was changed" in _messages(response)[0]
    assert not QualityDecision.objects.exists()


# --- Likely duplicates ---


@pytest.mark.django_db
def test_likely_duplicates_pairs_one_name_at_one_address_within_a_source():
    first = ProgramFactory(name="The Harbor House, Inc.", street="1 Main St")
    second = ProgramFactory(name="harbor house", street="1 Main Street, Suite 4")
    ProgramFactory(name="Harbor House", zip_code="94612")  # another ZIP: another place

    pairs = quality.likely_duplicates()

    assert [(p.first, p.second, p.reason) for p in pairs] == [(first, second, "name")]


@pytest.mark.django_db
def test_likely_duplicates_pairs_one_name_in_one_zip_across_sources_only():
    locator = ProgramFactory(name="Harbor House", street="1 Main St", source="samhsa-locator")
    ProgramFactory(name="Harbor House", street="9 Other Road", source="samhsa-locator")  # a chain
    otp = ProgramFactory(name="Harbor House", street="12 Main St", source="otp-directory")

    pairs = {(p.first, p.second) for p in quality.likely_duplicates()}

    assert len(pairs) == 2 and (locator, otp) in pairs
    assert all(otp in pair for pair in pairs)


@pytest.mark.django_db
def test_likely_duplicates_pairs_same_street_across_sources():
    locator = ProgramFactory(
        name="Harbor House", street="404 West Aero Drive, Suite 2", source="samhsa-locator"
    )
    otp = ProgramFactory(
        name="Harbor Opioid Treatment", street="404 W. Aero Dr", source="samhsa-otp"
    )
    ProgramFactory(name="Harbor House", street="404 West Aero Drive", zip_code="94612")

    pairs = quality.likely_duplicates()

    assert [(p.first, p.second, p.reason) for p in pairs] == [(locator, otp, "street")]


@pytest.mark.django_db
def test_likely_duplicates_leaves_alone_programs_sharing_a_building_in_one_source():
    ProgramFactory(name="Harbor Youth", street="404 West Aero Drive", source="samhsa-otp")
    ProgramFactory(name="Harbor Adults", street="404 W Aero Dr", source="samhsa-otp")
    assert quality.likely_duplicates() == []


@pytest.mark.django_db
def test_likely_duplicates_leaves_out_pairs_kept_apart_and_unpublished_listings():
    first = ProgramFactory(name="Harbor House")
    second = ProgramFactory(name="Harbor House")
    ProgramFactory(name="Harbor House", status=Program.Status.ARCHIVED)
    quality.keep_apart(first=second, second=first)  # either order
    assert quality.likely_duplicates() == []


def test_keep_apart_button_records_the_decision(staff_client):
    first = ProgramFactory(name="Harbor House")
    second = ProgramFactory(name="Harbor House")
    client = staff_client("Editor")
    assert client.get(DUPLICATES).content.decode().count("Merge into this one") == 2

    response = client.post(
        DUPLICATES, {"first": first.pk, "second": second.pk, "action": "keep-apart"}
    )

    assert response.status_code == 302 and response.url == DUPLICATES
    decision = QualityDecision.objects.get()
    assert (decision.program, decision.other, decision.decided_by) == (first, second, client.user)
    assert "Merge into this one" not in client.get(DUPLICATES).content.decode()
    assert Program.objects.published().count() == 2


def test_merge_archives_the_other_and_moves_its_services(staff_client, term):
    first = ProgramFactory(name="Harbor House", terms=["medicaid"])
    second = ProgramFactory(name="Harbor House", terms=["residential"])
    client = staff_client("Editor")

    client.post(DUPLICATES, {"first": first.pk, "second": second.pk, "action": "merge-into-second"})

    first.refresh_from_db()
    assert first.status == Program.Status.ARCHIVED
    assert f"#{second.pk}" in first.history.latest().history_change_reason
    assert set(second.terms.values_list("code", flat=True)) == {"medicaid", "residential"}
    assert quality.likely_duplicates() == []


def test_a_merge_holds_through_a_re_import(staff_client):
    row = "Harbor House,,1 Main St,,Boston,MA,02134,,Suffolk,617-555-0100,,42.35,-71.13"
    import_file(locator_csv(row), format="samhsa-locator", filename="april.csv")
    imported = Program.objects.get(source="samhsa-locator")
    manual = ProgramFactory(
        name="Harbor House", street="1 Main Street", city="Boston", state="MA", zip_code="02134"
    )
    [pair] = quality.likely_duplicates()
    assert {pair.first, pair.second} == {imported, manual}

    staff_client("Editor").post(
        DUPLICATES,
        {"first": imported.pk, "second": manual.pk, "action": "merge-into-second"},
    )
    newer = row.replace("617-555-0100", "617-555-0199")
    import_file(locator_csv(newer), format="samhsa-locator", filename="may.csv")

    imported.refresh_from_db()
    assert imported.status == Program.Status.ARCHIVED
    assert imported.phone.as_e164 == "+16175550199"  # the import did run over it
    assert quality.likely_duplicates() == []


def test_a_bad_duplicates_post_changes_nothing_and_says_so(staff_client):
    first = ProgramFactory(name="Harbor House")
    response = staff_client("Editor").post(
        DUPLICATES, {"first": first.pk, "second": first.pk, "action": "merge-into-first"}
    )
    assert "Nothing was changed" in _messages(response)[0]
    first.refresh_from_db()
    assert first.status == Program.Status.PUBLISHED


# --- Permissions ---


@pytest.mark.parametrize("url", [LOCATIONS, DUPLICATES])
def test_staff_who_may_not_edit_listings_get_403(client, django_user_model, url):
    program = ProgramFactory(**MISPLACED)
    ProgramFactory(name=program.name)
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(user)

    assert client.get(url).status_code == 403
    post = {"program": program.pk, "action": "use-zip-centre"}
    assert client.post(url, post).status_code == 403
    program.refresh_from_db()
    assert not program.location_approximate
    assert not QualityDecision.objects.exists()


def test_the_zip_centre_holds_through_a_re_import(staff_client):
    # Boston's ZIP 02134, with coordinates in Worcester (about 40 miles west).
    row = "Harbor House,,1 Main St,,Boston,MA,02134,,Suffolk,617-555-0100,,42.26,-71.80"
    import_file(locator_csv(row), format="samhsa-locator", filename="april.csv")
    program = Program.objects.get()
    assert [item.program for item in quality.far_from_zip()] == [program]

    staff_client("Editor").post(LOCATIONS, {"program": program.pk, "action": "use-zip-centre"})
    import_file(
        locator_csv(row.replace("617-555-0100", "617-555-0199")),
        format="samhsa-locator",
        filename="may.csv",
    )

    program.refresh_from_db()
    assert program.location_approximate and program.latitude != 42.26
    assert quality.far_from_zip() == []


def test_review_pages_cost_the_same_few_queries_however_many_findings(
    staff_client, django_assert_max_num_queries
):
    for n in range(5):
        ProgramFactory(**MISPLACED, name=f"Misplaced {n}")
        ProgramFactory(name=f"Twin {n}", phone="")
        ProgramFactory(name=f"Twin {n}", website="https://example.org")
    client = staff_client("Editor")
    client.get(LOCATIONS)  # session and permissions cached
    with django_assert_max_num_queries(8):
        assert client.get(LOCATIONS).content.decode().count("Coordinates are right") == 5
    with django_assert_max_num_queries(8):
        assert client.get(DUPLICATES).content.decode().count("Keep apart") == 5


def test_decision_list_links_to_both_reviews(staff_client):
    page = staff_client("Editor").get(reverse("admin:programs_qualitydecision_changelist"))
    assert LOCATIONS in page.content.decode() and DUPLICATES in page.content.decode()


def test_a_second_merge_press_changes_nothing(staff_client):
    first = ProgramFactory(name="Harbor House")
    second = ProgramFactory(name="Harbor House")
    client = staff_client("Editor")
    post = {"first": first.pk, "second": second.pk, "action": "merge-into-first"}
    client.post(DUPLICATES, post)

    response = client.post(DUPLICATES, {**post, "action": "merge-into-second"})

    assert "archived" in _messages(response)[-1]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Program.Status.PUBLISHED, Program.Status.ARCHIVED)
