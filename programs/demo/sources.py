"""What the demo makes up where its real files (programs/demo/data, see SOURCE.md) say nothing.

Names, addresses, coordinates, and for the California API file phones, websites and services
are real and come in through the importers. Services of the other files, phones, hours and
openings are made up, each from a random.Random seeded with the listing's stable id, so every
run builds the same directory.
"""

import random
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import zipcodes
from phonenumber_field.phonenumber import PhoneNumber

from programs.models import Program
from programs.states import STATE_NAMES

DATA_DIR = Path(__file__).parent / "data"
# The states of facilities.csv; opioid treatment programs elsewhere are left out.
STATES = frozenset({"AZ", "CA", "CO", "FL", "GA", "IL", "MA", "NY", "OH", "PA", "TX", "WA"})
# Changing the seed changes every made-up value, so every listing would be updated.
SEED = "treatment-finder-demo-1"
# What the loader sets on a program, besides its slug, source and external_id.
KINDS = ("outpatient", "residential", "hospital", "otp")
# Chance that a program of each kind offers a term. Roughly SAMHSA's national survey of
# substance use facilities (N-SUMHSS): outpatient care, Medicaid and buprenorphine are common.
CHANCES = {  # outpatient, residential, hospital, otp
    "co-occurring": (0.45, 0.5, 0.6, 0.4),
    "mental-health": (0.4, 0.3, 0.7, 0.3),
    "telehealth": (0.35, 0.1, 0.15, 0.2),
    "aftercare": (0.5, 0.7, 0.5, 0.3),
    "buprenorphine": (0.55, 0.45, 0.75, 0.6),
    "naltrexone-oral": (0.3, 0.35, 0.4, 0.15),
    "naltrexone-injectable": (0.3, 0.3, 0.35, 0.25),
    "naloxone": (0.6, 0.7, 0.7, 0.85),
    "cbt": (0.9, 0.9, 0.8, 0.7),
    "contingency-management": (0.45, 0.4, 0.3, 0.5),
    "motivational": (0.85, 0.85, 0.8, 0.75),
    "family": (0.65, 0.6, 0.5, 0.35),
    "group": (0.9, 0.95, 0.85, 0.9),
    "twelve-step": (0.55, 0.8, 0.6, 0.3),
    "peer-support": (0.5, 0.6, 0.4, 0.45),
    "trauma": (0.7, 0.75, 0.6, 0.5),
    "cash": (0.9, 0.9, 0.85, 0.95),
    "private-insurance": (0.65, 0.6, 0.9, 0.45),
    "medicaid": (0.65, 0.45, 0.8, 0.9),
    "medicare": (0.35, 0.2, 0.8, 0.55),
    "sliding-fee": (0.45, 0.25, 0.2, 0.3),
    "state-plan": (0.25, 0.3, 0.3, 0.35),
    "military-insurance": (0.3, 0.25, 0.4, 0.15),
    "payment-assistance": (0.25, 0.2, 0.15, 0.2),
    "free": (0.04, 0.03, 0.0, 0.02),
    "ihs-tribal": (0.08, 0.08, 0.05, 0.05),
    "adults": (0.95, 0.95, 0.97, 1.0),
    "adolescents": (0.2, 0.08, 0.1, 0.0),
    "young-adults": (0.6, 0.6, 0.5, 0.5),
    "seniors": (0.4, 0.35, 0.5, 0.4),
    "veterans": (0.35, 0.3, 0.4, 0.3),
    "lgbtq": (0.2, 0.15, 0.15, 0.15),
    "justice-involved": (0.45, 0.5, 0.3, 0.5),
    "deaf": (0.12, 0.1, 0.2, 0.08),
    "other-languages": (0.1, 0.05, 0.2, 0.1),
}
PAYMENT = {"free", "sliding-fee", "medicaid", "medicare", "private-insurance", "cash"}
SPANISH_SPEAKING_STATES = {"AZ", "CA", "CO", "FL", "IL", "NY", "TX"}
HOURS = {
    "outpatient": ["Mon–Fri 8am–6pm", "Mon–Thu 9am–8pm; Fri 9am–5pm", "Mon–Fri 8:30am–5pm",
                   "Mon–Fri 7am–7pm; Sat 9am–1pm", "Mon–Fri 9am–9pm"],
    "residential": ["Open 24 hours, 7 days a week", "Open 24 hours; call for admissions any day",
                    "Open 24 hours, 7 days a week; admissions Mon–Fri 8am–5pm"],
    # Methadone clinics dose in person, early in the day.
    "otp": ["Dosing Mon–Fri 5:30am–1:30pm; Sat–Sun 6am–10am", "Mon–Sat 6am–2pm; Sun 7am–10am",
            "Dosing Mon–Fri 5am–noon; Sat 6am–10am"],
}  # fmt: skip
HOURS["hospital"] = HOURS["residential"]
WHAT = {
    "outpatient": "Outpatient treatment for substance use",
    "residential": "Residential (live-in) treatment for substance use",
    "hospital": "Hospital inpatient treatment and detox for substance use",
    "otp": "Methadone clinic (an opioid treatment program certified by SAMHSA)",
}
MEDICATIONS = {"methadone": "methadone", "buprenorphine": "buprenorphine"}
MEDICATIONS |= {"naltrexone-oral": "naltrexone", "naltrexone-injectable": "naltrexone"}
CREDITS = {
    "fac": "the name and address are from SAMHSA's public directory; the phone number, services,",
    "ca-res": "the name, phone, website and services are from SAMHSA's FindTreatment.gov; the",
    "otp": "the name, address and OTP certification are from SAMHSA's list of opioid treatment "
    "programs; the phone number, other services,",
}
# Used when the ZIP gazetteer knows no area code for a ZIP.
AREA_CODES = {
    "AZ": "602", "CA": "213", "CO": "303", "FL": "305", "GA": "404", "IL": "312",
    "MA": "617", "NY": "212", "OH": "614", "PA": "215", "TX": "512", "WA": "206",
}  # fmt: skip


