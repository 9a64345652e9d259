"""The taxonomy the SAMHSA code map needs (programs/importers/samhsa_codes.csv, issue 19 part 3).

- SAMHSA codes that were wrong: NXN is oral naltrexone (it was on Naloxone, whose code is NOE),
  BUM is buprenorphine maintenance (it was on Buprenorphine with naloxone, whose code is BWN), NU
  is naltrexone in any form (it was on the pill). Women and Men now hold WN and MN, SAMHSA's codes
  for a program designed for women or men, not FEM and MALE ("accepts women/men").
- "Female" and "Male" (FEM, MALE) become terms of a new facet, "Genders accepted": the listing
  shows them, and the search form does not offer them (finder.filters.FACET_PARAMS lists the
  facets it offers), so the Women filter finds programs for women, not co-ed ones. Their labels
  avoid the words "women" and "men", which the keyword search matches in labels.
- New terms a code clearly deserves: gambling treatment, DBT, military, parents.
- The locator API labels of every mapped code, so the API importer gives a facility the terms
  its locator row gives (tests/programs/importers/test_code_map.py checks the two agree).
- The accreditation terms (0011) get their SAMHSA codes.

Like 0002 it changes a value only while it is still the seeded one, so staff edits survive.
Programs keep the terms their last import gave them until the next import of their file.
"""

from django.db import migrations

# term code, SAMHSA code as seeded, SAMHSA code now
CODES = [
    ("naloxone", "NXN", "NOE"),
    ("naltrexone-oral", "NU", "NXN"),
    ("naltrexone", "", "NU"),
    ("buprenorphine-naloxone", "BUM", "BWN"),
    ("women", "FEM", "WN"),
    ("men", "MALE", "MN"),
    ("peer-support", "", "PEER"),
    ("aftercare", "", "ACC"),
    ("licensed-substance-use-agency", "", "STAG"),
    ("licensed-mental-health-agency", "", "STMH"),
    ("licensed-health-department", "", "STDH"),
    ("licensed-hospital-authority", "", "HLA"),
    ("accredited-joint-commission", "", "JC"),
    ("accredited-carf", "", "CARF"),
    ("accredited-ncqa", "", "NCQA"),
    ("accredited-coa", "", "COA"),
    ("accredited-hfap", "", "HFAP"),
]

# term code → SAMHSA labels it gains (added) or loses (removed)
LABELS_ADDED = {
    "young-adults": ["Transitional age young adults"],
    "lgbtq": ["Lesbian, gay, bisexual, transgender, or queer/questioning (LGBTQ) clients"],
    "justice-involved": ["Clients referred from the court/judicial system"],
    "trauma": ["Clients who have experienced trauma"],
    "telehealth": ["Computerized treatment/telemedicine"],
    "php": ["Partial hospitalization/day treatment"],
    "veterans": ["Serves Veterans only"],
    "other-languages": [
        "Creole", "German", "Greek", "Polish", "Portuguese",
        "Hopi", "Lakota", "Navajo", "Ojibwa", "Yupik",
    ],
    "buprenorphine": ["Buprenorphine maintenance for predetermined time"],
    "methadone": ["Methadone maintenance for predetermined time"],
    "detox": ["Lofexidine or Clonidine detoxification"],
}  # fmt: skip
LABELS_REMOVED = {"women": ["Female"], "men": ["Male"]}

FACET = ("gender-accepted", "Genders accepted", "Géneros que acepta")
# facet, code, English, Spanish, SAMHSA code, SAMHSA labels
TERMS = [
    ("gender-accepted", "accepts-women", "Female clients", "Clientes de sexo femenino", "FEM",
     ["Female"]),
    ("gender-accepted", "accepts-men", "Male clients", "Clientes de sexo masculino", "MALE",
     ["Male"]),
    ("care-type", "gambling", "Treatment for gambling", "Tratamiento de la ludopatía", "TGD",
     ["Treatment for gambling disorder"]),
    ("therapy", "dbt", "Dialectical behavior therapy (DBT)", "Terapia dialéctica conductual (TDC)",
     "DBT", ["Dialectical behavior therapy"]),
    ("population", "military", "Active-duty military and military families",
     "Militares en servicio activo y sus familias", "ADM",
     ["Active duty military", "Members of military families"]),
    ("population", "parents", "Parents (child care or beds for children)",
     "Padres y madres (cuidado infantil o camas para los hijos)", "CCC",
     ["Child care for clients' children", "Residential beds for clients' children"]),
]  # fmt: skip


def forward(apps, schema_editor):
    Facet = apps.get_model("programs", "Facet")
    Term = apps.get_model("programs", "Term")
    for code, old, new in CODES:
        Term.objects.filter(code=code, samhsa_code=old).update(samhsa_code=new)
    _relabel(Term, LABELS_ADDED, LABELS_REMOVED)
    code, label_en, label_es = FACET
    if not Facet.objects.filter(code=code).exists():
        last = Facet.objects.order_by("-position").first()
        Facet.objects.create(
            code=code,
            label_en=label_en,
            label_es=label_es,
            position=last.position + 1 if last else 0,
        )
    for facet_code, code, label_en, label_es, samhsa_code, labels in TERMS:
        facet = Facet.objects.get(code=facet_code)
        last = Term.objects.filter(facet=facet).order_by("-position").first()
        Term.objects.get_or_create(
            code=code,
            defaults={
                "facet": facet,
                "label_en": label_en,
                "label_es": label_es,
                "samhsa_code": samhsa_code,
                "samhsa_labels": labels,
                "position": last.position + 1 if last else 0,
            },
        )


def backward(apps, schema_editor):
    Facet = apps.get_model("programs", "Facet")
    Term = apps.get_model("programs", "Term")
    for _facet, code, *_ in TERMS:
        Term.objects.filter(code=code, programs__isnull=True, children__isnull=True).delete()
    Facet.objects.filter(code=FACET[0], terms__isnull=True).delete()
    _relabel(Term, LABELS_REMOVED, LABELS_ADDED)
    for code, old, new in CODES:
        Term.objects.filter(code=code, samhsa_code=new).update(samhsa_code=old)


def _relabel(Term, added: dict, removed: dict) -> None:
    for code in set(added) | set(removed):
        term = Term.objects.filter(code=code).first()
        if term is None:
            continue
        gone = {label.lower() for label in removed.get(code, [])}
        labels = [label for label in term.samhsa_labels or [] if label.lower() not in gone]
        have = {label.lower() for label in labels}
        labels += [label for label in added.get(code, []) if label.lower() not in have]
        if labels != term.samhsa_labels:
            term.samhsa_labels = labels
            term.save(update_fields=["samhsa_labels"])


class Migration(migrations.Migration):
    dependencies = [("programs", "0014_search_knn_term_ids")]

    operations = [migrations.RunPython(forward, backward)]
