"""The "Help me choose" pages: steps, skip, back, wording, the crisis stop, privacy."""

import re
from html import unescape

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from finder import choose

CHOOSE = reverse("choose")
LAST = choose.RESULT_STEP - 1


def page(client, **params):
    response = client.get(CHOOSE, params)
    assert response.status_code == 200
    return response, unescape(response.content.decode())


def hidden_inputs(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)


def step(key: str) -> int:
    """The step that asks one question, so tests do not break when a step is added."""
    return next(n for n, questions in enumerate(choose.STEPS) if key in {q.key for q in questions})


def test_home_page_links_to_help_me_choose(client, db):
    html = client.get(reverse("search")).content.decode()
    assert "Not sure what kind of help you need?" in html
    assert f'href="{CHOOSE}"' in html


def test_a_search_with_no_results_links_to_help_me_choose(client, db):
    response = client.get(reverse("search"), {"level": "residential"})
    assert response.context["page"].count == 0
    assert f'href="{CHOOSE}"' in response.content.decode()


def test_first_step_asks_who_it_is_for_and_whether_anyone_is_in_danger(client):
    _, html = page(client)
    assert "<legend>Who are you looking for help for?</legend>" in html
    assert "<legend>Is anyone in danger right now?</legend>" in html
    assert html.count("<h1") == 1
    assert f"Step 1 of {choose.RESULT_STEP}" in html


@pytest.mark.parametrize(
    ("who", "question"),
    [
        ("me", "Do you have a stable, supportive place to live?"),
        ("them", "Does the person you care about have a stable, supportive place to live?"),
    ],
)
def test_questions_are_worded_for_the_person_chosen(client, who, question):
    _, html = page(client, **{"for": who, "danger": "no", "go": step("home")})
    assert f"<legend>{question}</legend>" in html


def test_choices_follow_the_person_chosen_too(client):
    _, mine = page(client, **{"for": "me", "go": step("stopping")})
    _, theirs = page(client, **{"for": "them", "go": step("stopping")})
    assert "I use more than one substance" in mine
    assert "They use more than one substance" in theirs


def test_next_carries_every_answer_so_far_in_hidden_inputs(client):
    _, html = page(
        client,
        **{
            "for": "them",
            "danger": "no",
            "stopping": ["withdrawal", "several"],
            "go": step("before"),
        },
    )
    assert set(hidden_inputs(html)) >= {
        ("for", "them"),
        ("danger", "no"),
        ("stopping", "withdrawal"),
        ("stopping", "several"),
    }


def test_back_shows_the_previous_question_with_its_answer_still_chosen(client):
    # Pressing Back submits the form: the hidden next step, then the button's previous one.
    response = client.get(
        CHOOSE + "?for=me&danger=no&stopping=withdrawal&before=returned"
        f"&go={step('home')}&go={step('stopping')}"
    )
    html = response.content.decode()
    assert "When you stop or cut down" in html
    assert re.search(r'value="withdrawal" id="stopping-withdrawal" checked', html)
    assert ("before", "returned") in hidden_inputs(html)  # the later answer is kept too


def test_skip_moves_on_without_this_questions_answer(client):
    response, _ = page(client, **{"for": "me", "home": "unsafe", "go": step("home")})
    skip = response.context["skip_query"]
    assert f"go={step('home') + 1}" in skip and "for=me" in skip and "home" not in skip


def test_skipping_everything_still_gives_a_suggestion(client):
    response, html = page(client, go=choose.RESULT_STEP)
    assert [s["rule"].key for s in response.context["suggestions"]] == ["outpatient"]
    assert "not a diagnosis" in html and "ASAM criteria" in html


@pytest.mark.parametrize("danger", ["suicide", "overdose"])
def test_an_answer_of_danger_stops_the_flow_and_shows_crisis_help_first(client, danger):
    response, html = page(client, **{"for": "them", "danger": danger, "go": 1})
    assert response.templates[0].name == "finder/choose_crisis.html"
    main = html[html.index("<main") :]
    assert 'href="tel:988"' in main and 'href="tel:911"' in main and "naloxone" in main
    assert "<legend" not in main  # no more questions
    # First in main (an HTML comment, not shown, may come before it).
    assert re.match(r"<main[^>]*>\s*(<!--.*?-->\s*)*<div class=\"crisis-stop\">", main)


