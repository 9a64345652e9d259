"""What the keyword box's words mean in the taxonomy: "women", "teen", "suboxone" → term ids.

A word finds the terms whose English or Spanish label holds it as a whole word ("women" →
Women, Pregnant or postpartum women; "mujeres" → the same), and the terms of the synonym table
below: the words people type that no label holds. The table is for a reviewer to read and
extend; its codes are the taxonomy's (programs/migrations/0002_seed_taxonomy.py), and a code
staff deleted is skipped, not an error.
"""

import re
import unicodedata
from collections import defaultdict

from programs import taxonomy

# word as typed (lower case, no accents) → term codes it means
SYNONYMS: dict[str, tuple[str, ...]] = {
    # who it serves
    "teen": ("adolescents",),
    "teens": ("adolescents",),
    "teenager": ("adolescents",),
    "teenagers": ("adolescents",),
    "youth": ("adolescents", "young-adults"),
    "kids": ("adolescents",),
    "children": ("adolescents",),
    "adolescent": ("adolescents",),
    "adolescente": ("adolescents",),
    "jovenes": ("adolescents", "young-adults"),
    "woman": ("women",),
    "female": ("women",),
    "mujer": ("women",),
    "man": ("men",),
    "male": ("men",),
    "hombre": ("men",),
    "pregnancy": ("pregnant",),
    "embarazada": ("pregnant",),
    "embarazadas": ("pregnant",),
    "veteran": ("veterans",),
    "vets": ("veterans",),
    "veterano": ("veterans",),
    "lgbt": ("lgbtq",),
    "gay": ("lgbtq",),
    "lesbian": ("lgbtq",),
    "transgender": ("lgbtq",),
    "queer": ("lgbtq",),
    "elderly": ("seniors",),
    "older": ("seniors",),
    # medications, by brand name as people know them
    "suboxone": ("buprenorphine",),
    "subutex": ("buprenorphine",),
    "sublocade": ("buprenorphine",),
    "zubsolv": ("buprenorphine",),
    "bupe": ("buprenorphine",),
    "vivitrol": ("naltrexone",),
    "narcan": ("naloxone",),
    "mat": ("methadone", "buprenorphine", "naltrexone"),
    "moud": ("methadone", "buprenorphine", "naltrexone"),
    # levels of care and the words for them
    "rehab": ("residential",),
    "inpatient": ("residential", "hospital-inpatient"),
    "internado": ("residential",),
    "detoxification": ("detox",),
    "desintoxicacion": ("detox",),
    "halfway": ("sober-living",),
    "sober": ("sober-living",),
    "telemedicine": ("telehealth",),
    "virtual": ("telehealth",),
    "online": ("telehealth",),
    "aa": ("twelve-step",),
    "na": ("twelve-step",),
    # languages
    "espanol": ("spanish",),
    "hispanic": ("spanish",),
    "latino": ("spanish",),
    "latina": ("spanish",),
    "asl": ("asl",),
}

# Words that say nothing about which program: "programs for women" searches for "women".
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "at",
        "near",
        "me",
        "with",
        "to",
        "program",
        "programs",
        "center",
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "para",
        "y",
        "en",
        "con",
        "un",
        "una",
        "programa",
        "programas",
        "centro",
    ]
)

# Facets that say who a program takes, not what it offers: "female" must find programs for
# women, not every program that accepts women ("Female clients", migration 0015).
NOT_OFFERED = frozenset(["gender-accepted"])

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case without accents: "Adolescentes" and "adolescentes", "Español" and "espanol"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text` that may find a program, as typed (accents kept), once each."""
    kept = {}
    for word in _WORD.findall(text):
        if fold(word) not in STOP_WORDS:
            kept.setdefault(fold(word), word)
    return list(kept.values())


def _label_words(term) -> set[str]:
    return {fold(w) for label in (term.label_en, term.label_es) for w in _WORD.findall(label)}


# The taxonomy read last, and each folded word of its offered terms' labels → those terms' pks:
# folding every label for every word typed was most of a keyword search's own time (~1.5 ms).
_by_label_word: tuple[object, dict[str, set[int]]] = (None, {})


def _terms_by_label_word(snapshot) -> dict[str, set[int]]:
    global _by_label_word
    if _by_label_word[0] is not snapshot:
        index = defaultdict(set)
        for term in snapshot.by_pk.values():
            if term.facet.code not in NOT_OFFERED:
                for word in _label_words(term):
                    index[word].add(term.pk)
        _by_label_word = (snapshot, dict(index))
    return _by_label_word[1]


def term_ids(word: str) -> list[int]:
    """The ids of the terms `word` names, with their narrower terms (as offering() takes them)."""
    snapshot = taxonomy.current()
    folded = fold(word)
    found = {term.pk for term in snapshot.by_pk.values() if term.code in SYNONYMS.get(folded, ())}
    if len(folded) > 2:
        # "adolescent" finds "Adolescents", "mujer" finds "Mujeres": a plural s/es on the label.
        by_word = _terms_by_label_word(snapshot)
        for form in (folded, folded + "s", folded + "es"):
            found |= by_word.get(form, set())
    ids = {pk for term_pk in found for pk in (term_pk, *snapshot.children.get(term_pk, []))}
    return sorted(ids)


def search_words(text: str) -> list[tuple[str, list[int]]]:
    """Each word of `text` with the term ids it names: ProgramQuerySet.matching()'s argument."""
    return [(word, term_ids(word)) for word in words(text)]
