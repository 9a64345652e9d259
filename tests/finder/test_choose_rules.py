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
    "withdrawal": {"stopping": ["withdrawal"]},
    "several-substances": {"stopping": ["several"]},
    "unstable-home": {"home": ["unsafe"]},
    "returned-after-treatment": {"before": ["returned"]},
    "commitments": {"commitments": ["yes"]},
    "mental-health": {"mental": ["yes"]},
    "pregnancy": {"pregnant": ["yes"]},
    "medication": {"medication": ["buprenorphine"]},
    "outpatient": {"home": ["stable"], "commitments": ["no"]},
}
RULES_BY_KEY = {rule.key: rule for rule in RULES}


def test_every_rule_has_an_example_in_this_file():
    assert set(EXAMPLES) == set(RULES_BY_KEY)


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_rule_fires_on_its_answers(key):
    levels, notes = choose.suggest(EXAMPLES[key])
    assert RULES_BY_KEY[key] in [rule for rules in levels for rule in rules] + notes


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
    for param, codes in rule.adds.items():
        assert Term.objects.filter(code__in=codes).count() == len(codes), param


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(EXAMPLES))
def test_rule_search_finds_a_program_offering_what_it_suggests(client, key):
    answers = {**EXAMPLES[key], "location": ["94110"]}
    levels, notes = choose.suggest(answers)
    rule = RULES_BY_KEY[key]
    shown = next((rules[0] for rules in levels if rule in rules), levels[0][0])
    url = choose.search_url(shown, answers, notes)
    codes = [code for codes in parse_qs(urlsplit(url).query).values() for code in codes]
    fits = ProgramFactory(name="Fits", terms=[c for c in codes if c != "94110"])
    ProgramFactory(name="Offers nothing asked for", terms=[])

    response = client.get(url)

    assert response.status_code == 200
    assert [p.name for p in response.context["page"].object_list] == [fits.name]


@pytest.mark.django_db
def test_search_urls_are_valid_for_program_filter_with_every_answer_given():
    answers = {
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
    levels, notes = choose.suggest(answers)
    assert 1 <= len(levels) <= 3
    for rule, *_ in levels:
        query = QueryDict(urlsplit(choose.search_url(rule, answers, notes)).query)
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
    levels, _ = choose.suggest(answers)
    assert [rules[0].key for rules in levels] == [
        "severe-withdrawal",
        "unstable-home",
        "returned-after-treatment",
    ]


def test_outpatient_is_suggested_only_when_nothing_points_to_more_care():
    def headlines(answers):
        return [rules[0].key for rules in choose.suggest(answers)[0]]

    assert headlines({}) == ["outpatient"]
    assert headlines({"mental": ["yes"]}) == ["outpatient"]
    assert headlines({"home": ["unsafe"]}) == ["unstable-home"]


def test_unsure_answers_suggest_nothing_extra():
    answers = {"commitments": ["unsure"], "mental": ["unsure"], "pregnant": ["unsure"]}
    levels, notes = choose.suggest(answers)
    assert [rules[0].key for rules in levels] == ["outpatient"] and notes == []


def test_rules_suggesting_the_same_care_make_one_suggestion_with_each_reason():
    levels, _ = choose.suggest({"stopping": ["withdrawal", "several"]})
    assert [[rule.key for rule in rules] for rules in levels] == [
        ["withdrawal", "several-substances"]
    ]
