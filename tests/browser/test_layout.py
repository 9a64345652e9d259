"""Results first: the first program on the first screen, phone to desktop, English and Spanish;
the one-line count bar; the filter panel; back to results; print; the map only when asked for."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

THREE_FILTERS = "/?location=94110&level=outpatient&payment=medicaid&medication=buprenorphine"
EIGHT_FILTERS = (
    "/?location=94110&level=outpatient&payment=medicaid&payment=cash&payment=private-insurance"
    "&care_type=substance-use&population=adults&therapy=cbt&therapy=group"
)
SCREENS = [(360, 740), (390, 844), (768, 1024), (1366, 768)]


def phone(new_page, width=360, height=740, **options):
    return patient(
        new_page(
            viewport={"width": width, "height": height}, is_mobile=True, has_touch=True, **options
        )
    )


def desktop(new_page, width=1280, height=900, **options):
    return patient(new_page(viewport={"width": width, "height": height}, **options))


def patient(page):
    # A search page's first render (no page cache yet) on a busy CI machine can pass 10 s.
    page.set_default_navigation_timeout(30_000)
    return page


@pytest.mark.parametrize("language", ["", "/es"], ids=["English", "Spanish"])
def test_the_first_result_starts_on_the_first_screen_after_a_search_with_three_filters(
    new_page, site, screenshot, language
):
    for width, height in SCREENS:
        small = width < 768
        page = phone(new_page, width, height) if small else desktop(new_page, width, height)
        page.goto(site.url + language + THREE_FILTERS)
        expect(page.locator(".chip")).to_have_count(3)
        first = page.locator(".result").first
        expect(first).to_be_visible()
        top = first.bounding_box()["y"]
        # The first screen as the searcher sees it, for a person to look at (artifacts/).
        page.screenshot(
            path=str(_artifact(f"first-screen-{language[1:] or 'en'}-{width}x{height}"))
        )
        assert 0 <= top < height - 40, f"{width}×{height}{language}: first result at y={top}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.context.close()


def _artifact(name: str):
    from tests.browser.conftest import ARTIFACTS

    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def test_the_phone_count_bar_is_one_line_with_eight_filters(new_page, site, check_a11y):
    page = phone(new_page)
    page.goto(site.url + EIGHT_FILTERS)
    expect(page.locator(".chip")).to_have_count(8)
    bar = page.locator("#results-summary")
    assert bar.bounding_box()["height"] <= 56
    expect(bar.get_by_role("link", name=re.compile("8 filters · Edit"))).to_be_visible()
    expect(page.locator(".result").first).to_be_in_viewport()
    # Scrolled down, the bar stays in view and covers no more than its line.
    page.mouse.wheel(0, 1500)
    expect(bar).to_be_in_viewport()
    assert bar.bounding_box()["height"] <= 56
    check_a11y(page, "results (phone, eight filters)")


def test_on_a_phone_the_filters_open_full_screen_and_show_the_results(
    new_page, site, check_a11y, screenshot
):
    page = phone(new_page)
    page.goto(site.url + THREE_FILTERS)
    heading = page.locator("#results-heading").inner_text()
    found = re.search(r"(\d+) programs? within", heading).group(1)
    summary = page.locator("#filters > summary")
    expect(summary).to_have_text("Filters (3)")
    summary.tap()
    panel = page.locator("#facets")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert (box["x"], box["y"], box["width"]) == (0, 0, 360)
    show = page.locator("#show-results")
    expect(show).to_have_text(re.compile(rf"^Show {found} results?$"))  # the search's count
    expect(show).to_be_in_viewport()
    check_a11y(page, "filters panel (phone)")
    screenshot(page, "filters-panel-phone")
    # A changed choice makes the count unknown until the search runs.
    page.locator("#id_population > summary").tap()
    page.get_by_role("checkbox", name=re.compile(r"^Adults\b")).check()
    expect(show).to_have_text("Show results")
    show.tap()
    expect(page).to_have_url(re.compile(r"population=adults"))
    expect(page.locator(".chip")).to_have_count(4)


def test_the_filters_panel_closes_with_escape_and_gives_focus_back(new_page, site):
    page = phone(new_page)
    page.goto(site.url + THREE_FILTERS)
    page.get_by_role("link", name=re.compile("3 filters · Edit")).tap()
    expect(page.locator("#filters-close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#facets")).to_be_hidden()
    expect(page.locator("#filters > summary")).to_be_focused()


def test_desktop_shows_filters_results_and_map_side_by_side(new_page, site):
    page = desktop(new_page, 1366, 768)
    page.goto(site.url + THREE_FILTERS)
    form = page.locator("form.search").bounding_box()
    results = page.locator(".results").bounding_box()
    panel = page.locator("#map-panel").bounding_box()
    assert form["x"] < results["x"] < panel["x"]
    assert abs(form["y"] - results["y"]) < 30  # columns, not rows
    # Each facet folded, saying how many of its terms are chosen.
    expect(page.locator("#id_level > summary")).to_contain_text("1 chosen")
    expect(page.locator("#id_level")).not_to_have_attribute("open", "")


def test_back_to_results_returns_to_the_same_search(new_page, site, check_a11y, screenshot):
    page = desktop(new_page)
    page.goto(site.url + THREE_FILTERS + "&radius=50")
    url = page.url
    page.locator(".result h3 a").nth(1).click()
    expect(page.get_by_role("link", name="Back to results")).to_be_visible()
    actions = page.locator(".program header .actions")
    expect(actions.locator("a.button.call")).to_be_visible()
    expect(actions.get_by_role("link", name="Get directions")).to_be_visible()
    expect(page.get_by_role("button", name="Share")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    check_a11y(page, "program detail (from a search)")
    screenshot(page, "detail-from-search")
    page.get_by_role("link", name="Back to results").click()
    expect(page).to_have_url(url)
    expect(page.locator(".chip")).to_have_count(3)


def test_share_copies_the_programs_own_link_where_there_is_no_share_sheet(new_page, site):
    page = desktop(new_page, permissions=["clipboard-read", "clipboard-write"])
    page.add_init_script("delete Navigator.prototype.share")  # as on most desktop browsers
    page.goto(site.url + THREE_FILTERS)
    page.locator(".result h3 a").first.click()
    page.get_by_role("button", name="Share").click()
    expect(page.locator("#tools-message")).to_have_text("Link copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url.split("?")[0]  # the page, not the search that led to it


def test_printed_results_say_the_search_its_filters_and_the_date(new_page, site, screenshot):
    page = desktop(new_page)
    page.goto(site.url + THREE_FILTERS)
    page.emulate_media(media="print")
    search = page.locator(".print-search")
    expect(search).to_be_visible()
    expect(search).to_contain_text("within 25 miles of 94110")
    for label in ["Outpatient", "Medicaid", "Buprenorphine"]:
        expect(search).to_contain_text(label)
    expect(search).to_contain_text("Printed:")
    for hidden in [
        "form.search",
        "#map-panel",
        ".chips",
        ".edit-filters",
        ".card-actions .directions",
    ]:
        expect(page.locator(hidden).first).to_be_hidden()
    first = page.locator(".result").first
    expect(first.locator(".address")).to_be_visible()
    expect(first.locator("a.button.call")).to_have_text(re.compile(r"\(\d{3}\) \d{3}-\d{4}"))
    # Across the page, not in a column.
    body = page.locator("main").bounding_box()["width"]
    assert first.bounding_box()["width"] >= 0.9 * body
    screenshot(page, "results-print")
    first.locator("h3 a").click()
    page.emulate_media(media="print")
    expect(page.locator(".page-tools")).to_be_hidden()
    expect(page.locator(".report-link")).to_be_hidden()
    screenshot(page, "detail-print")


def test_no_map_tile_is_asked_for_until_the_visitor_shows_the_map(new_page, site, check_a11y):
    tile_host = urlsplit(settings.MAP_TILES_URL).netloc.replace("{s}.", "")
    page = desktop(new_page)
    tiles = []
    page.on(
        "request", lambda request: tiles.append(request.url) if tile_host in request.url else None
    )
    page.goto(site.url + THREE_FILTERS)
    page.wait_for_load_state("networkidle")
    page.locator(".result h3 a").first.click()
    page.wait_for_load_state("networkidle")
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert tiles == [], "a tile was asked for before the visitor chose to see the map"
    expect(page.locator("#results-map")).to_be_hidden()
    expect(page.locator(".map-note")).to_contain_text(tile_host.split(":")[0])
    with page.expect_request(lambda request: tile_host in request.url):
        page.get_by_role("button", name="Show map").click()
    check_a11y(page, "results with the map shown")
    # Remembered for the visit: the next page shows its map without asking again.
    page.locator(".result h3 a").first.click()
    expect(page.locator("#program-map .leaflet-marker-icon")).to_have_count(1)


def test_hovering_a_result_lights_up_its_marker(new_page, site):
    page = desktop(new_page, 1366, 900)
    page.goto(site.url + "/?location=94110&level=residential&payment=medicaid")
    page.get_by_role("button", name="Show map").click()
    marker = page.locator("#results-map .map-marker").first
    expect(marker).to_be_visible()
    number = marker.inner_text()
    page.locator(f"#result-{number}").hover()
    expect(marker).to_have_class(re.compile(r"\bis-active\b"))
    page.locator(".site-header .brand").hover()
    expect(marker).not_to_have_class(re.compile(r"\bis-active\b"))


def test_a_browser_that_prefers_spanish_is_offered_the_spanish_page_once(
    new_page, site, check_a11y
):
    spanish_first = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
    page = desktop(new_page, locale="es-MX", extra_http_headers=spanish_first)
    page.goto(site.url + "/")
    offer = page.locator(".language-offer")
    expect(offer).to_have_attribute("lang", "es")
    check_a11y(page, "home with the Spanish offer")
    link = offer.get_by_role("link")
    expect(link).to_have_attribute("href", "/es/")
    with page.expect_navigation():
        link.click()
    expect(page).to_have_url(site.url + "/es/")
    expect(page.locator(".language-offer")).to_have_count(0)
    page.goto(site.url + THREE_FILTERS)  # a search in English, asked for: no offer again
    expect(page.locator(".language-offer")).to_have_count(0)


def test_the_report_form_fits_a_320_pixel_phone(new_page, site, check_a11y, screenshot):
    page = phone(new_page, 320, 640)
    page.goto(site.url + THREE_FILTERS)
    page.locator(".result h3 a").first.click()
    page.get_by_role("link", name="Report a problem with this listing").click()
    screenshot(page, "report-form-320")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 321).map(e => e.tagName + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, wide
    for field in page.locator("form.report input[type=email], form.report textarea").all():
        box = field.bounding_box()
        assert box["width"] >= 250 and box["x"] + box["width"] <= 320
        assert box["height"] >= 44
    check_a11y(page, "report form (320 px)")
