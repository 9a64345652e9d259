""" "Help me choose": the questions, the step flow, and turning answers into suggestions.

Privacy: the answers so far ride along in the query string of each step (hidden inputs), so
nothing is stored on the server: no database, no session, no cookie. The rules are in
finder/choose_rules.py.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from finder.choose_rules import MAX_SUGGESTIONS, MEDICATIONS, PAYMENT, RULES, Rule
from programs import places


@dataclass(frozen=True)
class Choice:
    value: str
    me: Promise
    them: Promise | None = None  # when the wording differs for someone else


@dataclass(frozen=True)
class Question:
    key: str
    me: Promise  # "Do you…"
    them: Promise  # "Does the person you care about…"
    choices: tuple[Choice, ...] = ()
    multiple: bool = False  # checkboxes rather than one choice
    hint: Promise | None = None


YES_NO_UNSURE = (Choice("yes", _("Yes")), Choice("no", _("No")), Choice("unsure", _("Not sure")))


WHO = Question(
    "for",
    _("Who are you looking for help for?"),
    _("Who are you looking for help for?"),
    (Choice("me", _("For myself")), Choice("them", _("For someone I care about"))),
)
DANGER = Question(
    "danger",
    _("Is anyone in danger right now?"),
    _("Is anyone in danger right now?"),
    (
        Choice("no", _("No, no one is in danger right now")),
        Choice("suicide", _("Someone is thinking about suicide or about hurting themselves")),
        Choice("overdose", _("Someone may be overdosing, or will not wake up or respond")),
    ),
)

# One screen each, in order. The first screen asks WHO and DANGER together: safety first.
STEPS: list[tuple[Question, ...]] = [
    (WHO, DANGER),
    (
        Question(
            "substance",
            _("What do you use?"),
            _("What does the person you care about use?"),
            (
                Choice("opioids", _("Opioids: heroin, fentanyl, or pain pills like oxycodone")),
                Choice("alcohol", _("Alcohol")),
                Choice("stimulants", _("Stimulants, like meth or cocaine")),
                Choice("cannabis", _("Cannabis (marijuana)")),
                Choice(
                    "benzodiazepines",
                    _("Benzodiazepines or sleeping pills, like Xanax or Valium"),
                ),
                Choice("several", _("Several of these together")),
                Choice("rather-not-say", _("I would rather not say")),
            ),
            multiple=True,
            hint=_("Check any that apply."),
        ),
    ),
    (
        Question(
            "age",
            _("How old are you?"),
            _("How old is the person you care about?"),
            (
                Choice("under-18", _("Under 18")),
                Choice("18-25", _("18 to 25")),
                Choice("26-64", _("26 to 64")),
                Choice("65-plus", _("65 or older")),
            ),
        ),
    ),
    (
        Question(
            "stopping",
            _("When you stop or cut down, which of these are true?"),
            _("When they stop or cut down, which of these are true?"),
            (
                Choice(
                    "withdrawal",
                    _("I feel sick: shaky, sweaty, sick to my stomach, or I can’t sleep"),
                    _("They feel sick: shaky, sweaty, sick to the stomach, or can’t sleep"),
                ),
                Choice(
                    "severe",
                    _("I have had a seizure, seen or heard things, or been very confused"),
                    _("They have had a seizure, seen or heard things, or been very confused"),
                ),
                Choice(
                    "several",
                    _("I use more than one substance, like alcohol with pills"),
                    _("They use more than one substance, like alcohol with pills"),
                ),
            ),
            multiple=True,
            hint=_("Check any that apply."),
        ),
    ),
    (
        Question(
            "before",
            _("Have you been to treatment before?"),
            _("Has the person you care about been to treatment before?"),
            (
                Choice(
                    "returned",
                    _("Yes, and I went back to using after outpatient or short-term treatment"),
                    _("Yes, and they went back to using after outpatient or short-term treatment"),
                ),
                Choice("yes", _("Yes, and it helped for a good while")),
                Choice("no", _("No, this would be the first time")),
            ),
        ),
    ),
    (
        Question(
            "home",
            _("Do you have a stable, supportive place to live?"),
            _("Does the person you care about have a stable, supportive place to live?"),
            (
                Choice("stable", _("Yes")),
                Choice("unstable", _("No, not a stable place right now")),
                Choice(
                    "unsafe", _("There is a place, but people there use or it does not feel safe")
                ),
            ),
        ),
    ),
    (
        Question(
            "commitments",
            _(
                "Do work, school or family make it hard for you to live away from home "
                "for a few weeks?"
            ),
            _(
                "Do work, school or family make it hard for them to live away from home "
                "for a few weeks?"
            ),
            YES_NO_UNSURE,
        ),
    ),
    (
        Question(
            "mental",
            _("Do you also live with a mental health condition, like depression or anxiety?"),
            _(
                "Does the person you care about also live with a mental health condition, "
                "like depression or anxiety?"
            ),
            YES_NO_UNSURE,
        ),
    ),
    (
        Question(
            "pregnant",
            _("Are you pregnant?"),
            _("Is the person you care about pregnant?"),
            YES_NO_UNSURE,
        ),
    ),
    (
        Question(
            "medication",
            _("Are you interested in medication for opioid use?"),
            _("Is the person you care about interested in medication for opioid use?"),
            (
                Choice("methadone", _("Methadone")),
                Choice("buprenorphine", _("Buprenorphine (for example Suboxone)")),
                Choice("naltrexone", _("Naltrexone (for example Vivitrol)")),
                Choice("learn", _("I would like to learn more first")),
            ),
            multiple=True,
            hint=_("Check any that apply. Naltrexone also helps with alcohol."),
        ),
    ),
    (
        Question(
            "pay",
            _("How would you pay?"),
            _("How would they pay?"),
            (
                Choice("medicaid", _("Medicaid")),
                Choice("medicare", _("Medicare")),
                Choice("private-insurance", _("Private health insurance")),
                Choice("military-insurance", _("Military insurance (for example TRICARE)")),
                Choice("ihs-tribal", _("IHS, Tribal or Urban Indian health funds")),
                Choice("no-insurance", _("No insurance, or not sure: free or low-cost programs")),
            ),
            multiple=True,
            hint=_("Check any that apply."),
        ),
    ),
    (
        Question(
            "location",
            _("Where should we look?"),
            _("Where should we look?"),
            hint=_("A ZIP code, or a city and state."),
        ),
    ),
]
QUESTIONS = {question.key: question for step in STEPS for question in step}
RESULT_STEP = len(STEPS)
MAX_LOCATION_LENGTH = places.MAX_QUERY_LENGTH


def parse(data: QueryDict) -> dict[str, list[str]]:
    """The known answers in a query string; anything unknown or out of range is dropped."""
    answers = {}
    for question in QUESTIONS.values():
        values = [v for v in data.getlist(question.key) if v]
        if question.choices:
            allowed = {choice.value for choice in question.choices}
            values = [v for v in dict.fromkeys(values) if v in allowed]
            values = values if question.multiple else values[:1]
        else:
            values = [v.strip()[:MAX_LOCATION_LENGTH] for v in values[:1] if v.strip()]
        if values:
            answers[question.key] = values
    return answers


def step_number(data: QueryDict) -> int:
    """The step asked for (?go=), kept within the flow; anything else starts at the beginning."""
    try:
        return min(max(int(data.get("go", 0)), 0), RESULT_STEP)
    except ValueError:
        return 0


def in_danger(answers: dict[str, list[str]]) -> bool:
    return any(value != "no" for value in answers.get("danger", []))


def for_someone_else(answers: dict[str, list[str]]) -> bool:
    return answers.get("for") == ["them"]


def query(answers: dict[str, list[str]], **extra) -> str:
    """A query string carrying the answers (and e.g. go=3)."""
    pairs = [(key, value) for key, values in answers.items() for value in values]
    return urlencode(pairs + list(extra.items()))


def without(answers: dict[str, list[str]], step: int) -> dict[str, list[str]]:
    """The answers minus the questions of one step: what Skip carries forward."""
    keys = {question.key for question in STEPS[step]}
    return {key: values for key, values in answers.items() if key not in keys}


def matches(rule: Rule, answers: dict[str, list[str]]) -> bool:
    return rule.when is not None and all(
        set(answers.get(key, [])) & wanted for key, wanted in rule.when.items()
    )


@dataclass(frozen=True)
class Advice:
    """What the rules make of the answers, as the result page shows it."""

    suggestions: list[list[Rule]]  # at most three; the rules that fired for the same care
    notes: list[Rule]  # filters added to every search ("Also look for")
    safety: list[Rule]  # warnings about staying safe


def suggest(answers: dict[str, list[str]]) -> Advice:
    """Suggested care (at most three), things to look for, and safety warnings, by the rules.

    Each suggestion is the rules that fired for the same care: the first gives the title,
    each gives its reason.
    """
    fired = [rule for rule in RULES if matches(rule, answers)]
    by_care: dict[tuple, list[Rule]] = {}
    for rule in fired:
        if any(rule.suggests):
            by_care.setdefault(rule.suggests, []).append(rule)
    suggestions = list(by_care.values())[:MAX_SUGGESTIONS]
    # Medication is treatment, not a level of care: without a level, outpatient is suggested too.
    if not any(rules[0].levels for rules in suggestions):
        fallback = [rule for rule in RULES if rule.when is None]
        suggestions = (suggestions + [fallback])[:MAX_SUGGESTIONS]
    return Advice(
        suggestions=suggestions,
        notes=[rule for rule in fired if not any(rule.suggests) and not rule.safety],
        safety=[rule for rule in fired if rule.safety],
    )


def search_url(rule: Rule, answers: dict[str, list[str]], notes: list[Rule]) -> str:
    """The search for one suggestion: its care, the chosen medications, payment and place."""
    params = [("level", code) for code in rule.levels]
    for note in notes:
        params += [(name, code) for name, codes in note.adds.items() for code in codes]
    chosen = [
        code for answer in answers.get("medication", []) for code in MEDICATIONS.get(answer, ())
    ]
    # A medication suggestion searches for the medicines asked about, or else for all of them.
    params += [("medication", code) for code in chosen or rule.medications]
    for answer in answers.get("pay", []):
        params += [("payment", code) for code in PAYMENT[answer]]
    params += [("location", place) for place in answers.get("location", [])]
    return f"{reverse('search')}?{urlencode(list(dict.fromkeys(params)))}"
