"""The filter groups: each process keeps a rendered group ({% facet_checkboxes %}), yet a
searcher always sees what they ticked, the counts of their own search, the messages about
their own input, the labels of today's taxonomy and the page's language."""

import re

import pytest
from django.urls import reverse

from programs import taxonomy
from programs.models import Term
from tests.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

SEARCH = reverse("search")


def group(client, params: dict, facet: str, path: str = SEARCH) -> str:
    """The HTML of the filter group of query parameter `facet`."""
    html = client.get(path, params).content.decode()
    found = re.search(rf'<details class="facet" id="id_{facet}".*?</details>', html, flags=re.S)
    assert found, f"no group {facet}"
    return found.group(0)


def ticked(html: str) -> list[str]:
    return re.findall(r'value="([^"]+)" id="[^"]+" checked', html)


def test_each_search_shows_its_own_ticks(client):
    ProgramFactory(terms=["residential", "outpatient"])
    assert ticked(group(client, {"location": "94110", "level": "residential"}, "level")) == [
        "residential"
    ]
    both = group(client, {"location": "94110", "level": ["outpatient", "residential"]}, "level")
    assert ticked(both) == ["residential", "outpatient"]  # in the taxonomy's order
    assert "2 chosen" in both
    assert ticked(group(client, {"location": "94110"}, "level")) == []


def test_counts_follow_the_directory_and_the_search(client):
    ProgramFactory(terms=["medicaid"])
    assert 'Medicaid <span class="option-count">(1)</span>' in group(
        client, {"location": "94110"}, "payment"
    )
    ProgramFactory(terms=["medicaid"])
    assert 'Medicaid <span class="option-count">(2)</span>' in group(
        client, {"location": "94110"}, "payment"
    )
    # Not the same search: another place, where nothing is listed.
    assert 'Medicaid <span class="option-count">(0)</span>' in group(
        client, {"location": "10027"}, "payment"
    )


def test_a_message_about_one_search_is_not_shown_on_the_next(client):
    refused = group(client, {"location": "94110", "level": "moon-base"}, "level")
    assert "is not a choice we know" in refused
    assert "is not a choice we know" not in group(client, {"location": "94110"}, "level")


def test_a_relabelled_term_shows_at_once(client):
    ProgramFactory(terms=["outpatient"])
    assert "Outpatient care" not in group(client, {"location": "94110"}, "level")
    Term.objects.filter(code="outpatient").update(label_en="Outpatient care")
    taxonomy.changed()
    assert "Outpatient care" in group(client, {"location": "94110"}, "level")


def test_a_group_reads_in_the_language_of_each_page(client):
    ProgramFactory(terms=["medicaid"])
    english = group(client, {"location": "94110"}, "payment")
    spanish = group(client, {"location": "94110"}, "payment", path="/es/")
    assert "<summary>Payment" in english
    assert "<summary>Payment" not in spanish and "<summary>Pago" in spanish
