"""The rule table of "Help me choose", row by row: each rule fires on its answers, says its
reason, and opens a search that is valid and finds a program offering what it suggests."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict

from finder import choose
from finder.choose_rules import MEDICATIONS, PAYMENT, RULES
from finder.filters import ProgramFilter
from programs.models import Program, Term
from tests.factories import ProgramFactory

# For every rule: answers that should trigger it. A new rule without an example fails below.
EXAMPLES = {
    "severe-withdrawal": {"stopping": ["severe"]},
    "alcohol-or-benzodiazepine-withdrawal": {
        "substance": ["benzodiazepines"],
        "stopping": ["withdrawal"],
    },
    "opioids": {"substance": ["opioids"]},
    "learn-about-medication": {"medication": ["learn"]},
    "withdrawal": {"stopping": ["withdrawal"]},
    "several-substances": {"stopping": ["several"]},
    "several-used": {"substance": ["several"]},
    "unstable-home": {"home": ["unsafe"]},
    "returned-after-treatment": {"before": ["returned"]},
    "commitments": {"commitments": ["yes"]},
    "mental-health": {"mental": ["yes"]},
    "pregnancy": {"pregnant": ["yes"]},
    "under-18": {"age": ["under-18"]},
    "young-adult": {"age": ["18-25"]},
    "older-adult": {"age": ["65-plus"]},
    "medication": {"medication": ["buprenorphine"]},
    "naloxone": {"substance": ["opioids"]},
    "overdose-after-detox": {"substance": ["opioids"], "stopping": ["withdrawal"]},
    "outpatient": {"home": ["stable"], "commitments": ["no"]},
}
RULES_BY_KEY = {rule.key: rule for rule in RULES}


def test_every_rule_has_an_example_in_this_file():
    assert set(EXAMPLES) == set(RULES_BY_KEY)


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_rule_fires_on_its_answers(key):
    advice = choose.suggest(EXAMPLES[key])
    shown = [rule for rules in advice.suggestions for rule in rules]
    assert RULES_BY_KEY[key] in shown + advice.notes + advice.safety


@pytest.mark.parametrize("rule", RULES, ids=[rule.key for rule in RULES])
def test_rule_cites_a_public_source_and_a_reason_for_each_wording(rule):
    assert rule.source.url.startswith("https://")
    assert str(rule.reason) and str(rule.reason_them)
    if rule.when is not None:
        assert str(rule.reason).startswith("You said")


@pytest.mark.parametrize("rule", RULES, ids=[rule.key for rule in RULES])
def test_rule_answers_are_ones_the_questions_offer(rule):
    for key, values in (rule.when or {}).items():
        offered = {choice.value for choice in choose.QUESTIONS[key].choices}
        assert values <= offered, f"{rule.key}: {values - offered} is never asked"


@pytest.mark.django_db
@pytest.mark.parametrize("rule", RULES, ids=[rule.key for rule in RULES])
def test_rule_term_codes_exist_in_the_taxonomy(rule):
    levels = set(Term.objects.filter(facet__code="level").values_list("code", flat=True))
    assert set(rule.levels) <= levels
    medications = Term.objects.filter(facet__code="medication", code__in=rule.medications)
    assert medications.count() == len(rule.medications)
    for param, codes in rule.adds.items():
        assert Term.objects.filter(code__in=codes).count() == len(codes), param


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(EXAMPLES))
def test_rule_search_finds_a_program_offering_what_it_suggests(client, key):
    answers = {**EXAMPLES[key], "location": ["94110"]}
    advice = choose.suggest(answers)
    rule = RULES_BY_KEY[key]
    suggested = advice.suggestions
    shown = next((rules[0] for rules in suggested if rule in rules), suggested[0][0])
    url = choose.search_url(shown, answers, advice.notes)
    query = parse_qs(urlsplit(url).query)
    # Within one facet any term will do: the program offers the first of each.
    terms = [codes[0] for param, codes in query.items() if param != "location"]
    fits = ProgramFactory(name="Fits", terms=terms)
    ProgramFactory(name="Offers nothing asked for", terms=[])

    response = client.get(url)

    assert response.status_code == 200
    assert [p.name for p in response.context["page"]] == [fits.name]


@pytest.mark.django_db
def test_search_urls_are_valid_for_program_filter_with_every_answer_given():
    answers = {
        "substance": [choice.value for choice in choose.QUESTIONS["substance"].choices],
        "age": ["under-18"],
        "stopping": ["severe", "withdrawal", "several"],
        "before": ["returned"],
        "home": ["unstable"],
        "commitments": ["yes"],
        "mental": ["yes"],
        "pregnant": ["yes"],
        "medication": list(MEDICATIONS) + ["learn"],
        "pay": list(PAYMENT),
        "location": ["Denver, CO"],
    }
    advice = choose.suggest(answers)
    assert 1 <= len(advice.suggestions) <= 3
    for rule, *_ in advice.suggestions:
        query = QueryDict(urlsplit(choose.search_url(rule, answers, advice.notes)).query)
        search = ProgramFilter(query, queryset=Program.objects.all())
        assert search.is_valid(), search.errors
        assert search.has_criteria


def test_no_more_than_three_suggestions_and_the_most_urgent_first():
    answers = {
        "stopping": ["severe"],
        "before": ["returned"],
        "home": ["unstable"],
        "commitments": ["yes"],
    }
    assert headlines(answers) == [
        "severe-withdrawal",
        "unstable-home",
        "returned-after-treatment",
    ]


def headlines(answers) -> list[str]:
    return [rules[0].key for rules in choose.suggest(answers).suggestions]


def test_outpatient_is_suggested_only_when_nothing_points_to_more_care():
    assert headlines({}) == ["outpatient"]
    assert headlines({"mental": ["yes"]}) == ["outpatient"]
    assert headlines({"home": ["unsafe"]}) == ["unstable-home"]


def test_unsure_answers_suggest_nothing_extra():
    answers = {
        "commitments": ["unsure"],
        "mental": ["unsure"],
        "pregnant": ["unsure"],
        "substance": ["rather-not-say"],
        "age": ["26-64"],
    }
    advice = choose.suggest(answers)
    assert headlines(answers) == ["outpatient"]
    assert advice.notes == [] and advice.safety == []


def test_rules_suggesting_the_same_care_make_one_suggestion_with_each_reason():
    advice = choose.suggest({"stopping": ["withdrawal", "several"]})
    assert [[rule.key for rule in rules] for rules in advice.suggestions] == [
        ["withdrawal", "several-substances"]
    ]


def test_opioids_always_bring_medication_and_naloxone_even_with_every_other_answer():
    answers = {
        "substance": ["opioids", "alcohol"],
        "stopping": ["severe", "withdrawal", "several"],
        "before": ["returned"],
        "home": ["unstable"],
        "commitments": ["yes"],
    }
    advice = choose.suggest(answers)
    assert "opioids" in headlines(answers)
    assert [rule.key for rule in advice.safety] == ["naloxone", "overdose-after-detox"]


def test_opioids_alone_suggest_medication_and_outpatient_care():
    assert headlines({"substance": ["opioids"]}) == ["opioids", "outpatient"]


def test_medication_search_covers_every_medication_unless_some_were_chosen():
    opioids = choose.suggest({"substance": ["opioids"]}).suggestions[0][0]
    url = choose.search_url(opioids, {"substance": ["opioids"]}, [])
    assert url == "/?medication=methadone&medication=buprenorphine&medication=naltrexone"
    chosen = {"substance": ["opioids"], "medication": ["buprenorphine"]}
    assert choose.search_url(opioids, chosen, []) == "/?medication=buprenorphine"


def test_learning_more_first_keeps_the_medication_suggestion_and_its_guide():
    answers = {"substance": ["opioids"], "medication": ["learn"]}
    advice = choose.suggest(answers)
    medication = advice.suggestions[0]
    assert [rule.key for rule in medication] == ["opioids", "learn-about-medication"]
    assert {rule.guide for rule in medication} == {"medications"}


def test_overdose_risk_after_detox_only_with_opioids_and_withdrawal():
    def warnings(answers):
        return [rule.key for rule in choose.suggest(answers).safety]

    assert warnings({"substance": ["opioids"]}) == ["naloxone"]
    assert warnings({"substance": ["alcohol"], "stopping": ["withdrawal"]}) == []
    assert "overdose-after-detox" in warnings({"substance": ["opioids"], "stopping": ["severe"]})


def test_alcohol_withdrawal_suggests_detox_with_medical_care_before_other_detox():
    answers = {"substance": ["alcohol"], "stopping": ["withdrawal"]}
    assert headlines(answers) == ["alcohol-or-benzodiazepine-withdrawal", "withdrawal"]
    assert headlines({"substance": ["alcohol"]}) == ["outpatient"]  # no withdrawal, no detox


@pytest.mark.parametrize(
    ("age", "population"),
    [("under-18", "adolescents"), ("18-25", "young-adults"), ("65-plus", "seniors")],
)
def test_age_adds_programs_for_that_age_to_every_search(age, population):
    answers = {"age": [age], "stopping": ["withdrawal"]}
    advice = choose.suggest(answers)
    for rule, *_ in advice.suggestions:
        assert f"population={population}" in choose.search_url(rule, answers, advice.notes)