def test_danger_stops_the_flow_even_on_the_results_step(client):
    response, _ = page(client, danger="overdose", go=choose.RESULT_STEP)
    assert response.templates[0].name == "finder/choose_crisis.html"
    assert "suggestions" not in response.context


def test_overdose_puts_911_first_and_suicide_puts_988_first(client):
    _, overdose = page(client, danger="overdose")
    _, suicide = page(client, danger="suicide")
    assert overdose.index("tel:911") < overdose.index('class="button call" href="tel:988"')
    assert suicide.index('class="button call" href="tel:988"') < suicide.index(
        'class="button call" href="tel:911"'
    )


def test_result_gives_each_suggestion_its_reason_and_a_prefilled_search(client):
    response, html = page(
        client,
        **{
            "for": "them",
            "stopping": "withdrawal",
            "pay": "medicaid",
            "medication": "methadone",
            "location": "94110",
            "go": choose.RESULT_STEP,
        },
    )
    first = response.context["suggestions"][0]
    assert first["rule"].key == "withdrawal"
    assert "You said they have had withdrawal symptoms when stopping" in html
    assert (
        first["search_url"] == "/?level=detox&medication=methadone&payment=medicaid&location=94110"
    )
    assert "What might help the person you care about" in html


def test_a_place_we_do_not_know_is_asked_again_with_a_message(client):
    response, html = page(client, location="Nowhereville, ZZ", go=choose.RESULT_STEP)
    assert response.context["step"] == LAST
    assert 'aria-invalid="true"' in html
    assert "suggestions" not in response.context


def test_unknown_answers_and_steps_are_ignored_not_errors(client):
    response, _ = page(client, **{"for": "everyone", "go": "ninety", "pay": "gold"})
    assert response.context["step"] == 0
    assert response.context["answers"] == {}
    assert page(client, go="-4")[0].context["step"] == 0
    assert page(client, go="99")[0].context["suggestions"]


def test_nothing_is_stored_no_database_no_session_no_cookie(client, db, django_assert_num_queries):
    params = {"for": "me", "danger": "no", "stopping": "severe", "location": "94110"}
    with django_assert_num_queries(0):
        for step in range(choose.RESULT_STEP + 1):
            response = client.get(CHOOSE, {**params, "go": step})
            assert response.status_code == 200
            assert response.cookies == {}
            assert "no-store" in response["Cache-Control"]
    assert not client.cookies
    assert not Session.objects.exists()


def test_links_out_to_sources_do_not_carry_the_answers_in_the_referrer(client):
    response, html = page(client, **{"stopping": "withdrawal", "go": choose.RESULT_STEP})
    assert 'href="https://store.samhsa.gov/' in html
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}


def test_pages_carry_no_inline_script_or_style(client):
    for params in [{}, {"go": 9}, {"go": choose.RESULT_STEP}, {"danger": "suicide"}]:
        html = page(client, **params)[1]
        assert "<style" not in html and "style=" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_in_spanish_the_questions_and_the_search_are_in_spanish(client):
    response = client.get("/es/help-me-choose/", {"for": "them", "go": step("home")})
    html = unescape(response.content.decode())
    assert "<legend>¿La persona que le importa tiene un lugar estable" in html
    result = client.get("/es/help-me-choose/", {"home": "unsafe", "go": choose.RESULT_STEP})
    first = result.context["suggestions"][0]
    assert first["search_url"] == "/es/?level=residential"
    assert first["guide_url"] == "/es/guides/levels-of-care/"
    assert "Tratamiento residencial (internado)" in result.content.decode()


def test_use_my_location_coordinates_open_a_search_around_them(client):
    response, _ = page(
        client,
        **{"stopping": "withdrawal", "location": "37.751,-122.415", "go": choose.RESULT_STEP},
    )
    assert response.context["suggestions"][0]["search_url"].endswith("location=37.751%2C-122.415")


