"""My list (/list/) and the comparison (/compare/): server-rendered from the ids in the URL, so
they work without JavaScript, are shared by their link, and never store anything."""

import re

import pytest

from finder.shortlist import MAX_COMPARED, MAX_SAVED, parse_ids
from programs import search, taxonomy
from programs.models import Program
from programs.places import Point
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SACRAMENTO = {"city": "Sacramento", "zip_code": "95814", "latitude": 38.58, "longitude": -121.49}


def ids_of(*programs) -> str:
    return ",".join(str(program.pk) for program in programs)


def saved_names(html: str) -> list[str]:
    return re.findall(r'<h2 id="saved-\d+"><a href="[^"]+">([^<]+)</a></h2>', html)


def test_list_shows_the_saved_programs_in_the_order_of_its_link(client):
    first, second, third = ProgramFactory.create_batch(3)
    html = client.get(f"/list/?ids={ids_of(third, first, second)}").content.decode()
    assert saved_names(html) == [third.name, first.name, second.name]


def test_each_saved_program_shows_phone_address_hours_and_a_notes_line_for_printing(client):
    program = ProgramFactory(hours="Mon–Fri 8am–5pm", phone="+14155550123")
    html = client.get(f"/list/?ids={program.pk}").content.decode()
    assert '<a href="tel:+14155550123">(415) 555-0123</a>' in html
    assert program.one_line_address in html
    assert "Mon–Fri 8am–5pm" in html
    assert html.count('class="notes-line print-only"') == 1
    assert "Notes / called on:" in html


def test_unpublished_and_unknown_programs_are_left_out_with_a_note(client):
    shown = ProgramFactory()
    hidden = ProgramFactory(status=Program.Status.DRAFT)
    response = client.get(f"/list/?ids={shown.pk},{hidden.pk},987654")
    html = response.content.decode()
    assert response.status_code == 200
    assert saved_names(html) == [shown.name]
    assert hidden.name not in html
    assert "2 programs on this list are no longer listed" in html


@pytest.mark.parametrize(
    "ids",
    ["abc", "-1", "1.5", "0", "9" * 40, "1,,2", "%00", "１２", "", "1" + ",1" * 5000],
)
def test_any_text_as_ids_gives_a_page_not_an_error(client, ids):
    assert client.get("/list/", {"ids": ids}).status_code == 200
    assert client.get("/compare/", {"ids": ids}).status_code == 200


def test_ids_are_whole_numbers_once_each_and_at_most_the_maximum():
    assert parse_ids(["12,40", "12", " 7 ", "x"]).ids == [12, 40, 7]
    assert parse_ids(["x"]).ignored_text
    many = parse_ids([",".join(str(n) for n in range(1, MAX_SAVED + 5))])
    assert many.ids == list(range(1, MAX_SAVED + 1)) and many.too_many


def test_save_without_javascript_adds_and_removes_through_the_list_address(client):
    a, b, c = ProgramFactory.create_batch(3)
    added = client.get(f"/list/?ids={ids_of(a, b)}&add={c.pk}&add={a.pk}")
    assert added.status_code == 302 and added["Location"] == f"/list/?ids={ids_of(a, b, c)}"
    removed = client.get(f"/list/?ids={ids_of(a, b, c)}&remove={b.pk}")
    assert removed["Location"] == f"/list/?ids={ids_of(a, c)}"
    emptied = client.get(f"/list/?ids={a.pk}&remove={a.pk}")
    assert emptied["Location"] == "/list/"


def test_each_remove_link_leads_to_the_list_without_that_program(client):
    a, b = ProgramFactory.create_batch(2)
    html = client.get(f"/list/?ids={ids_of(a, b)}").content.decode()
    assert f'href="/list/?ids={b.pk}" data-remove-id="{a.pk}"' in html
    assert f'href="/list/?ids={a.pk}" data-remove-id="{b.pk}"' in html


def test_the_share_link_is_the_list_itself_without_unknown_ids(client):
    program = ProgramFactory()
    html = client.get(f"/list/?ids={program.pk},99999,zz").content.decode()
    assert f'id="share-url">http://testserver/list/?ids={program.pk}</a>' in html


def test_an_empty_list_says_how_to_save(client):
    html = client.get("/list/").content.decode()
    assert "Your list is empty." in html


def test_save_is_on_every_result_card_and_the_detail_page_and_my_list_in_the_header(client):
    programs = ProgramFactory.create_batch(2)
    results = client.get("/?location=94110").content.decode()
    for program in programs:
        assert f'data-save-id="{program.pk}"' in results
        assert f'href="/list/?ids={program.pk}"' in results  # Save without JavaScript
    detail = client.get(programs[0].get_absolute_url()).content.decode()
    assert f'data-save-id="{programs[0].pk}"' in detail
    assert 'id="my-list-link"' in detail and "My list" in detail


def test_the_first_four_are_ticked_to_compare(client):
    programs = ProgramFactory.create_batch(6)
    html = client.get(f"/list/?ids={ids_of(*programs)}").content.decode()
    assert html.count("checked>") == MAX_COMPARED


def compare_rows(html: str) -> dict[str, bool]:
    """Each table row's heading → whether it is marked as differing."""
    rows = re.findall(r'<tr( class="differs")?>\s*<th scope="row">([^<]+)', html)
    return {label.strip(): bool(differs) for differs, label in rows}