def made_up(program: Program, *, origin: str, terms: set[str], today: date) -> tuple[dict, set]:
    """(field values, term codes) for a listing its `origin` file imported with `terms`.

    Real values stay: an imported phone, the imported terms (made-up ones are added to them
    only where the file gives no services), and a verification date already set.
    """
    if origin == "ca-res":  # the API file's services are real
        kind, terms = "residential", terms | {"substance-use"}
    else:
        rng = _rng(program.external_id, "terms")
        kind = "otp" if origin == "otp" else rng.choices(KINDS[:3], weights=(70, 22, 8))[0]
        terms = terms | _made_up_terms(rng, kind, program.state)
    rng = _rng(program.external_id, "details")
    weights = (35, 35, 22, 8) if kind == "residential" else (45, 35, 13, 7)
    accepting = rng.choices(("yes", "unknown", "waitlist", "no"), weights=weights)[0]
    days_ago = rng.randrange(548)  # about 18 months
    never_verified = rng.random() < 0.04
    hours = rng.choice(HOURS[kind])
    phone = program.phone.as_e164 if program.phone else ""
    if not phone:
        phone = _fictional_phone(rng, program.zip_code[:5], program.state)
    verified = None if never_verified else today - timedelta(days=days_ago)
    return {
        "description": _description(program, origin, kind, terms),
        "phone": phone,
        "hours": hours,
        "accepting": accepting,
        # A verification date records when someone checked: a rerun must not move it.
        "last_verified": program.last_verified or verified,
        "is_demo": True,
    }, terms


def _description(program: Program, origin: str, kind: str, terms: set[str]) -> str:
    medications = list(dict.fromkeys(MEDICATIONS[c] for c in MEDICATIONS if c in terms))
    offers = f" Medications offered: {', '.join(medications)}." if medications else ""
    where = f"{program.city}, {STATE_NAMES[program.state]}"
    return (
        f"{WHAT[kind]} in {where}.{offers} "
        f"Demo listing: {CREDITS[origin]} hours and openings are made up."
    )


def _rng(external_id: str, purpose: str) -> random.Random:
    # A str seed is hashed with SHA-512, so it does not depend on PYTHONHASHSEED.
    return random.Random(f"{SEED}:{purpose}:{external_id}")


@cache
def _area_codes_by_zip() -> dict[str, list[str]]:
    return {z["zip_code"]: z["area_codes"] for z in zipcodes.list_all() if z["area_codes"]}


def _fictional_phone(rng: random.Random, zip_code: str, state: str) -> str:
    """A 555-0100..555-0199 number, reserved for fiction, with the ZIP's own area code."""
    line = rng.randrange(100, 200)
    for area_code in [*_area_codes_by_zip().get(zip_code, [])[:1], AREA_CODES.get(state)]:
        number = PhoneNumber.from_string(f"+1{area_code}5550{line}") if area_code else None
        if number and number.is_valid():
            return number.as_e164
    return ""


def _made_up_terms(rng: random.Random, kind: str, state: str) -> set[str]:
    """What a facility of this kind plausibly offers; a methadone clinic is always an OTP."""
    column = KINDS.index(kind)
    # A draw for every term, even at chance 0, so tuning one chance changes only that term.
    terms = {"substance-use"} | {code for code, p in CHANCES.items() if rng.random() < p[column]}
    if kind == "outpatient" or rng.random() < {"residential": 0.3, "hospital": 0.4}.get(kind, 1):
        terms |= {"outpatient", "outpatient-regular" if rng.random() < 0.85 else "iop"}
        terms |= {"iop"} if rng.random() < 0.4 and kind != "otp" else set()
        terms |= {"php"} if rng.random() < 0.1 and kind == "outpatient" else set()
    if kind == "residential":
        length = rng.random()
        terms |= {"residential"}
        terms |= {"residential-short"} if length < 0.65 else set()
        terms |= {"residential-long"} if length > 0.35 else set()
        terms |= {"detox", "detox-residential"} if rng.random() < 0.35 else set()
        terms |= {"sober-living"} if rng.random() < 0.08 else set()
    elif kind == "hospital":
        terms |= {"hospital-inpatient", "detox", "detox-hospital"}
    elif rng.random() < (0.3 if kind == "otp" else 0.08):
        terms |= {"detox", "detox-outpatient"}
    if rng.random() < {"outpatient": 0.1, "residential": 0.03, "hospital": 0.3, "otp": 1}[kind]:
        # Methadone for opioid use disorder outside a hospital is dispensed only by an OTP.
        terms |= {"methadone", "otp"} if kind in ("outpatient", "otp") else {"methadone"}
    if "buprenorphine" in terms and rng.random() < 0.8:
        terms.add("buprenorphine-naloxone")
    if "deaf" in terms and rng.random() < 0.6:
        terms.add("asl")
    if rng.random() < (0.5 if state in SPANISH_SPEAKING_STATES else 0.25):
        terms.add("spanish")
    gender, both = rng.random(), (0.5 if kind == "residential" else 0.8)
    if gender < both or gender >= (1 + both) / 2:
        terms.add("women")
        if rng.random() < (0.75 if kind == "otp" else 0.25):
            terms.add("pregnant")
    if gender < (1 + both) / 2:
        terms.add("men")
    if "free" in terms:
        terms -= {"cash", "sliding-fee", "private-insurance", "payment-assistance"}
    if not terms & PAYMENT:
        terms.add("cash")
    if not terms & {"adults", "adolescents"}:
        terms.add("adults")
    return terms
