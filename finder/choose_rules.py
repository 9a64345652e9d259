"""The rules of "Help me choose": answers → suggested levels of care, with reasons and sources.

This table is meant to be read and corrected by a clinician without reading any other code.
Each rule says: WHEN these answers were given (every listed question has one of the listed
answers), do one of three things, SAY this reason, RESTING ON this source:
- SUGGEST these levels of care (taxonomy term codes, as in the search's ?level=) or treatment
  with these medications (?medication=): a suggestion with its own prefilled search;
- ADD these filters to every suggested search (a note under "Also look for");
- WARN (safety=True): a note on staying safe, shown above the suggestions, adding no filter.
Rules are read top to bottom: rules suggesting the same care make one suggestion with all
their reasons; the first three suggestions are shown, so the most urgent rules come first and
medication for opioids comes before anything but withdrawal that needs medical care. The last
rule (when=None) applies only when no rule above suggested a level of care.
Some answers change nothing on their own, on purpose: stimulants, cannabis, "rather not say",
ages 26 to 64 and every "not sure" leave the general guidance as it is.

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
SAMHSA_MEDICATIONS = Source(
    "SAMHSA, Medications for Substance Use Disorders",
    "https://www.samhsa.gov/medications-substance-use-disorders",
)
OVERDOSE_TOOLKIT = Source(
    "SAMHSA, Overdose Prevention and Response Toolkit",
    "https://store.samhsa.gov/product/samhsa-overdose-prevention-and-response-toolkit/pep23-03-00-001",
)
FDA_NALOXONE = Source(
    "FDA, FDA Approves First Over-the-Counter Naloxone Nasal Spray",
    "https://www.fda.gov/news-events/press-announcements/fda-approves-first-over-counter-naloxone-nasal-spray",
)
NIDA_ADOLESCENT = Source(
    "NIDA, Principles of Adolescent Substance Use Disorder Treatment: A Research-Based Guide",
    "https://nida.nih.gov/publications/principles-adolescent-substance-use-disorder-treatment-research-based-guide",
)
SAMHSA_YOUTH = Source(
    "SAMHSA, Substance Use Disorder Treatment Resources for Youth, Young Adults, and Families",
    "https://www.samhsa.gov/substance-use/treatment/youth-and-families",
)
TIP_26 = Source(
    "SAMHSA, TIP 26: Treating Substance Use Disorder in Older Adults",
    "https://store.samhsa.gov/product/tip-26-treating-substance-use-disorder-older-adults/pep20-02-01-011",
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
    medications: tuple[str, ...] = ()  # or medication term codes for ?medication=
    adds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # filters for every search
    safety: bool = False  # a warning about staying safe: no search of its own, no filter
    guide: str = "levels-of-care"  # the guidance page (slug, and #section) that explains it

    @property
    def suggests(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What it suggests searching for; rules suggesting the same make one suggestion."""
        return self.levels, self.medications


