"""My list in a real browser: saving from two searches, the list after a reload, comparing,
sharing the link to another browser, printing it; the comparison at phone and laptop widths."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from programs import places
from tests.browser.conftest import DESKTOP

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def places_ready():
    """The place index is built on first use (seconds on a busy machine): before the clock of
    the first page's load starts, not during it."""
    places.resolve("Denver, CO")


LAPTOP = {"width": 1366, "height": 900}
SMALL_PHONE = {"width": 360, "height": 740}


def save(page, number: int) -> str:
    """Press Save on the result card `number` (from 1); its program's name."""
    card = page.locator(".result").nth(number - 1)
    name = card.locator("h3 a").inner_text()
    button = card.get_by_role("button", name=f"Save {name}")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    return name


def test_save_from_two_searches_then_list_compare_share_and_print(
    new_page, site, check_a11y, screenshot
):
    page = new_page(viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page.goto(site.url + "/?location=94110")
    my_list = page.locator("#my-list-link")
    expect(my_list).to_have_text("My list")
    saved = [save(page, 1), save(page, 2)]
    expect(my_list).to_have_text("My list (2)")
    expect(page.locator("#shortlist-status")).to_have_text("Saved to My list.")

    # A second search, and Save from the keyboard this time.
    page.goto(site.url + "/?location=" + quote("Denver, CO"))
    card = page.locator(".result").first
    saved.append(card.locator("h3 a").inner_text())
    card.locator(".save-toggle").focus()
    page.keyboard.press("Enter")
    expect(card.locator(".save-toggle")).to_have_attribute("aria-pressed", "true")
    expect(my_list).to_have_text("My list (3)")

    # Pressed again, Save takes it off; pressed once more, it is back.
    card.locator(".save-toggle").click()
    expect(my_list).to_have_text("My list (2)")
    card.locator(".save-toggle").click()
    expect(my_list).to_have_text("My list (3)")

    page.reload()
    expect(my_list).to_have_text("My list (3)")
    my_list.click()
    expect(page.locator("h1")).to_have_text("My list")
    expect(page.locator(".shortlist-item h2")).to_have_text(saved)
    check_a11y(page, "my list")
    screenshot(page, "my-list")

    share_url = page.locator("#share-url").inner_text()
    assert re.fullmatch(re.escape(site.url) + r"/list/\?ids=\d+,\d+,\d+", share_url)
    # Share: the system's share sheet where there is one; here (no Web Share API) a copy.
    assert page.evaluate("typeof navigator.share") == "undefined"
    page.get_by_role("button", name="Share this list").click()
    expect(page.locator("#list-message")).to_have_text("Link to this list copied.")
    assert page.evaluate("navigator.clipboard.readText()") == share_url

    page.get_by_role("button", name="Compare the ticked programs").click()
    expect(page.locator("h1")).to_have_text("Compare programs")
    expect(page.locator(".compare-table thead th")).to_have_text(saved)
    # From the last search (Denver): the San Francisco programs are far, the Denver one near.
    distances = page.locator(".compare-table tr", has=page.locator("th", has_text="Distance"))
    expect(distances.locator("td")).to_have_text(
        [re.compile(r"miles from Denver, CO")] * 3, timeout=10_000
    )
    expect(page.locator(".compare-table .differs-label").first).to_be_visible()
    check_a11y(page, "compare (desktop)")

    # The link, opened in another browser with nothing saved, shows the same list.
    other = new_page(viewport=DESKTOP)
    other.goto(share_url)
    expect(other.locator(".shortlist-item h2")).to_have_text(saved)
    expect(other.locator("#my-list-link")).to_have_text("My list")
    other.get_by_role("button", name="Keep this list in this browser").click()
    expect(other.locator("#my-list-link")).to_have_text("My list (3)")
    expect(other.locator("#list-message")).to_have_text(
        "These programs are now on My list in this browser."
    )

    # Printed: each program with its phone, address, hours and a line for notes; no buttons.
    other.emulate_media(media="print")
    items = other.locator(".shortlist-item")
    expect(items.locator(".notes-line")).to_have_count(3)
    for i in range(3):
        item = items.nth(i)
        expect(item.locator(".notes-line")).to_be_visible()
        expect(item.locator(".notes-line")).to_contain_text("Notes / called on:")
        expect(item.locator(".call-sheet")).to_contain_text("Phone")
        expect(item.locator(".call-sheet")).to_contain_text("Address")
        expect(item.locator(".call-sheet")).to_contain_text("Hours")
    expect(other.locator("button:visible, .button:visible, input:visible")).to_have_count(0)
    expect(other.locator(".crisis")).to_be_hidden()
    screenshot(other, "my-list-print")


def test_remove_from_my_own_list_forgets_it_in_this_browser(new_page, site):
    page = new_page()
    page.goto(site.url + "/?location=94110")
    kept, removed = save(page, 1), save(page, 2)
    page.locator("#my-list-link").click()
    # The list page's script has run (it counts the list in the header) before Remove is
    # pressed: a click before it follows the plain link, as without JavaScript.
    expect(page.locator("#my-list-link")).to_have_text("My list (2)")
    page.get_by_role("link", name=f"Remove {removed}").click()
    expect(page.locator(".shortlist-item h2")).to_have_text([kept])
    expect(page.locator("#my-list-link")).to_have_text("My list (1)")


@pytest.mark.parametrize(
    ("viewport", "name"), [(SMALL_PHONE, "compare-360"), (LAPTOP, "compare-1366")]
)
def test_compare_reads_well_on_a_phone_and_a_laptop(
    new_page, site, check_a11y, screenshot, viewport, name
):
    from programs.models import Program

    ids = ",".join(
        str(pk)
        for pk in Program.objects.published()
        .filter(zip_code__startswith="941")
        .order_by("name")
        .values_list("pk", flat=True)[:4]
    )
    page = new_page(viewport=viewport, is_mobile=viewport is SMALL_PHONE)
    page.goto(f"{site.url}/compare/?ids={ids}&location=94110")
    expect(page.locator("h1")).to_have_text("Compare programs")
    if viewport is SMALL_PHONE:
        # Stacked, not a wide table scrolled sideways.
        expect(page.locator(".compare-table")).to_be_hidden()
        expect(page.locator(".compare-stacked .compare-row").first).to_be_visible()
        expect(page.locator(".compare-stacked .compare-row").first.locator("dt")).to_have_count(4)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    else:
        expect(page.locator(".compare-table thead th")).to_have_count(4)
        expect(page.locator(".compare-stacked")).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    differing = page.locator(".differs-label:visible")
    expect(differing.first).to_have_text("Differs")
    check_a11y(page, name)
    screenshot(page, name)


def test_without_javascript_save_opens_a_list_of_that_program(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site.url + "/?location=94110")
    card = page.locator(".result").first
    name = card.locator("h3 a").inner_text()
    expect(card.get_by_role("button", name=f"Save {name}")).to_be_hidden()
    card.get_by_role("link", name=f"Save {name}").click()
    expect(page).to_have_url(re.compile(r"/list/\?ids=\d+$"))
    expect(page.locator(".shortlist-item h2")).to_have_text([name])
    page.get_by_role("button", name="Compare the ticked programs").click()
    expect(page.locator(".compare-table thead th")).to_have_text([name])
