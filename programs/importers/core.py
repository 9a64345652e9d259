"""What every format shares: reading bytes and text, and turning a source row into clean values.

A format module only translates its source into `Row`s (one per listing, with the line it came
from); `clean()` here checks and normalizes them, and `programs.importers.sync` upserts them.
"""

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q

from programs.models import Organization, Term
from programs.places import Point, in_us, zip_centroid
from programs.states import STATE_NAMES

MAX_FIELD = 200  # longer than any name, street or city column of ours
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # what errors="surrogateescape" leaves
_ZIP = re.compile(r"^(\d{3,5})(?:-?(\d{4}))?$")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*(\d{1,6})\s*$", re.IGNORECASE)


class ImportFileError(ValueError):
    """The file as a whole cannot be read as this format; the message says why, for staff."""


@dataclass
class Row:
    """One listing as a format module read it; text as in the source, not yet checked."""

    line: int
    name: str = ""
    external_id: str = ""  # the source's own id, or derived_id() of identifying columns
    id_derived: bool = False
    organization: str = ""
    description: str = ""
    street: str = ""
    street2: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""
    latitude: object = None
    longitude: object = None
    phone: str = ""
    phone_extension: str = ""
    intake_phone: str = ""
    website: str = ""
    organization_website: str = ""
    # Facts only some formats give (HSDS: hours, availability, beds, last verified), already as
    # Program stores them (dates as YYYY-MM-DD); sync writes only those a row has.
    facts: dict = field(default_factory=dict)
    terms: set[str] = field(default_factory=set)  # Term.code
    unmapped: list[str] = field(default_factory=list)  # source codes/labels no term knows
    problem: str = ""  # set when the reader already knows the row is unusable


@dataclass
class Rejected:
    line: int
    reason: str
    name: str = ""


# --- Reading ---


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Undecodable bytes become lone surrogates, rejected per row.

    Without an encoding: UTF-8 if the bytes are UTF-8, else Windows-1252 (what SAMHSA's
    spreadsheets are saved as), else UTF-8 with the bad bytes marked.
    """
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileError(f"Unknown encoding {encoding!r}.") from None
        return data.decode(codec, errors="surrogateescape"), codec
    for codec in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="surrogateescape"), "utf-8"


def has_undecodable(values) -> bool:
    """Whether decode() marked bytes it could not decode in any of these values."""
    return any(isinstance(v, str) and not v.isascii() and _UNDECODABLE.search(v) for v in values)


def csv_rows(text: str, required=(), what="") -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row keyed by lower-case header) for each CSV data row.

    A header without the `required` columns means the file is not `what` it was said to be.
    """
    if "\x00" in text:
        raise ImportFileError("This is not a text CSV file (it contains NUL bytes).")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except csv.Error as error:
        raise ImportFileError(f"Not a readable CSV file: {error}.") from None
    check_columns(header, required, what)
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            yield reader.line_num, dict(zip(header, values, strict=False))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num}: not readable as CSV ({error}).") from None


def check_columns(header, required, what: str) -> None:
    if missing := set(required) - set(header):
        raise ImportFileError(f"Not {what}: no {', '.join(sorted(missing))} column.")


def getter(mapping) -> Callable[[str], str]:
    """get(key): the mapping's value at key as stripped text, "" when missing or null."""
    return lambda key: str((mapping or {}).get(key) or "").strip()


def derived_id(*parts: str) -> str:
    """A stable id for a source without ids: a hash of the normalized identifying columns.

    Lower-cased, punctuation and runs of spaces removed, so re-typed capitalization or a
    trailing period in a newer file still finds the same listing.
    """
    normalized = "|".join(" ".join(re.sub(r"[^\w\s]", " ", p.lower()).split()) for p in parts)
    return hashlib.sha256(normalized.encode()).hexdigest()[:20]


# --- The taxonomy as importers look it up ---


@dataclass
class TermCodes:
    """Our term codes by SAMHSA code and label: what an import maps a row's services with."""

    by_code: dict[str, str]  # our Term.code → itself (known codes)
    by_samhsa_code: dict[str, str]  # "RES" → "residential"
    by_samhsa_label: dict[str, set[str]]  # "medicaid" (lower-case label) → {"medicaid"}

    @classmethod
    def load(cls) -> "TermCodes":
        by_code, by_samhsa_code, by_label = {}, {}, {}
        for code, samhsa_code, labels in Term.objects.filter(~Q(code="")).values_list(
            "code", "samhsa_code", "samhsa_labels"
        ):
            by_code[code] = code
            if samhsa_code:
                by_samhsa_code[samhsa_code.upper()] = code
            for label in labels or []:
                by_label.setdefault(label.strip().lower(), set()).add(code)
        return cls(by_code, by_samhsa_code, by_label)

    def labels_to_terms(self, text: str, row: Row) -> None:
        """Add the terms of SAMHSA labels joined by "; "; note the labels no term knows."""
        for label in filter(None, (part.strip() for part in text.split(";"))):
            codes = self.by_samhsa_label.get(label.lower())
            if codes:
                row.terms |= codes
            else:
                row.unmapped.append(label)