def test_compare_marks_the_rows_where_programs_differ(client):
    a = ProgramFactory(terms=["residential", "medicaid", "spanish"], hours="24/7")
    b = ProgramFactory(terms=["residential", "cash", "spanish"], hours="24/7")
    html = client.get(f"/compare/?ids={ids_of(a, b)}").content.decode()
    rows = compare_rows(html)
    assert rows["Payment"] is True
    assert rows["Levels of care"] is False
    assert rows["Languages"] is False
    assert rows["Hours"] is False
    assert html.count('<span class="differs-label">Differs</span>') == 2  # table and stacked
    # Within the row, what not every program offers stands out (and says so to screen readers).
    assert '<li class="not-shared">Medicaid<span class="visually-hidden"> (not all offer this)' in (
        html
    )


def test_compare_shows_every_row_the_issue_asks_for(client):
    a, b = ProgramFactory.create_batch(2, beds_available=3)
    html = client.get(f"/compare/?ids={ids_of(a, b)}&location=94110").content.decode()
    assert list(compare_rows(html)) == [
        "Levels of care",
        "Medications",
        "Payment",
        "Who it serves",
        "Languages",
        "Licensing and accreditation",
        "Availability",
        "Beds",
        "Verified",
        "Distance",
        "Hours",
        "Phone",
        "Address",
    ]


def test_compare_tells_which_programs_are_accredited(client):
    a = ProgramFactory(terms=["accredited-joint-commission"])
    b = ProgramFactory(terms=[])
    html = client.get(f"/compare/?ids={ids_of(a, b)}").content.decode()
    assert compare_rows(html)["Licensing and accreditation"] is True
    assert "The Joint Commission" in html


def test_compare_gives_distances_from_the_last_searched_place_only_when_given(client):
    near = ProgramFactory(name="Mission Clinic")
    far = ProgramFactory(name="Capitol Clinic", **SACRAMENTO)
    with_place = client.get(f"/compare/?ids={ids_of(near, far)}&location=94110").content.decode()
    assert re.search(r"\b0\.\d miles from 94110", with_place)
    assert re.search(r"\b7\d\.\d miles from 94110", with_place)
    without = client.get(f"/compare/?ids={ids_of(near, far)}").content.decode()
    assert "Distance" not in compare_rows(without)


def test_compare_with_a_place_it_cannot_find_leaves_out_distances_and_says_so(client):
    program = ProgramFactory()
    response = client.get(f"/compare/?ids={program.pk}&location=Atlantis%20ZZ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "distances are left out" in html
    assert "Distance" not in compare_rows(html)


def test_compare_keeps_the_first_four_and_says_so(client):
    programs = ProgramFactory.create_batch(6)
    html = client.get(f"/compare/?ids={ids_of(*programs)}").content.decode()
    headers = re.findall(r'<th scope="col"><a href="[^"]+">([^<]+)</a></th>', html)
    assert headers == [program.name for program in programs[:MAX_COMPARED]]
    assert "You can compare up to 4 programs at a time" in html


def test_compare_leaves_out_unpublished_programs_with_a_note(client):
    shown = ProgramFactory()
    archived = ProgramFactory(status=Program.Status.ARCHIVED)
    response = client.get(f"/compare/?ids={ids_of(shown, archived)}")
    assert response.status_code == 200
    html = response.content.decode()
    assert archived.name not in html
    assert "1 program is no longer listed" in html


def test_the_compare_form_sends_ticked_ids_as_repeated_parameters(client):
    a, b = ProgramFactory.create_batch(2)
    html = client.get(f"/compare/?ids={a.pk}&ids={b.pk}").content.decode()
    assert re.findall(r'<th scope="col"><a href="[^"]+">([^<]+)</a></th>', html) == [
        a.name,
        b.name,
    ]


def test_list_and_compare_in_spanish(client):
    a, b = ProgramFactory.create_batch(2, terms=["medicaid"])
    listed = client.get(f"/es/list/?ids={ids_of(a, b)}").content.decode()
    assert "Mi lista" in listed and "Notas / llamé el:" in listed
    compared = client.get(f"/es/compare/?ids={ids_of(a, b)}").content.decode()
    assert "Comparar programas" in compared and "Pago" in compared


def test_list_and_compare_pages_take_a_few_queries_whatever_the_length(
    client, django_assert_max_num_queries
):
    programs = ProgramFactory.create_batch(MAX_SAVED, terms=["medicaid", "residential"])
    with django_assert_max_num_queries(4):
        client.get(f"/list/?ids={ids_of(*programs)}")
    with django_assert_max_num_queries(4):
        client.get(f"/compare/?ids={ids_of(*programs[:4])}&location=94110")


def test_programs_by_ids_keeps_the_order_skips_unpublished_and_measures_distance():
    a, b = ProgramFactory.create_batch(2, terms=["medicaid"])
    draft = ProgramFactory(status=Program.Status.DRAFT)
    found = search.programs_by_ids([b.pk, draft.pk, a.pk], Point(37.7509, -122.4153))
    assert found == [b, a]
    assert found[0].distance == pytest.approx(0, abs=0.01)
    assert [term.code for term in found[0].payment_options] == ["medicaid"]


def test_each_match_walks_the_whole_search_in_order_in_chunks_up_to_the_limit(
    django_assert_max_num_queries,
):
    ProgramFactory.create_batch(7)
    programs = Program.objects.published().order_by("-name", "pk")
    taxonomy.current()  # read once per process, not per chunk
    with django_assert_max_num_queries(1 + 2 * 3):  # the ids, then rows and terms per chunk
        walked = list(search.each_match(programs, limit=100, chunk=3))
    assert walked == list(programs)
    assert list(search.each_match(programs, limit=5, chunk=3)) == list(programs[:5])


def test_nothing_of_the_list_is_kept_on_the_server(client):
    program = ProgramFactory()
    response = client.get(f"/list/?ids={program.pk}")
    assert not response.cookies