def test_each_suggestion_links_to_its_guide(client):
    response, html = page(client, **{"pregnant": "yes", "go": choose.RESULT_STEP})
    assert response.context["suggestions"][0]["guide_url"] == "/guides/levels-of-care/"
    assert 'href="/guides/medications/"' in html  # the pregnancy note: medication in pregnancy


def walk(client, prefix: str, answers: dict[str, list[str]]) -> str:
    """Go through every step as a visitor does: answer, press Next, carry the hidden inputs."""
    carried: list[tuple[str, str]] = []
    for number, questions in enumerate(choose.STEPS):
        response = client.get(f"{prefix}/help-me-choose/", [*carried, ("go", number)])
        html = unescape(response.content.decode())
        assert f'name="go" value="{number + 1}"' in html  # the page is this step
        given = [(q.key, value) for q in questions for value in answers.get(q.key, [])]
        carried = hidden_inputs(html) + given
    response = client.get(f"{prefix}/help-me-choose/", [*carried, ("go", choose.RESULT_STEP)])
    assert response.templates[0].name == "finder/choose_result.html"
    return unescape(response.content.decode())


MOTHER_OF_19_YEAR_OLD = {
    "for": ["them"],
    "danger": ["no"],
    "substance": ["opioids"],
    "age": ["18-25"],
    "stopping": ["withdrawal"],
    "location": ["Denver, CO"],
}


def test_a_mother_helping_her_son_of_19_who_uses_fentanyl_is_shown_medication_and_naloxone(
    client,
):
    html = walk(client, "", MOTHER_OF_19_YEAR_OLD)

    medication = html.index(
        "Treatment with medication for opioid use: methadone, buprenorphine or naltrexone"
    )
    assert "You said they use opioids. Medications for opioid use disorder work" in html
    assert (
        'href="/?population=young-adults&medication=methadone&medication=buprenorphine'
        '&medication=naltrexone&location=Denver%2C+CO"' in html
    )
    assert 'href="/guides/medications/"' in html[medication:]
    assert "Keep naloxone (Narcan) at hand" in html
    assert "After detox, the risk of overdose is higher" in html
    assert "the body loses its tolerance" in html
    # Each statement cites its public source on the page.
    assert 'href="https://www.fda.gov/news-events/press-announcements/fda-approves-first' in html
    assert 'href="https://store.samhsa.gov/product/samhsa-overdose-prevention' in html
    assert 'href="https://store.samhsa.gov/product/tip-63-medications' in html
    # Young adults: programs for them, and the guide's section for their families.
    assert 'href="/guides/helping-a-loved-one/#teens-and-young-adults"' in html
    assert "not a diagnosis or medical advice" in html


def test_the_same_journey_in_spanish_shows_medication_naloxone_and_the_overdose_warning(client):
    html = walk(client, "/es", MOTHER_OF_19_YEAR_OLD)

    assert "Tratamiento con medicamentos para el consumo de opioides" in html
    assert "Usted dijo que esa persona consume opioides." in html
    assert 'href="/es/guides/medications/"' in html
    assert "Tenga naloxona (Narcan) a mano" in html
    assert "Después de la desintoxicación, el riesgo de sobredosis es mayor" in html
    assert "Busque un programa para adultos jóvenes" in html
    assert 'href="/es/guides/helping-a-loved-one/#teens-and-young-adults"' in html
    assert "fda.gov" in html and "no es un diagnóstico" in html.lower()


def test_the_new_questions_are_asked_in_both_languages_and_can_be_skipped(client):
    _, html = page(client, **{"for": "them", "go": step("substance")})
    assert "<legend>What does the person you care about use?</legend>" in html
    assert 'type="checkbox" name="substance" value="opioids"' in html
    _, html = page(client, **{"for": "me", "go": step("age")})
    assert "<legend>How old are you?</legend>" in html
    spanish = client.get("/es/help-me-choose/", {"for": "them", "go": step("age")})
    assert "¿Qué edad tiene la persona que le importa?" in spanish.content.decode()
    response, _ = page(client, **{"substance": "opioids", "go": step("substance")})
    assert "substance" not in response.context["skip_query"]
