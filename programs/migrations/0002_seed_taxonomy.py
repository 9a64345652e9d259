"""Seed the taxonomy of shared/DESIGN.md: facets and their terms, with SAMHSA codes and labels.

The labels are those the SAMHSA locator API returns for a service, so an importer can map them.
Staff may edit terms afterwards; this migration only creates what is missing.
"""

from django.db import migrations

FACETS = [
    # code, English, Spanish
    ("care-type", "Type of care", "Tipo de atención"),
    ("level", "Level of care", "Nivel de atención"),
    ("medication", "Medications for opioid use disorder", "Medicamentos para el trastorno por consumo de opioides"),
    ("therapy", "Therapies and support", "Terapias y apoyo"),
    ("payment", "Payment", "Pago"),
    ("population", "Who it serves", "A quién atiende"),
    ("language", "Languages", "Idiomas"),
]

# facet, code, parent code, English, Spanish, SAMHSA code, SAMHSA labels
TERMS = [
    ("care-type", "substance-use", "", "Substance use treatment", "Tratamiento por consumo de sustancias", "SA",
     ["Substance use treatment"]),
    ("care-type", "mental-health", "", "Mental health treatment", "Tratamiento de salud mental", "MH",
     ["Mental health treatment", "Mental health services"]),
    ("care-type", "co-occurring", "", "Treatment for both substance use and mental health",
     "Tratamiento para consumo de sustancias y salud mental a la vez", "CO",
     ["Treatment for co-occurring substance use plus either serious mental health illness in "
      "adults/serious emotional disturbance in children",
      "Clients with co-occurring mental and substance use disorders"]),
    ("care-type", "sober-living", "", "Transitional housing or sober home",
     "Vivienda de transición o vivienda sobria", "HH",
     ["Transitional housing, halfway house, or sober home"]),

    ("level", "detox", "", "Detox (withdrawal management)", "Desintoxicación (manejo de la abstinencia)", "DT",
     ["Detoxification", "Alcohol Detoxification", "Benzodiazepines Detoxification",
      "Cocaine Detoxification", "Methamphetamines detoxification", "Opioids detoxification"]),
    ("level", "detox-hospital", "detox", "Detox in a hospital", "Desintoxicación en un hospital", "HID",
     ["Hospital inpatient detoxification"]),
    ("level", "detox-residential", "detox", "Detox in a residential (live-in) program",
     "Desintoxicación en un programa residencial", "RD", ["Residential detoxification"]),
    ("level", "detox-outpatient", "detox", "Detox while living at home (outpatient)",
     "Desintoxicación viviendo en casa (ambulatoria)", "OD", ["Outpatient detoxification"]),
    ("level", "hospital-inpatient", "", "Hospital inpatient treatment", "Tratamiento hospitalario", "HI",
     ["Hospital inpatient treatment", "Hospital inpatient/24-hour hospital inpatient"]),
    ("level", "residential", "", "Residential (live-in) treatment", "Tratamiento residencial (internado)", "RES",
     ["Residential/24-hour residential"]),
    ("level", "residential-short", "residential", "Short-term residential (30 days or less)",
     "Residencial a corto plazo (30 días o menos)", "RS", ["Short-term residential"]),
    ("level", "residential-long", "residential", "Long-term residential (more than 30 days)",
     "Residencial a largo plazo (más de 30 días)", "RL", ["Long-term residential"]),
    ("level", "outpatient", "", "Outpatient (live at home)", "Ambulatorio (vive en casa)", "OP",
     ["Outpatient", "Outpatient methadone/buprenorphine or naltrexone treatment"]),
    ("level", "php", "outpatient", "Partial hospitalization (day treatment)",
     "Hospitalización parcial (tratamiento de día)", "PH",
     ["Outpatient day treatment or partial hospitalization"]),
    ("level", "iop", "outpatient", "Intensive outpatient (several days a week)",
     "Ambulatorio intensivo (varios días a la semana)", "OIT", ["Intensive outpatient treatment"]),
    ("level", "outpatient-regular", "outpatient", "Regular outpatient (weekly visits)",
     "Ambulatorio regular (visitas semanales)", "ORT", ["Regular outpatient treatment"]),
    ("level", "aftercare", "", "Aftercare and continuing care", "Cuidado posterior y continuo", "",
     ["Aftercare/continuing care"]),
    ("level", "telehealth", "", "Telehealth (by phone or video)", "Telesalud (por teléfono o video)", "TELE",
     ["Telemedicine/telehealth therapy"]),

    ("medication", "methadone", "", "Methadone", "Metadona", "MM",
     ["Methadone", "Methadone maintenance", "Methadone used in Treatment", "Methadone detoxification"]),
    ("medication", "otp", "methadone", "Certified opioid treatment program (OTP, methadone clinic)",
     "Programa certificado de tratamiento de opioides (OTP, clínica de metadona)", "OTP",
     ["SAMHSA certification for opioid treatment program (OTP)",
      "Federally-certified Opioid Treatment Program"]),
    ("medication", "buprenorphine", "", "Buprenorphine", "Buprenorfina", "BU",
     ["Buprenorphine used in Treatment", "Buprenorphine maintenance", "Buprenorphine detoxification",
      "Buprenorphine without naloxone", "Buprenorphine (extended-release, injectable)",
      "Buprenorphine sub-dermal implant", "Prescribes buprenorphine"]),
    ("medication", "buprenorphine-naloxone", "buprenorphine", "Buprenorphine with naloxone (e.g. Suboxone)",
     "Buprenorfina con naloxona (p. ej., Suboxone)", "BUM", ["Buprenorphine with naloxone"]),
    ("medication", "naltrexone", "", "Naltrexone (any form)", "Naltrexona (cualquier forma)", "",
     ["Naltrexone used in Treatment", "Prescribes naltrexone", "Relapse prevention with naltrexone"]),
    ("medication", "naltrexone-oral", "naltrexone", "Naltrexone (pill)", "Naltrexona (pastilla)", "NU",
     ["Naltrexone (oral)"]),
    ("medication", "naltrexone-injectable", "naltrexone", "Naltrexone, monthly injection (e.g. Vivitrol)",
     "Naltrexona, inyección mensual (p. ej., Vivitrol)", "VTRL",
     ["Naltrexone (extended-release, injectable)"]),
    ("medication", "naloxone", "", "Naloxone and overdose education", "Naloxona y educación sobre sobredosis",
     "NXN", ["Naloxone and overdose education"]),

    ("therapy", "cbt", "", "Cognitive behavioral therapy (CBT)", "Terapia cognitivo-conductual (TCC)", "CBT",
     ["Cognitive behavioral therapy"]),
    ("therapy", "contingency-management", "", "Contingency management (rewards for progress)",
     "Manejo de contingencias (recompensas por el progreso)", "CMI",
     ["Contingency management/motivational incentives", "Community reinforcement plus vouchers"]),
    ("therapy", "motivational", "", "Motivational interviewing", "Entrevista motivacional", "MOTI",
     ["Motivational interviewing"]),
    ("therapy", "family", "", "Family counseling", "Consejería familiar", "FCO",
     ["Family counseling", "Marital/couples counseling"]),
    ("therapy", "group", "", "Group counseling", "Consejería en grupo", "GCO", ["Group counseling"]),
    ("therapy", "twelve-step", "", "12-step facilitation", "Facilitación de 12 pasos", "TWFA",
     ["12-step facilitation", "Self-help groups"]),
    ("therapy", "peer-support", "", "Peer support and recovery coaching", "Apoyo de pares y asesoría de recuperación",
     "", ["Mentoring/peer support", "Recovery coach"]),
    ("therapy", "trauma", "", "Trauma-related counseling", "Consejería para el trauma", "TRC",
     ["Trauma-related counseling"]),

    ("payment", "free", "", "Free (no cost)", "Gratis (sin costo)", "NP",
     ["No payment accepted"]),
    ("payment", "sliding-fee", "", "Sliding fee (based on income)", "Tarifa según ingresos", "SS",
     ["Sliding fee scale (fee is based on income and other factors)"]),
    ("payment", "medicaid", "", "Medicaid", "Medicaid", "MD", ["Medicaid"]),
    ("payment", "medicare", "", "Medicare", "Medicare", "MC", ["Medicare"]),
    ("payment", "private-insurance", "", "Private health insurance", "Seguro médico privado", "PI",
     ["Private health insurance"]),
    ("payment", "cash", "", "Cash or self-payment", "Efectivo o pago propio", "SF",
     ["Cash or self-payment"]),
    ("payment", "payment-assistance", "", "Payment assistance", "Ayuda con el pago", "PA",
     ["Payment assistance (check with facility for details)"]),
    ("payment", "state-plan", "", "State-financed health plan (not Medicaid)",
     "Plan de salud financiado por el estado (no Medicaid)", "SI",
     ["State-financed health insurance plan other than Medicaid"]),
    ("payment", "military-insurance", "", "Military insurance (e.g. TRICARE)", "Seguro militar (p. ej., TRICARE)",
     "MI", ["Federal military insurance (e.g., TRICARE)"]),
    ("payment", "ihs-tribal", "", "IHS, Tribal or Urban Indian health funds",
     "Fondos del IHS, tribales o de salud indígena urbana", "ITU", ["IHS/Tribal/Urban (ITU) funds"]),

    ("population", "adolescents", "", "Adolescents", "Adolescentes", "CHLD",
     ["Adolescents", "Children/Adolescents"]),
    ("population", "young-adults", "", "Young adults", "Adultos jóvenes", "YAD", ["Young adults", "Young Adults"]),
    ("population", "adults", "", "Adults", "Adultos", "ADLT", ["Adults"]),
    ("population", "seniors", "", "Seniors", "Personas mayores", "SNR", ["Seniors", "Seniors or older adults"]),
    ("population", "women", "", "Women", "Mujeres", "FEM", ["Female", "Adult women"]),
    ("population", "men", "", "Men", "Hombres", "MALE", ["Male", "Adult men"]),
    ("population", "pregnant", "", "Pregnant or postpartum women", "Mujeres embarazadas o en posparto", "PW",
     ["Pregnant/postpartum women"]),
    ("population", "veterans", "", "Veterans", "Veteranos", "VET", ["Veterans"]),
    ("population", "lgbtq", "", "LGBTQ+ people", "Personas LGBTQ+", "GL",
     ["Lesbian, gay, bisexual, or transgender (LGBT) clients"]),
    ("population", "justice-involved", "", "People involved with the justice system",
     "Personas con casos en el sistema judicial", "CJ",
     ["Criminal justice (other than DUI/DWI)/Forensic clients"]),
    ("population", "deaf", "", "Deaf and hard of hearing", "Personas sordas o con pérdida auditiva", "AH",
     ["Sign language services for the deaf and hard of hearing"]),

    ("language", "spanish", "", "Spanish", "Español", "SP", ["Spanish"]),
    ("language", "asl", "", "American Sign Language", "Lengua de señas americana", "",
     ["Sign language services for the deaf and hard of hearing"]),
    ("language", "other-languages", "", "Other languages", "Otros idiomas", "",
     ["Other languages (excluding Spanish)", "Any Chinese Language", "Arabic", "Farsi", "French",
      "Hebrew", "Hindi", "Hmong", "Italian", "Japanese", "Korean", "Russian", "Tagalog",
      "Vietnamese", "American Indian or Alaska Native languages"]),
]


def seed(apps, schema_editor):
    Facet = apps.get_model("programs", "Facet")
    Term = apps.get_model("programs", "Term")
    facets = {}
    for position, (code, label_en, label_es) in enumerate(FACETS):
        facets[code], _ = Facet.objects.get_or_create(
            code=code, defaults={"label_en": label_en, "label_es": label_es, "position": position}
        )
    terms = {}
    for position, (facet, code, parent, label_en, label_es, samhsa_code, labels) in enumerate(TERMS):
        terms[code], _ = Term.objects.get_or_create(
            code=code,
            defaults={
                "facet": facets[facet],
                "parent": terms.get(parent),
                "label_en": label_en,
                "label_es": label_es,
                "samhsa_code": samhsa_code,
                "samhsa_labels": labels,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
