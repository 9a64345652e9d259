""" "Help me choose" in headless Chromium: for myself, for a loved one (in English and Spanish),
and the crisis stop."""

import re

import pytest
from playwright.sync_api import expect

from finder import choose
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def next_step(page):
    next_or_done = re.compile("^(Next|See suggestions|Siguiente|Ver sugerencias)$")
    page.get_by_role("button", name=next_or_done).click()


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
    expect(page.get_by_role("group", name="What do you use?")).to_be_visible()
    next_step(page)  # what is used: left unanswered
    expect(page.get_by_role("group", name="How old are you?")).to_be_visible()
    next_step(page)
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

    expect(
        page.get_by_role("group", name="What does the person you care about use?")
    ).to_be_visible()
    next_step(page)
    expect(page.get_by_role("group", name="How old is the person you care about?")).to_be_visible()
    next_step(page)
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
    next_step(page)  # what is used
    next_step(page)  # age
    page.get_by_label("I use more than one substance").check()
    next_step(page)
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("I use more than one substance")).to_be_checked()
    results = f"&go={choose.RESULT_STEP}"
    page.goto(site.url + "/help-me-choose/?" + page.url.split("?", 1)[1] + results)
    expect(page.get_by_text("You said you use more than one substance")).to_be_visible()


# A mother helping her son of 19 who uses fentanyl and feels sick when he stops.
SON_OF_19 = {
    "en": {
        "prefix": "",
        "answers": [
            "For someone I care about",
            "No, no one is in danger right now",
            "Opioids: heroin, fentanyl",
            "18 to 25",
            "They feel sick",
        ],
        "place": "Where should we look?",
        "title": "What might help the person you care about",
        "medication": "Treatment with medication for opioid use",
        "naloxone": "Keep naloxone (Narcan) at hand",
        "overdose": "After detox, the risk of overdose is higher",
        "search": "Search for these programs",
    },
    "es": {
        "prefix": "/es",
        "answers": [
            "Para alguien que me importa",
            "No, nadie está en peligro ahora mismo",
            "Opioides: heroína, fentanilo",
            "De 18 a 25 años",
            "Se siente mal",
        ],
        "place": "¿Dónde buscamos?",
        "title": "Lo que podría ayudar a la persona que le importa",
        "medication": "Tratamiento con medicamentos para el consumo de opioides",
        "naloxone": "Tenga naloxona (Narcan) a mano",
        "overdose": "Después de la desintoxicación, el riesgo de sobredosis es mayor",
        "search": "Buscar estos programas",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_for_a_son_of_19_using_fentanyl_medication_naloxone_and_the_overdose_warning(
    new_page, site, check_a11y, screenshot, language
):
    words = SON_OF_19[language]
    page = new_page(viewport=PHONE)
    page.goto(site.url + words["prefix"] + "/help-me-choose/")
    who, danger, substance, age, withdrawal = words["answers"]
    page.get_by_label(who).check()
    page.get_by_label(danger).check()
    next_step(page)
    page.get_by_label(substance, exact=False).check()
    next_step(page)
    page.get_by_label(age).check()
    next_step(page)
    page.get_by_label(withdrawal, exact=False).check()
    next_step(page)
    stopping = next(n for n, step in enumerate(choose.STEPS) if step[0].key == "stopping")
    for number in range(stopping + 1, choose.RESULT_STEP - 1):  # skipped, up to the place
        expect(page.locator("input[type=hidden][name=go]")).to_have_value(str(number + 1))
        next_step(page)
    place = page.get_by_label(words["place"])
    place.fill("Denver, CO")
    place.press("Enter")

    expect(page.locator("h1")).to_have_text(words["title"])
    medication = page.locator(".suggestion").filter(has_text=words["medication"])
    expect(medication).to_have_count(1)
    expect(medication.locator(f"a[href='{words['prefix']}/guides/medications/']")).to_be_visible()
    safety = page.locator("section.safety")
    expect(safety.get_by_role("heading", name=words["naloxone"])).to_be_visible()
    expect(safety.get_by_role("heading", name=words["overdose"])).to_be_visible()
    expect(safety.locator("a[href^='https://www.fda.gov/']")).to_have_count(1)
    check_a11y(page, f"choose: son of 19 using fentanyl ({language})")
    screenshot(page, f"choose-opioids-{language}")

    medication.get_by_role("link", name=words["search"]).click()
    expect(page).to_have_url(re.compile(r"medication=methadone&medication=buprenorphine"))
    expect(page.locator("#results-heading")).to_contain_text("Denver")
