import re

import pytest
from django.urls import reverse

from finder.guides import GUIDES

pytestmark = pytest.mark.django_db

SLUGS = [guide.slug for guide in GUIDES]
PUBLIC_SOURCES = ("samhsa.gov", "nida.nih.gov", "fda.gov")


def test_home_page_leads_to_every_guide(client):
    html = client.get(reverse("search")).content.decode()
    for slug in SLUGS:
        assert f'href="/guides/{slug}/"' in html


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("slug", SLUGS)
def test_each_guide_cites_public_sources_and_links_into_a_prefilled_search(client, slug, language):
    prefix = "/es" if language == "es" else ""
    response = client.get(f"{prefix}/guides/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    sources = html.split('id="sources-heading"')[1]
    assert any(source in sources for source in PUBLIC_SOURCES)
    assert re.search(rf'href="{prefix}/\?(level|medication|payment|therapy|care_type)=', html)
    assert 'href="tel:988"' in html  # the crisis line, as on every page


def test_guides_say_they_are_not_medical_advice(client):
    for slug in SLUGS:
        assert "not medical advice" in client.get(f"/guides/{slug}/").content.decode()


def test_naloxone_guide_says_call_911_and_mentions_good_samaritan_laws(client):
    html = client.get("/guides/naloxone/").content.decode()
    assert 'href="tel:911"' in html
    assert "Good Samaritan" in html
    assert "fda.gov" in html


def test_medications_guide_covers_the_three_medicines(client):
    html = client.get("/es/guides/medications/").content.decode()
    for medicine in ["Metadona", "Buprenorfina", "Naltrexona"]:
        assert f"<h2>{medicine}</h2>" in html


def test_helping_a_loved_one_lists_family_support_groups(client):
    html = client.get("/guides/helping-a-loved-one/").content.decode()
    for group in ["Al-Anon", "Nar-Anon", "SMART Recovery Family &amp; Friends", "CRAFT"]:
        assert group in html


def test_unknown_guide_is_a_friendly_404(client):
    response = client.get("/guides/no-such-guide/")
    assert response.status_code == 404
    assert "Search for treatment near you" in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [
        ("", "If your child is a teenager or a young adult"),
        ("/es", "Si su hijo o hija es adolescente"),
    ],
)
def test_helping_a_loved_one_has_a_section_for_parents_of_teenagers_and_young_adults(
    client, prefix, heading
):
    html = client.get(f"{prefix}/guides/helping-a-loved-one/").content.decode()
    section = html.split('id="teens-and-young-adults"')[1].split("<h2")[0]
    assert heading in section
    assert "42 CFR" in section  # consent and confidentiality at 18
    assert "naloxon" in section  # naloxone / naloxona at home
    assert f'href="{prefix}/?population=adolescents"' in section
    assert f'href="{prefix}/?population=young-adults"' in section
    for source in [
        "nida.nih.gov/publications/principles-adolescent-substance-use-disorder-treatment",
        "samhsa.gov/substance-use/treatment/youth-and-families",
        "samhsa.gov/about-us/who-we-are/laws-regulations/confidentiality-regulations-faqs",
        "fda.gov/news-events/press-announcements/fda-approves-first-over-counter-naloxone",
    ]:
        assert source in section, source
        assert source in html.split('id="sources-heading"')[1], source
