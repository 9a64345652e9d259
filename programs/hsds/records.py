"""Our directory as Open Referral HSDS 3.0 records: one service (and one location) per program.

Flat records follow the spec's tabular form (one dict per CSV row, empty values left out); the
nested JSON forms (service, service_at_location, organization) are built from the same records, so
the CSV package and the JSON agree. Field meanings: programs/hsds_spec/ (the official schemas).

What a listing says that HSDS has a field for goes in that field: hours are `schedule`
descriptions (ours are free text), "last verified" is the service's `assured_date`, the
organization's website its `website`. What HSDS has no field for (availability, its wait and
date, beds and their date, a position that is only the ZIP code's centre) goes in `attribute`s,
the spec's own way to say more about a record: a term of a second taxonomy of ours,
"treatment-finder-listing" (LISTING_FACTS), with the fact as the attribute's `value`. Attributes
are in the spec, so both forms carry them and the official schemas still validate every record;
`x-` fields would not fit the CSV package's fixed columns. The export writes them
(`facts=True`); the HSDS API serves the records without them, unchanged.
"""

import uuid
from collections.abc import Iterable
from functools import lru_cache

from programs.models import Organization, Program, Term

# Fixed forever: partners key their copies on the ids derived from it.
NAMESPACE = uuid.UUID("3d0c5f0e-7a43-5f4e-9a8b-2f6b1c9e4d11")
TAXONOMY_NAME = "treatment-finder"
TAXONOMY_DESCRIPTION = (
    "The treatment-finder taxonomy: what an addiction treatment program offers (type and level of "
    "care, medications, therapies, payment, who it serves, languages). Codes are stable."
)
APPROXIMATE = "Approximate position: the centre of the ZIP code, not the street address."
# ISO 639 codes of the language terms a program can offer; "other-languages" names none.
LANGUAGE_CODES = {"spanish": ("Spanish", "es"), "asl": ("American Sign Language", "ase")}
LISTING_TAXONOMY_NAME = "treatment-finder-listing"
LISTING_TAXONOMY_DESCRIPTION = (
    "Facts about a treatment-finder listing that HSDS has no field for; each attribute's value "
    "holds the fact. Codes are stable."
)
# code → (the Program field it carries, what its value means). location-approximate is an
# attribute of the location; the others of the service.
LISTING_FACTS = {
    "accepting-new-patients": (
        "accepting",
        "Taking new patients: yes, waitlist, no, or unknown (call to ask).",
    ),
    "wait-weeks": ("wait_weeks", "On a waitlist: about how many weeks to a first appointment."),
    "availability-updated": ("accepting_updated", "The day the availability was given."),
    "beds-available": ("beds_available", "Open beds (residential programs) on the day given."),
    "beds-updated": ("beds_updated", "The day the open beds were counted."),
    "location-approximate": (
        "location_approximate",
        "true: the location's coordinates are its ZIP code's centre, not the street address.",
    ),
}


@lru_cache(maxsize=100_000)  # a service's id is asked for by each of its records
def hsds_id(kind: str, key) -> str:
    """A stable UUID for one record: the same program exports the same ids every time."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{key}"))


def taxonomy_id() -> str:
    return hsds_id("taxonomy", TAXONOMY_NAME)


def term_id(term: Term) -> str:
    # Keyed on the code, not the pk: every deployment seeded with our taxonomy shares term ids.
    return hsds_id("taxonomy_term", term.code)


# The ids the API looks records up by are stored on the rows (see the models); the ids of
# records never looked up alone (location, address, phone, ...) derive from the program's pk.


def service_id(program: Program) -> str:
    return str(program.hsds_service_id)


def service_at_location_id(program: Program) -> str:
    return str(program.hsds_service_at_location_id)


def organization_id(organization: Organization) -> str:
    return str(organization.hsds_id)


def program_organization_id(program: Program) -> str:
    """The id of the program's organization, or of the record standing in for one."""
    if program.organization is None:
        return str(program.hsds_organization_id)
    return organization_id(program.organization)


def _compact(record: dict) -> dict:
    # HSDS fields are typed (a string is never null): leave out what we do not know.
    return {key: value for key, value in record.items() if value not in (None, "", [])}


# -- flat records (the tabular form) -------------------------------------------------------------


def organization_record(organization: Organization) -> dict:
    # description is required by the spec and we keep none: an empty one says so honestly.
    return _compact(
        {
            "id": organization_id(organization),
            "name": organization.name,
            "website": organization.website,
        }
    ) | {"description": ""}


