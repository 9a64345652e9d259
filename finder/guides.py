"""The guidance pages: plain-language help for people who do not know what to search for yet.

Each page's words live in one template per language (templates/guides/<language>/<slug>.html),
so a translator edits prose as prose rather than sentence by sentence.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Guide:
    slug: str
    title: Promise
    summary: Promise


GUIDES = [
    Guide(
        "levels-of-care",
        _("Kinds of treatment, explained"),
        _("Detox, residential, outpatient and more: what each is like and who it tends to suit."),
    ),
    Guide(
        "medications",
        _("Medications for opioid use disorder"),
        _("Methadone, buprenorphine and naltrexone: what each does and where you get it."),
    ),
    Guide(
        "naloxone",
        _("Naloxone and overdose"),
        _("The signs of an opioid overdose, what to do, and how to get naloxone."),
    ),
    Guide(
        "helping-a-loved-one",
        _("Helping someone you love"),
        _(
            "How to talk about it, how to choose a program, what changes when your child is a "
            "teenager or a young adult, and how to look after yourself."
        ),
    ),
    Guide(
        "paying-for-treatment",
        _("Paying for treatment"),
        _("Medicaid, sliding fees, free and state-funded programs, and who can help."),
    ),
]
GUIDES_BY_SLUG = {guide.slug: guide for guide in GUIDES}
LANGUAGES = {"en", "es"}
