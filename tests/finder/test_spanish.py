"""Spanish: URLs that carry the language, a switcher that keeps the search, complete catalogue."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"


def test_spanish_search_page_translates_interface_and_taxonomy(client):
    ProgramFactory(terms=["residential-short", "medicaid"])
    html = client.get("/es/", {"location": "94110", "payment": "medicaid"}).content.decode()
    assert '<html lang="es">' in html
    assert "Encuentre tratamiento para la adicción cerca de usted" in html
    assert "1 programa a 25 millas o menos de 94110" in html
    assert "Residencial a corto plazo" in html  # Term.label_es
    assert "Nivel de atención" in html  # facet label
    assert "A 25 millas o menos" in html  # radius choices follow the language too
    assert "Find addiction treatment" not in html


def test_language_switcher_keeps_the_current_search(client):
    query = "location=94110&level=residential&payment=medicaid"
    english = client.get(f"/?{query}").content.decode()
    link = re.search(r'<a href="([^"]+)" hreflang="es" lang="es"', english).group(1)
    assert link == f"/es/?{query}".replace("&", "&amp;")
    spanish = client.get(f"/es/?{query}").content.decode()
    back = re.search(r'<a href="([^"]+)" hreflang="en" lang="en"', spanish).group(1)
    assert back == f"/?{query}".replace("&", "&amp;")


def test_detail_page_in_spanish_keeps_the_program_description_as_entered(client):
    program = ProgramFactory(description="Walk-in assessments every morning.")
    html = client.get(f"/es{program.get_absolute_url()}").content.decode()
    assert "Walk-in assessments every morning." in html
    assert "Cómo llegar" in html


def test_english_stays_at_the_root_whatever_the_browser_prefers(client):
    response = client.get("/", headers={"accept-language": "es"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_admin_is_outside_the_language_prefix(client):
    assert client.get("/admin/").status_code == 302
    assert client.get("/es/admin/").status_code == 404


def test_spanish_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    with open(LOCALE / "django.mo", "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)._catalog
    for entry in po.translated_entries():
        # gettext keys a message with a context (pgettext) as "context\x04msgid".
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            assert compiled[(key, 1)] == entry.msgstr_plural[1], entry.msgid
        else:
            assert compiled[key] == entry.msgstr, f"run compilemessages: {entry.msgid}"


def test_each_page_names_its_other_language_version_for_search_engines(client):
    html = client.get("/guides/naloxone/").content.decode()
    assert '<link rel="alternate" hreflang="es" href="/es/guides/naloxone/">' in html