def stand_in_organization_record(program: Program) -> dict:
    return {"id": program_organization_id(program), "name": program.name, "description": ""}


def program_organization_record(program: Program) -> dict:
    if program.organization is None:
        return stand_in_organization_record(program)
    return organization_record(program.organization)


def service_record(program: Program) -> dict:
    return _compact(
        {
            "id": service_id(program),
            "organization_id": program_organization_id(program),
            "name": program.name,
            "description": program.description,
            "url": program.website,
            # Only published programs are exported: each is an active service.
            "status": "active",
            "assured_date": program.last_verified.isoformat() if program.last_verified else None,
            "last_modified": program.updated.isoformat(),
        }
    )


def location_record(program: Program) -> dict:
    return _compact(
        {
            "id": hsds_id("location", program.pk),
            "location_type": "physical",
            "organization_id": program_organization_id(program),
            "name": program.name,
            "description": APPROXIMATE if program.location_approximate else None,
            "latitude": program.latitude,
            "longitude": program.longitude,
        }
    )


def address_record(program: Program) -> dict:
    required = {
        "id": hsds_id("address", program.pk),
        "location_id": hsds_id("location", program.pk),
        "address_1": program.street,
        "city": program.city,
        "state_province": program.state,
        "postal_code": program.zip_code,
        "country": "US",
        "address_type": "physical",
    }
    return required | _compact({"address_2": program.street2})


def service_at_location_record(program: Program) -> dict:
    return {
        "id": service_at_location_id(program),
        "service_id": service_id(program),
        "location_id": hsds_id("location", program.pk),
    }


def phone_records(program: Program) -> list[dict]:
    phones = []
    for kind, number, extension, description in [
        ("main", program.phone, program.phone_extension, "Main"),
        ("intake", program.intake_phone, "", "Intake"),
    ]:
        if number:
            record = {
                "id": hsds_id(f"phone-{kind}", program.pk),
                "service_id": service_id(program),
                "number": number.as_e164,
                "type": "voice",
                "description": description,
            }
            # HSDS types the extension as a number; ours is digits kept as text.
            if extension.isdigit():
                record["extension"] = int(extension)
            phones.append(record)
    return phones


def schedule_records(program: Program) -> list[dict]:
    # Our hours are free text; HSDS keeps such text in description rather than structured times.
    if not program.hours.strip():
        return []
    return [
        {
            "id": hsds_id("schedule", program.pk),
            "service_id": service_id(program),
            "description": program.hours.strip(),
        }
    ]


def program_terms(program: Program) -> list[Term]:
    """The program's terms in the taxonomy's order, as a page loaded them or read now."""
    return [term for terms in program.terms_by_facet().values() for term in terms]


def language_records(program: Program) -> list[dict]:
    return [
        {
            "id": hsds_id("language", f"{program.pk}/{term.code}"),
            "service_id": service_id(program),
            "name": LANGUAGE_CODES[term.code][0],
            "code": LANGUAGE_CODES[term.code][1],
        }
        for term in program_terms(program)
        if term.code in LANGUAGE_CODES
    ]


def attribute_records(program: Program) -> list[dict]:
    """One attribute per term; link_type says which facet (question) the term answers."""
    return [
        {
            "id": hsds_id("attribute", f"{program.pk}/{term.code}"),
            "link_id": service_id(program),
            "link_type": term.facet.code,
            "link_entity": "service",
            "taxonomy_term_id": term_id(term),
        }
        for term in program_terms(program)
    ]


def _fact_value(value) -> str | None:
    """An attribute's value is text: a day as YYYY-MM-DD, a flag as "true"; None if unknown."""
    if value is None or value is False or value == "":
        return None
    if value is True:
        return "true"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def listing_attribute_records(program: Program) -> list[dict]:
    """The listing facts HSDS has no field for, as attributes of our listing taxonomy."""
    location = hsds_id("location", program.pk)
    attributes = []
    for code, (field, _meaning) in LISTING_FACTS.items():
        value = _fact_value(getattr(program, field))
        if value is None:
            continue
        on_location = code == "location-approximate"
        attributes.append(
            {
                "id": hsds_id("attribute", f"{program.pk}/{LISTING_TAXONOMY_NAME}/{code}"),
                "link_id": location if on_location else service_id(program),
                "link_type": "listing",
                "link_entity": "location" if on_location else "service",
                "taxonomy_term_id": listing_term_id(code),
                "value": value,
            }
        )
    return attributes


def listing_taxonomy_id() -> str:
    return hsds_id("taxonomy", LISTING_TAXONOMY_NAME)


