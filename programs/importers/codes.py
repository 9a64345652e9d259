"""SAMHSA's locator codes and what each means here: the table samhsa_codes.csv, read once.

The table is the one place to review (and change) what a code column of SAMHSA's full locator
export gives a listing. One row a code: `code` (the export's lower-case column name), SAMHSA's
`category` and `label` (the label as the locator API writes it where we have seen it, so the API
importer's `Term.samhsa_labels` and this table agree), `maps_to`, `target`, `reason` and `source`.

- `maps_to` is `term`: the listing gets the term(s) `target` names (our `Term.code`, several
  separated by spaces; several codes may give one term: methadone has mu, mm, mmw, dm and meth).
- `maps_to` is `ignored`: `reason` says why the code gives nothing (ownership, screening tests,
  smoking rules ...). No code sets a Program field ("attribute") today: none of SAMHSA's codes
  says something a Program field holds, so the table has no such rows and the loader refuses
  kinds it does not know.
- `f#` and `n#` stand for every other numbered language column (SAMHSA numbers languages).
- Rows of category `type_facility` are values of the `type_facility` column, not columns.

Where the meanings come from (`source`): SAMHSA's code list with categories and labels as Code
for Philly transcribed it (CodeForPhilly/MATchMapper,
database/dataloads/0717_sitecodes_samhsa_ftloc.csv), the filters and sample listings of
FindTreatment.gov's public source (CBHSQ/findtreatment, src/utils/filters.js and _DATA.js), and
the labels the locator API returns (../shared/data/samhsa/ca_residential_facilities.json).

Three meanings were wrong before this table: NXN is oral naltrexone (naloxone is NOE), BUM is
buprenorphine maintenance (with naloxone is BWN), NU is naltrexone in any form. And FEM/MALE say
a facility accepts women/men, while WN/MN say it has a program designed for them: the Women and
Men filters mean the latter; FEM and MALE give terms of the `gender-accepted` facet, which the
listing shows and the search form does not offer (migration 0015).

`flag()` reads a code cell in every form a spreadsheet writes it.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("samhsa_codes.csv")
KINDS = ("term", "ignored")
FACILITY_TYPE = "type_facility"  # the category of rows that are values of that column
_NUMBERED = re.compile(r"^([fn])\d+$")  # f17 (a language), n23 (an American Indian language)

YES = {"1", "y", "yes", "true", "x"}
NO = {"", "0", "n", "no", "false"}


@dataclass(frozen=True)
class Code:
    code: str
    category: str
    label: str
    maps_to: str  # one of KINDS
    targets: tuple[str, ...]  # term codes, for maps_to "term"
    reason: str
    source: str


@dataclass(frozen=True)
class CodeMap:
    columns: dict[str, Code]  # lower-case column name → its row
    facility_types: dict[str, Code]  # upper-case type_facility value → its row

    def column(self, name: str) -> Code | None:
        """The row for a code column; a numbered language column without its own row gets the
        `f#` or `n#` row."""
        name = name.strip().lower()
        if name in self.columns:
            return self.columns[name]
        if match := _NUMBERED.match(name):
            return self.columns.get(f"{match.group(1)}#")
        return None

    def facility_type(self, value: str) -> Code | None:
        return self.facility_types.get(value.strip().upper())

    def coverage(self) -> dict[str, Counter]:
        """How many code columns and type_facility values map to a term or are ignored."""
        return {
            "columns": Counter(row.maps_to for row in self.columns.values()),
            FACILITY_TYPE: Counter(row.maps_to for row in self.facility_types.values()),
        }


@cache
def load(path: Path = TABLE) -> CodeMap:
    """The table, checked: a row a code, a known kind, a target for a term, a reason for an
    ignored code, a label and a source for each. A broken table fails loudly, at the first use."""
    columns, facility_types = {}, {}
    with path.open(newline="", encoding="utf-8") as file:
        for line, raw in enumerate(csv.DictReader(file), 2):
            row = Code(
                code=raw["code"].strip(),
                category=raw["category"].strip(),
                label=raw["label"].strip(),
                maps_to=raw["maps_to"].strip(),
                targets=tuple(raw["target"].split()),
                reason=raw["reason"].strip(),
                source=raw["source"].strip(),
            )
            if problem := _problem(row):
                raise ValueError(f"{path.name} line {line} ({row.code}): {problem}")
            if row.category == FACILITY_TYPE:
                table, key = facility_types, row.code.upper()
            else:
                table, key = columns, row.code.lower()
            if key in table:
                raise ValueError(f"{path.name} line {line}: {row.code} is listed twice")
            table[key] = row
    return CodeMap(columns, facility_types)


def _problem(row: Code) -> str:
    if not row.code:
        return "no code"
    if row.maps_to not in KINDS:
        return f"maps_to must be one of {', '.join(KINDS)}, not {row.maps_to!r}"
    if row.maps_to == "term" and not row.targets:
        return "a term row needs a target"
    if row.maps_to == "ignored" and (row.targets or not row.reason):
        return "an ignored code needs a reason and no target"
    if not row.label or not row.source:
        return "every code needs SAMHSA's label and the source of its meaning"
    return ""


def flag(value) -> bool | None:
    """Whether a code cell says yes (True), no (False), or cannot be read (None).

    Yes: 1, 1.0, "1", "Y", "Yes", "TRUE", "X" (any case) and Excel's TRUE (a Python True from
    openpyxl, "True" once read as text). No: an empty cell, 0, "N", "No", "FALSE". Anything else
    is for the import to report, never a silent no.
    """
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    try:
        number = float(text)
    except ValueError:
        return None
    return {1.0: True, 0.0: False}.get(number)
