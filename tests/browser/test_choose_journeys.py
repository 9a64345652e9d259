""" "Help me choose" in headless Chromium: for myself, for a loved one, and the crisis stop."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def next_step(page):
    page.get_by_role("button", name=re.compile("^(Next|See suggestions)$")).click()


def test_for_myself_on_a_phone_with_back_skip_and_a_prefilled_search(
    new_page, site, check_a11y, screenshot
):
    page = new_page(viewport=PHONE)
    page.goto(site.url + "/")
    page.get_by_role("link", name="Help me choose").click()
    expect(page.locator("h1")).to_have_text("Help me choose")
    check_a11y(page, "choose: first step")
    screenshot(page, "choose-first-step")
    page.get_by_label("For myself").check()
    page.get_by_label("No, no one is in danger right now").check()
    next_step(page)

    expect(page.locator("#step-heading")).to_be_focused()  # announced, and keyboard starts here
    expect(page.get_by_role("group", name="When you stop or cut down")).to_be_visible()
    page.get_by_label("I feel sick", exact=False).check()
    next_step(page)
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("I feel sick", exact=False)).to_be_checked()  # Back keeps it
    next_step(page)

    page.get_by_role("link", name="Skip this question").click()  # treatment before
    expect(page.get_by_role("group", name="Do you have a stable")).to_be_visible()
    check_a11y(page, "choose: a question")
    for _ in range(4):  # home, commitments, mental health, pregnancy: skipped by Next
        next_step(page)
    page.get_by_label("Buprenorphine", exact=False).check()
    next_step(page)
    page.get_by_label("Medicaid").check()
    next_step(page)
    place = page.get_by_label("Where should we look?")
    place.fill("94110")
    place.press("Enter")  # on the field itself: Enter submits with the default button, Next

    expect(page.locator("h1")).to_have_text("What might help you")
    expect(
        page.get_by_text("You said you have had withdrawal symptoms when stopping")
    ).to_be_visible()
    expect(page.get_by_text("not a diagnosis")).to_be_visible()
    check_a11y(page, "choose: suggestions")
    screenshot(page, "choose-suggestions")
    page.get_by_role("link", name="Search for these programs").first.click()
    expect(page).to_have_url(
        site.url + "/?level=detox&medication=buprenorphine&payment=medicaid&location=94110"
    )
    expect(page.locator("#results-heading")).to_contain_text("94110")


def test_for_a_loved_one_starting_with_the_keyboard(new_page, site, check_a11y):
    page = new_page()
    page.goto(site.url + "/help-me-choose/")
    page.get_by_label("For someone I care about").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits: Next is the form's default button

    expect(page.get_by_role("group", name="When they stop or cut down")).to_be_visible()
    next_step(page)
    expect(page.get_by_role("group", name="Has the person you care about been")).to_be_visible()
    next_step(page)
    page.get_by_label("There is a place, but people there use").check()
    next_step(page)
    expect(page.get_by_role("group", name="hard for them to live away")).to_be_visible()
    for _ in range(6):  # commitments, mental health, pregnancy, medication, payment, place
        next_step(page)

    expect(page.locator("h1")).to_have_text("What might help the person you care about")
    expect(page.get_by_role("heading", name="Residential (live-in) treatment")).to_be_visible()
    expect(page.get_by_text("You said they do not have a stable, supportive place")).to_be_visible()
    check_a11y(page, "choose: suggestions for a loved one")


def test_an_overdose_answer_stops_the_questions_and_shows_what_to_do(
    new_page, site, check_a11y, screenshot
):
    page = new_page(viewport=PHONE)
    page.goto(site.url + "/help-me-choose/")
    page.get_by_label("For someone I care about").check()
    page.get_by_label("Someone may be overdosing").check()
    next_step(page)

    expect(page.locator("h1")).to_have_text("Get help now")
    first_call = page.locator("main a[href^='tel:']").first
    expect(first_call).to_have_attribute("href", "tel:911")
    expect(page.locator("main")).to_contain_text("Give naloxone (Narcan)")
    expect(page.locator("main a[href='tel:988']")).to_have_count(1)
    expect(page.locator("legend")).to_have_count(0)
    check_a11y(page, "choose: crisis stop")
    screenshot(page, "choose-crisis")


def test_works_without_javascript_back_and_forth(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site.url + "/help-me-choose/")
    page.get_by_label("For myself").check()
    next_step(page)
    page.get_by_label("I use more than one substance").check()
    next_step(page)
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("I use more than one substance")).to_be_checked()
    page.goto(site.url + "/help-me-choose/?" + page.url.split("?", 1)[1] + "&go=10")
    expect(page.get_by_text("You said you use more than one substance")).to_be_visible()
