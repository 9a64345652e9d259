"""The rules of "Help me choose": answers → suggested levels of care, with reasons and sources.

This table is meant to be read and corrected by a clinician without reading any other code.
Each rule says: WHEN these answers were given (every listed question has one of the listed
answers), SUGGEST these levels of care (taxonomy term codes, as in the search's ?level=) or, with
no levels, ADD these filters to every suggested search; SAY this reason; RESTING ON this source.
Rules are read top to bottom: rules suggesting the same levels make one suggestion with all
their reasons; the first three suggestions are shown. The last rule (when=None) applies only
when no rule above suggested a level of care.

It is general guidance drawn from public sources, not an assessment: a program's clinicians
decide what fits, using the ASAM criteria. Tests: tests/finder/test_choose_rules.py, row by row.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    title: str  # a publication's own title is not translated
    url: str


SAMHSA_QUALITY = Source(
    "SAMHSA, Finding Quality Treatment for Substance Use Disorders (PEP18-TREATMENT-LOC)",
    "https://store.samhsa.gov/product/finding-quality-treatment-substance-use-disorders/pep18-treatment-loc",
)
TIP_45 = Source(
    "SAMHSA, TIP 45: Detoxification and Substance Abuse Treatment",
    "https://store.samhsa.gov/product/tip-45-detoxification-and-substance-abuse-treatment/sma15-4131",
)
TIP_63 = Source(
    "SAMHSA, TIP 63: Medications for Opioid Use Disorder",
    "https://store.samhsa.gov/product/tip-63-medications-opioid-use-disorder/pep21-02-01-002",
)
ASAM = Source(
    "ASAM, About the ASAM Criteria",
    "https://www.asam.org/asam-criteria/about-the-asam-criteria",
)
NIDA_PRINCIPLES = Source(
    "NIDA, Principles of Drug Addiction Treatment: A Research-Based Guide",
    "https://nida.nih.gov/publications/principles-drug-addiction-treatment-research-based-guide-third-edition",
)
PREGNANCY = Source(
    "ACOG Committee Opinion 711 and SAMHSA, Clinical Guidance for Treating Pregnant and "
    "Parenting Women With Opioid Use Disorder",
    "https://store.samhsa.gov/product/clinical-guidance-treating-pregnant-and-parenting-women-opioid-use-disorder-and-their/sma18-5054",
)


@dataclass(frozen=True)
class Rule:
    key: str
    when: dict[str, set[str]] | None  # question key → the answers that trigger; None: fallback
    title: Promise  # the suggestion as the searcher reads it
    reason: Promise  # why, drawn from the answers: "You said…" / "They…"
    reason_them: Promise  # the same reason when asking for someone else
    source: Source
    levels: tuple[str, ...] = ()  # level-of-care term codes for ?level=
    adds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # filters for every search
    guide: str = "levels-of-care"  # the guidance page (slug) that explains it


RULES = [
    Rule(
        key="severe-withdrawal",
        when={"stopping": {"severe"}},
        title=_("Medically managed detox in a hospital, then ongoing treatment"),
        reason=_(
            "You said stopping has caused seizures, hallucinations or severe confusion. "
            "Withdrawal like this can be dangerous and is safest with doctors and nurses nearby."
        ),
        reason_them=_(
            "You said stopping has caused them seizures, hallucinations or severe confusion. "
            "Withdrawal like this can be dangerous and is safest with doctors and nurses nearby."
        ),
        source=TIP_45,
        levels=("detox-hospital", "hospital-inpatient"),
    ),
    Rule(
        key="withdrawal",
        when={"stopping": {"withdrawal"}},
        title=_("Detox (withdrawal management), then residential or intensive outpatient"),
        reason=_(
            "You said you have had withdrawal symptoms when stopping. Detox helps the body "
            "through withdrawal safely; treatment afterwards helps you stay well."
        ),
        reason_them=_(
            "You said they have had withdrawal symptoms when stopping. Detox helps the body "
            "through withdrawal safely; treatment afterwards helps them stay well."
        ),
        source=TIP_45,
        levels=("detox",),
    ),
    Rule(
        key="several-substances",
        when={"stopping": {"several"}},
        title=_("Detox (withdrawal management), then residential or intensive outpatient"),
        reason=_(
            "You said you use more than one substance. Withdrawal from a mix is harder to "
            "predict, so it is safer with medical support."
        ),
        reason_them=_(
            "You said they use more than one substance. Withdrawal from a mix is harder to "
            "predict, so it is safer with medical support."
        ),
        source=TIP_45,
        levels=("detox",),
    ),
    Rule(
        key="unstable-home",
        when={"home": {"unstable", "unsafe"}},
        title=_("Residential (live-in) treatment"),
        reason=_(
            "You said you do not have a stable, supportive place to live right now. "
            "Live-in treatment gives a safe place to start recovery."
        ),
        reason_them=_(
            "You said they do not have a stable, supportive place to live right now. "
            "Live-in treatment gives a safe place to start recovery."
        ),
        source=ASAM,
        levels=("residential",),
    ),
    Rule(
        key="returned-after-treatment",
        when={"before": {"returned"}},
        title=_("A more intensive level of care: residential or day treatment"),
        reason=_(
            "You said you went back to using after outpatient or short-term treatment. "
            "That is common, and more support or a longer stay can help."
        ),
        reason_them=_(
            "You said they went back to using after outpatient or short-term treatment. "
            "That is common, and more support or a longer stay can help."
        ),
        source=NIDA_PRINCIPLES,
        levels=("residential", "php"),
    ),
    Rule(
        key="commitments",
        when={"commitments": {"yes"}},
        title=_("Intensive outpatient or day treatment, living at home"),
        reason=_(
            "You said work, school or family make it hard to live away from home. "
            "Intensive outpatient programs meet several times a week while you live at home."
        ),
        reason_them=_(
            "You said work, school or family make it hard for them to live away from home. "
            "Intensive outpatient programs meet several times a week while they live at home."
        ),
        source=SAMHSA_QUALITY,
        levels=("iop", "php"),
    ),
    Rule(
        key="mental-health",
        when={"mental": {"yes"}},
        title=_("Look for care for mental health and substance use together"),
        reason=_(
            "You said you also live with a mental health condition. Treating both at the "
            "same time tends to work better."
        ),
        reason_them=_(
            "You said they also live with a mental health condition. Treating both at the "
            "same time tends to work better."
        ),
        source=NIDA_PRINCIPLES,
        adds={"care_type": ("co-occurring",)},
    ),
    Rule(
        key="pregnancy",
        when={"pregnant": {"yes"}},
        title=_("Look for a program that cares for pregnant people"),
        reason=_(
            "You said you are pregnant. Some programs specialize in pregnancy; for opioids, "
            "medication (methadone or buprenorphine) is recommended over stopping suddenly."
        ),
        reason_them=_(
            "You said they are pregnant. Some programs specialize in pregnancy; for opioids, "
            "medication (methadone or buprenorphine) is recommended over stopping suddenly."
        ),
        source=PREGNANCY,
        adds={"population": ("pregnant",)},
        guide="medications",
    ),
    Rule(
        key="medication",
        when={"medication": {"methadone", "buprenorphine", "naltrexone"}},
        title=_("Look for a program that offers the medication you asked about"),
        reason=_(
            "You said you are interested in medication. Medications for opioid use disorder "
            "lower the risk of overdose and help people stay in treatment."
        ),
        reason_them=_(
            "You said they are interested in medication. Medications for opioid use disorder "
            "lower the risk of overdose and help people stay in treatment."
        ),
        source=TIP_63,
        guide="medications",  # the chosen medications are added to the search (MEDICATIONS)
    ),
    Rule(
        key="outpatient",
        when=None,
        title=_("Outpatient treatment, living at home"),
        reason=_(
            "Nothing you said points to a need for live-in or medically managed care. Many "
            "people start with outpatient care and move to more support if they need it."
        ),
        reason_them=_(
            "Nothing you said points to a need for live-in or medically managed care. Many "
            "people start with outpatient care and move to more support if they need it."
        ),
        source=NIDA_PRINCIPLES,
        levels=("outpatient",),
    ),
]

# Answers to the medication and payment questions → the search's term codes.
MEDICATIONS = {
    "methadone": ("methadone",),
    "buprenorphine": ("buprenorphine",),
    "naltrexone": ("naltrexone",),
}
PAYMENT = {
    "medicaid": ("medicaid",),
    "medicare": ("medicare",),
    "private-insurance": ("private-insurance",),
    "military-insurance": ("military-insurance",),
    "ihs-tribal": ("ihs-tribal",),
    "no-insurance": ("free", "sliding-fee", "payment-assistance", "state-plan"),
}
MAX_SUGGESTIONS = 3