# --- Cleaning: the checks and quirk fixes every format gets ---


def clean(row: Row) -> tuple[dict, str]:
    """(values as Program stores them, "") or ({}, reason the row is rejected)."""
    fields = [row.name, row.organization, row.street, row.street2, row.city, row.state]
    if row.problem:
        return {}, row.problem
    if has_undecodable([*fields, row.zip_code, row.description, row.website, row.phone]):
        return {}, "undecodable bytes (wrong encoding? try --encoding cp1252)"
    name = _text(row.name)
    if not name:
        return {}, "missing name"
    if any(len(_text(v)) > MAX_FIELD for v in fields):
        return {}, f"a name, street or city longer than {MAX_FIELD} characters"
    state = _text(row.state).upper()
    if not state:
        return {}, "missing state"
    if state not in STATE_NAMES:
        return {}, f"unknown state {row.state!r}"
    city = _text(row.city)
    if not city:
        return {}, "missing city"
    zip_code, problem = _zip(row.zip_code)
    if problem:
        return {}, problem
    point, approximate, problem = _point(row.latitude, row.longitude, zip_code)
    if problem:
        return {}, problem
    phone, extension = _phone(row.phone)
    intake, _ = _phone(row.intake_phone)
    return {
        "name": name,
        "organization": _text(row.organization) or name,
        "description": (row.description or "").strip(),
        "street": _text(row.street),
        "street2": _text(row.street2),
        "city": city,
        "state": state,
        "zip_code": zip_code,
        "latitude": point[0],
        "longitude": point[1],
        "location_approximate": approximate,
        "phone": phone,
        "phone_extension": _text(row.phone_extension) or extension,
        "intake_phone": intake,
        "website": _website(row.website),
        "terms": sorted(row.terms),
        **_facts(row),
    }, ""


def _facts(row: Row) -> dict:
    """The row's optional facts, with its organization's website when it gives a usable one."""
    website = _website(row.organization_website)
    if len(website) > Organization._meta.get_field("website").max_length:
        website = ""  # the organization's column is shorter than a listing's
    return {**row.facts, **({"organization_website": website} if website else {})}


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _zip(value) -> tuple[str, str]:
    """ "02134", "02134-1234"; fixes the leading zeros spreadsheets drop (Massachusetts: 2134)."""
    text = _text(value).replace(" ", "")
    if text.endswith(".0"):  # a ZIP that went through a float in a spreadsheet
        text = text[:-2]
    match = _ZIP.match(text)
    if not match:
        return "", f"bad ZIP code {value!r}" if text else "missing ZIP code"
    five = match.group(1).zfill(5)
    return (f"{five}-{match.group(2)}" if match.group(2) else five), ""


def _point(latitude, longitude, zip_code: str) -> tuple[tuple[float, float], bool, str]:
    """((lat, lon), approximate?, problem); a row without coordinates gets its ZIP's centre."""
    if _text(latitude) == "" or _text(longitude) == "":
        centre = zip_centroid(zip_code)
        if centre is None:
            return (0, 0), False, f"no coordinates, and ZIP code {zip_code} is not known"
        return (round(centre.latitude, 6), round(centre.longitude, 6)), True, ""
    try:
        lat, lon = round(float(latitude), 7), round(float(longitude), 7)
    except (TypeError, ValueError):
        return (0, 0), False, f"coordinates are not numbers ({latitude!r}, {longitude!r})"
    if not in_us(Point(lat, lon)):  # a swapped sign or a 0,0 stands out
        return (0, 0), False, f"coordinates outside the US ({lat}, {lon})"
    return (lat, lon), False, ""


def _phone(value) -> tuple[str, str]:
    """(E.164 or "", extension) from "760-922-8625 x1699"; an invalid number is left out."""
    text = _text(value).strip('"')
    extension = ""
    if match := _EXTENSION.search(text):
        extension, text = match.group(1), text[: match.start()]
    if not text:
        return "", extension
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return "", ""
    if not phonenumbers.is_valid_number(number):
        return "", ""
    extension = extension or (number.extension or "")
    number.extension = None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), extension


def _website(value) -> str:
    """A usable URL or ""; a bare "http://" or "n/a" says nothing. Bare domains get https."""
    text = _text(value)
    if not text or text.lower().rstrip("/") in {"http:", "https:", "n/a", "none"}:
        return ""
    if "://" not in text:
        text = f"https://{text}"
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        return ""
    return text[:300]
