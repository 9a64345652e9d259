"""The journeys people make on the public site, in headless Chromium; axe checks each page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

RESULTS_QUERY = "/?location=94110&level=residential&payment=medicaid"


def search_from_home(page, location: str):
    page.get_by_label("ZIP code, or city and state").fill(location)
    page.get_by_role("button", name="Search", exact=True).click()


def test_search_from_a_zip_with_two_filters_then_open_a_result(
    new_page, site, check_a11y, screenshot
):
    page = new_page()
    page.goto(site.url + "/")
    check_a11y(page, "home")
    screenshot(page, "home")
    page.get_by_label("ZIP code, or city and state").fill("94110")
    filters = page.locator("#filters")
    expect(filters).to_have_attribute("open", "")  # opened by finder.js on a wide screen
    page.locator("#id_level summary").click()
    page.get_by_label("Residential (live-in) treatment", exact=True).check()
    page.locator("#id_payment summary").click()
    page.get_by_label("Medicaid", exact=True).check()
    page.get_by_role("button", name="Search", exact=True).click()

    heading = page.locator("#results-heading")
    expect(heading).to_contain_text(re.compile(r"\d+ programs within 25 miles of 94110"))
    expect(page.locator(".chip")).to_have_count(2)
    expect(page.locator("#results-status")).to_have_text(heading.inner_text())
    check_a11y(page, "results (desktop)")
    screenshot(page, "results-desktop")

    first = page.locator(".result h3 a").first
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(name)
    call = page.locator("a.button.call")
    expect(call).to_have_attribute("href", re.compile(r"^tel:\+1\d{10}$"))
    page.get_by_role("button", name="Show map").click()
    expect(page.locator("#program-map .leaflet-marker-icon")).to_have_count(1)
    check_a11y(page, "program detail")
    screenshot(page, "detail")


def test_removing_a_filter_chip_is_one_tap(new_page, site):
    page = new_page()
    page.goto(site.url + RESULTS_QUERY)
    page.get_by_role("link", name="Remove filter: Medicaid").click()
    expect(page).to_have_url(site.url + "/?location=94110&level=residential")
    expect(page.locator(".chip")).to_have_count(1)


def test_map_shows_every_result_as_a_numbered_marker_or_in_a_group_with_a_popup(new_page, site):
    page = new_page()
    page.goto(site.url + RESULTS_QUERY)
    page.get_by_role("button", name="Show map").click()
    results = page.locator(".result")
    markers = page.locator("#results-map .map-marker")
    expect(markers.first).to_be_visible()
    # Pins that would sit on top of each other are grouped in one circle saying how many.
    grouped = sum(int(text.split()[0]) for text in page.locator(".map-cluster").all_inner_texts())
    assert markers.count() + grouped == results.count() > 1
    # As a keyboard user would: a marker is focusable and Enter opens its popup. (A click
    # toggles the popup, so a pointer event dispatched twice could close it again.)
    number = markers.first.inner_text()
    markers.first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    name = page.locator(f"#result-{number} h3 a").inner_text()
    expect(popup.get_by_role("link")).to_have_text(f"{number}. {name}")
    expect(popup).to_contain_text("miles away")


def test_switch_to_spanish_and_back_keeps_the_search(new_page, site, check_a11y):
    page = new_page()
    page.goto(site.url + RESULTS_QUERY)
    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(site.url + "/es" + RESULTS_QUERY)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#results-heading")).to_contain_text("programas a 25 millas o menos")
    expect(page.locator(".chip").first).to_contain_text("Tratamiento residencial")
    check_a11y(page, "results (Spanish)")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(site.url + RESULTS_QUERY)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_use_my_location_when_permission_is_granted(new_page, site):
    page = new_page(
        geolocation={"latitude": 37.7509, "longitude": -122.4153}, permissions=["geolocation"]
    )
    page.goto(site.url + "/")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#results-heading")).to_contain_text("of your location")
    assert "location=37.751%2C-122.415" in page.url
    expect(page.locator(".result").first).to_be_visible()


def test_use_my_location_when_permission_is_denied_leaves_the_zip_field_working(
    new_page, site, check_a11y
):
    page = new_page(permissions=[])
    page.goto(site.url + "/")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#locate-message")).to_contain_text("permission was not given")
    expect(page.get_by_label("ZIP code, or city and state")).to_be_focused()
    check_a11y(page, "home (location denied)")
    search_from_home(page, "94110")
    expect(page.locator("#results-heading")).to_contain_text("within 25 miles of 94110")


def test_phone_layout_at_375_by_667(new_page, site, check_a11y, screenshot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(site.url + RESULTS_QUERY)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.locator("#filters")).not_to_have_attribute("open", "")  # folded away
    expect(page.locator("#results-heading")).to_be_in_viewport()
    for call in page.locator(".result a.button.call").all():
        box = call.bounding_box()
        assert box["height"] >= 44 and box["width"] >= PHONE["width"] / 2  # a thumb-sized target
    toggle = page.get_by_role("button", name="Show map")
    expect(page.locator("#results-map")).to_be_hidden()
    toggle.tap()
    expect(page.locator("#results-map")).to_be_visible()
    expect(page.get_by_role("button", name="Hide map")).to_have_attribute("aria-expanded", "true")
    check_a11y(page, "results (phone)")
    screenshot(page, "results-phone")


def test_nothing_scrolls_sideways_at_320_pixels(new_page, site):
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True)
    for path in [RESULTS_QUERY, "/guides/medications/", "/es/"]:
        page.goto(site.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_keyboard_only_search_and_the_map_is_not_a_trap(new_page, site):
    page = new_page()
    page.goto(site.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()

    def tab_until(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"!!document.activeElement.closest({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_until("#id_location")
    page.keyboard.type("94110")
    page.keyboard.press("Enter")
    expect(page.locator("#results-heading")).to_contain_text("within 25 miles of 94110")

    tab_until("#map-toggle")
    page.keyboard.press("Enter")  # "Show map"
    # Leaflet is fetched when the map is first shown: its markers come a moment later.
    expect(page.locator("#results-map .leaflet-marker-icon").first).to_be_visible()
    tab_until("#results-map")
    tab_until(".result-list")  # Tab leads on out of the map, into the list
    page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_be_attached()


@pytest.mark.parametrize("path", ["/guides/", "/guides/naloxone/", "/es/guides/levels-of-care/"])
def test_guide_pages_pass_axe(new_page, site, check_a11y, path):
    page = new_page()
    page.goto(site.url + path)
    expect(page.locator("h1")).to_have_count(1)
    check_a11y(page, f"guide {path}")


def test_printing_results_gives_a_clean_list_with_phones_and_addresses(new_page, site):
    page = new_page()
    page.goto(site.url + RESULTS_QUERY)
    page.emulate_media(media="print")
    for hidden in ["form.search", "#map-panel", ".crisis", ".site-nav", ".chips"]:
        expect(page.locator(hidden)).to_be_hidden()
    first = page.locator(".result").first
    expect(first.locator(".address")).to_be_visible()
    expect(first.locator("a.button.call")).to_be_visible()
    expect(first.locator("a.button.call")).to_have_text(re.compile(r"\(\d{3}\) \d{3}-\d{4}"))


def test_without_javascript_the_list_is_the_whole_page(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site.url + RESULTS_QUERY)
    expect(page.locator(".result").first).to_be_visible()
    expect(page.locator("#results-map")).to_be_hidden()
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    page.locator("#filters > summary").click()  # a <details>: opens without any script
    expect(page.locator("#id_payment > summary")).to_contain_text("1 chosen")
    page.locator("#id_payment > summary").click()
    # The label ends with how many results ticking it would give: "Medicaid (12)".
    expect(page.get_by_role("checkbox", name=re.compile(r"^Medicaid\b"))).to_be_checked()
    # (axe needs JavaScript to run; the same HTML is checked in the other tests.)


def test_when_map_tiles_fail_the_markers_and_list_still_work(new_page, site):
    page = new_page(tiles_fail_to_load=True)
    page.goto(site.url + RESULTS_QUERY)
    page.get_by_role("button", name="Show map").click()
    expect(page.locator("#results-map .map-marker").first).to_be_visible()
    page.locator(".result h3 a").first.click()
    expect(page.locator("a.button.call")).to_be_visible()
