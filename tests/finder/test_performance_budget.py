"""The budget for slow phones: what a first visit downloads from us, and nothing heavy hidden."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from scripts.page_weight import BUDGET_BYTES, first_load
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
OUR_CSS = Path(settings.BASE_DIR) / "static" / "css"


def test_full_search_page_with_its_map_fits_150_kb_compressed(client):
    ProgramFactory.create_batch(
        25, terms=["residential-long", "medicaid", "medicare", "buprenorphine", "methadone"]
    )
    html = client.get("/", {"location": "94110", "payment": "medicaid"}).content.decode()
    sizes = first_load(html)
    assert "/static/vendor/leaflet/leaflet.js" in sizes  # the map is counted
    assert sum(gz for _, gz in sizes.values()) <= BUDGET_BYTES


def test_no_web_fonts_are_needed():
    for css in OUR_CSS.glob("*.css"):
        assert "@font-face" not in css.read_text()
        assert "@import" not in css.read_text()


def test_every_image_in_our_templates_has_width_and_height():
    for template in TEMPLATES.rglob("*.html"):
        for img in re.findall(r"<img\b[^>]*>", template.read_text()):
            assert "width=" in img and "height=" in img, f"{template.name}: {img}"