# Medication treatment for opioid use disorder: OTPs (methadone, narrower than "methadone"),
# buprenorphine and naltrexone prescribers.
OPIOID_MEDICATIONS = ("methadone", "buprenorphine", "naltrexone")


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
        key="alcohol-or-benzodiazepine-withdrawal",
        when={"substance": {"alcohol", "benzodiazepines"}, "stopping": {"withdrawal"}},
        title=_("Detox with doctors and nurses on hand, in a hospital or a live-in program"),
        reason=_(
            "You said you use alcohol, benzodiazepines or sleeping pills, and feel sick when "
            "you stop. Withdrawal from these can be dangerous, so detox with medical care "
            "around the clock is the safest way through it."
        ),
        reason_them=_(
            "You said they use alcohol, benzodiazepines or sleeping pills, and feel sick when "
            "they stop. Withdrawal from these can be dangerous, so detox with medical care "
            "around the clock is the safest way through it."
        ),
        source=TIP_45,
        levels=("detox-hospital", "detox-residential"),
    ),
    Rule(
        key="opioids",
        when={"substance": {"opioids"}},
        title=_("Treatment with medication for opioid use: methadone, buprenorphine or naltrexone"),
        reason=_(
            "You said you use opioids. Medications for opioid use disorder work: they ease "
            "withdrawal and cravings, help people stay in treatment, and lower the risk of "
            "dying from an overdose. Methadone is given at opioid treatment programs; "
            "buprenorphine and naltrexone at many clinics and doctors’ offices."
        ),
        reason_them=_(
            "You said they use opioids. Medications for opioid use disorder work: they ease "
            "withdrawal and cravings, help people stay in treatment, and lower the risk of "
            "dying from an overdose. Methadone is given at opioid treatment programs; "
            "buprenorphine and naltrexone at many clinics and doctors’ offices."
        ),
        source=TIP_63,
        medications=OPIOID_MEDICATIONS,
        guide="medications",
    ),
    Rule(
        key="learn-about-medication",
        when={"medication": {"learn"}},
        title=_("Learn about medication for opioid use, and programs that offer it"),
        reason=_(
            "You said you would like to learn more about medication first. Our guide explains "
            "each medicine in plain words, and these programs can answer your questions."
        ),
        reason_them=_(
            "You said they would like to learn more about medication first. Our guide explains "
            "each medicine in plain words, and these programs can answer their questions."
        ),
        source=SAMHSA_MEDICATIONS,
        medications=OPIOID_MEDICATIONS,
        guide="medications",
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
        key="several-used",
        when={"substance": {"several"}},
        title=_("Detox (withdrawal management), then residential or intensive outpatient"),
        reason=_(
            "You said you use several substances together. Withdrawal from a mix is harder to "
            "predict, so it is safer with medical support."
        ),
        reason_them=_(
            "You said they use several substances together. Withdrawal from a mix is harder to "
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
        key="under-18",
        when={"age": {"under-18"}},
        title=_("Look for a program for teenagers, one that involves the family"),
        reason=_(
            "You said you are under 18. Programs built for teenagers fit their needs better, "
            "and treatment tends to work better when a parent or another trusted adult takes "
            "part."
        ),
        reason_them=_(
            "You said they are under 18. Programs built for teenagers fit their needs better, "
            "and treatment tends to work better when the family takes part."
        ),
        source=NIDA_ADOLESCENT,
        adds={"population": ("adolescents",)},
        guide="helping-a-loved-one#teens-and-young-adults",
    ),
    Rule(
        key="young-adult",
        when={"age": {"18-25"}},
        title=_("Look for a program for young adults"),
        reason=_(
            "You said you are between 18 and 25. Some programs are built for young adults and "
            "what matters at that age, like school, work and friends; family support still helps."
        ),
        reason_them=_(
            "You said they are between 18 and 25. Some programs are built for young adults and "
            "what matters at that age, like school, work and friends; family support still helps."
        ),
        source=SAMHSA_YOUTH,
        adds={"population": ("young-adults",)},
        guide="helping-a-loved-one#teens-and-young-adults",
    ),
    Rule(
        key="older-adult",
        when={"age": {"65-plus"}},
        title=_("Look for a program for older adults"),
        reason=_(
            "You said you are 65 or older. Some programs are built for older adults, with care "
            "that takes other health conditions and medicines into account."
        ),
        reason_them=_(
            "You said they are 65 or older. Some programs are built for older adults, with care "
            "that takes other health conditions and medicines into account."
        ),
        source=TIP_26,
        adds={"population": ("seniors",)},
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
        key="naloxone",
        when={"substance": {"opioids"}},
        title=_("Keep naloxone (Narcan) at hand"),
        reason=_(
            "You said you use opioids. Naloxone reverses an opioid overdose, including one from "
            "fentanyl. The nasal spray is sold without a prescription; keep it where the people "
            "around you can find it, and tell them how to use it."
        ),
        reason_them=_(
            "You said they use opioids. Naloxone reverses an opioid overdose, including one from "
            "fentanyl. The nasal spray is sold without a prescription; keep it at home where "
            "you and others can find it, and learn the signs of an overdose."
        ),
        source=FDA_NALOXONE,
        safety=True,
        guide="naloxone",
    ),
    Rule(
        key="overdose-after-detox",
        when={"substance": {"opioids"}, "stopping": {"withdrawal", "severe"}},
        title=_("After detox, the risk of overdose is higher"),
        reason=_(
            "You said you use opioids and have had withdrawal. After withdrawal the body loses "
            "its tolerance, so an amount once taken can now cause an overdose. The time right "
            "after detox, or after any break from opioids, is a time of high risk."
        ),
        reason_them=_(
            "You said they use opioids and have had withdrawal. After withdrawal the body loses "
            "its tolerance, so an amount once taken can now cause an overdose. The time right "
            "after detox, or after any break from opioids, is a time of high risk."
        ),
        source=OVERDOSE_TOOLKIT,
        safety=True,
        guide="naloxone",
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