def listing_term_id(code: str) -> str:
    return hsds_id("taxonomy_term", f"{LISTING_TAXONOMY_NAME}/{code}")


def listing_taxonomy_record() -> dict:
    return {
        "id": listing_taxonomy_id(),
        "name": LISTING_TAXONOMY_NAME,
        "description": LISTING_TAXONOMY_DESCRIPTION,
    }


def listing_term_records() -> list[dict]:
    return [
        {
            "id": listing_term_id(code),
            "code": code,
            "name": code.replace("-", " ").capitalize(),
            "description": meaning,
            "taxonomy": LISTING_TAXONOMY_NAME,
            "language": "en",
            "taxonomy_id": listing_taxonomy_id(),
        }
        for code, (_field, meaning) in LISTING_FACTS.items()
    ]


def taxonomy_record() -> dict:
    return {"id": taxonomy_id(), "name": TAXONOMY_NAME, "description": TAXONOMY_DESCRIPTION}


def taxonomy_term_record(term: Term) -> dict:
    """Needs term.facet and term.parent loaded (select_related)."""
    parent_code = term.parent.code if term.parent_id else None
    return dict(_term_record(term.code, term.label_en, term.facet.label_en, parent_code))


@lru_cache(maxsize=1024)  # an export asks for each term once per program offering it
def _term_record(code: str, name: str, facet_name: str, parent_code: str | None) -> dict:
    return _compact(
        {
            "id": hsds_id("taxonomy_term", code),
            "code": code,
            "name": name,
            "description": f"{facet_name}: {name}",
            "parent_id": hsds_id("taxonomy_term", parent_code) if parent_code else None,
            "taxonomy": TAXONOMY_NAME,
            "language": "en",
            "taxonomy_id": taxonomy_id(),
        }
    )


# -- nested records (the JSON forms) -------------------------------------------------------------


def full_location(program: Program, *, facts: bool = False) -> dict:
    """The location with its address; with `facts`, its listing attributes (the export's)."""
    location = location_record(program) | {"addresses": [address_record(program)]}
    if facts and (attributes := _listing_attributes(program, "location")):
        location["attributes"] = attributes
    return location


def full_service(program: Program, *, facts: bool = False) -> dict:
    """A service with everything about it, as /services/{id} and the service package give it.

    With `facts` (the export), also the listing facts HSDS has no field for (LISTING_FACTS).
    """
    return service_record(program) | _compact(
        {
            "phones": phone_records(program),
            "schedules": schedule_records(program),
            "service_at_locations": [
                service_at_location_record(program)
                | {"location": full_location(program, facts=facts)}
            ],
            "languages": language_records(program),
            "organization": program_organization_record(program),
            "attributes": [
                attribute | {"taxonomy_term": full_taxonomy_term(term)}
                for attribute, term in zip(
                    attribute_records(program), program_terms(program), strict=True
                )
            ]
            + (_listing_attributes(program, "service") if facts else []),
        }
    )


def _listing_attributes(program: Program, entity: str) -> list[dict]:
    """The nested form of a listing's fact attributes on one entity, each with its term."""
    terms = {term["id"]: term for term in listing_term_records()}
    taxonomy = listing_taxonomy_record()
    return [
        attribute
        | {"taxonomy_term": terms[attribute["taxonomy_term_id"]] | {"taxonomy_detail": taxonomy}}
        for attribute in listing_attribute_records(program)
        if attribute["link_entity"] == entity
    ]


def full_service_at_location(program: Program, *, facts: bool = False) -> dict:
    return service_at_location_record(program) | {
        "location": full_location(program, facts=facts),
        "service": full_service(program, facts=facts),
    }


def listed_service_at_location(program: Program) -> dict:
    """The one-to-one form of /service_at_locations: the record, its location and service."""
    return service_at_location_record(program) | {
        "location": location_record(program),
        "service": service_record(program),
    }


def full_organization(
    organization: Organization, programs: Iterable[Program], *, facts: bool = False
) -> dict:
    programs = list(programs)
    return organization_record(organization) | _compact(
        {
            "locations": [full_location(program, facts=facts) for program in programs],
            "services": [full_service(program, facts=facts) for program in programs],
        }
    )


def full_stand_in_organization(program: Program, *, facts: bool = False) -> dict:
    return stand_in_organization_record(program) | {
        "locations": [full_location(program, facts=facts)],
        "services": [full_service(program, facts=facts)],
    }


def full_taxonomy_term(term: Term) -> dict:
    return taxonomy_term_record(term) | {"taxonomy_detail": taxonomy_record()}
