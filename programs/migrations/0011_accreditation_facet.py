"""Seed the facet "Licensing and accreditation" (issue 19, part 4): who licensed or accredited a
program, the quality signals SAMHSA's files give that we can show honestly (no ratings).

Broad terms over narrower ones, so the filter "Accredited" finds a program accredited by any
body. The SAMHSA labels are the locator API's, as its JSON spells them (seen in
shared/data/samhsa/ca_residential_facilities.json; HFAP's from the N-SUMHSS questionnaire);
SAMHSA codes are left blank: the code map (programs/importers) owns them. Like 0002, this only
creates what is missing, so staff edits survive; backwards it removes what it made, unused.
"""

from django.db import migrations

FACET = ("accreditation", "Licensing and accreditation", "Licencias y acreditación")

# code, parent code, English, Spanish, SAMHSA labels
TERMS = [
    ("state-licensed", "", "Licensed by the state", "Con licencia del estado", []),
    ("licensed-substance-use-agency", "state-licensed", "State substance use agency",
     "Agencia estatal de tratamiento del consumo de sustancias",
     ["State Substance use treatment agency"]),
    ("licensed-mental-health-agency", "state-licensed", "State mental health agency",
     "Agencia estatal de salud mental", ["State mental health department"]),
    ("licensed-health-department", "state-licensed", "State health department",
     "Departamento de salud del estado", ["State department of health"]),
    ("licensed-hospital-authority", "state-licensed", "Hospital licensing authority",
     "Autoridad de licencias de hospitales", ["Hospital licensing authority"]),
    ("licensed-other-state-agency", "state-licensed", "Another state agency",
     "Otra agencia estatal", []),
    ("accredited", "", "Accredited", "Acreditado", []),
    ("accredited-joint-commission", "accredited", "The Joint Commission", "The Joint Commission",
     ["The Joint Commission"]),
    ("accredited-carf", "accredited", "CARF", "CARF",
     ["Commission on Accreditation of Rehabilitation Facilities (CARF)"]),
    ("accredited-ncqa", "accredited", "NCQA", "NCQA",
     ["National Committee for Quality Assurance (NCQA)"]),
    ("accredited-coa", "accredited", "COA", "COA", ["Council on Accreditation (COA)"]),
    ("accredited-hfap", "accredited", "HFAP", "HFAP",
     ["Healthcare Facilities Accreditation Program (HFAP)"]),
    ("accredited-other", "accredited", "Another accrediting body",
     "Otro organismo de acreditación", []),
]  # fmt: skip


def seed(apps, schema_editor):
    Facet = apps.get_model("programs", "Facet")
    Term = apps.get_model("programs", "Term")
    code, label_en, label_es = FACET
    last = Facet.objects.exclude(code=code).order_by("-position").first()
    facet, _ = Facet.objects.get_or_create(
        code=code,
        defaults={
            "label_en": label_en,
            "label_es": label_es,
            "position": last.position + 1 if last else 0,  # after the facets there are
        },
    )
    terms = {}
    for position, (code, parent, label_en, label_es, labels) in enumerate(TERMS):
        terms[code], _ = Term.objects.get_or_create(
            code=code,
            defaults={
                "facet": facet,
                "parent": terms.get(parent),
                "label_en": label_en,
                "label_es": label_es,
                "samhsa_labels": labels,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    """Remove the terms no program uses (narrower first), then the facet if it is empty."""
    Facet = apps.get_model("programs", "Facet")
    Term = apps.get_model("programs", "Term")
    for code, *_ in reversed(TERMS):
        Term.objects.filter(code=code, programs__isnull=True, children__isnull=True).delete()
    Facet.objects.filter(code=FACET[0], terms__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0010_hsds_ids")]

    operations = [migrations.RunPython(seed, unseed)]
