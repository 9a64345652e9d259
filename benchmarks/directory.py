"""Synthetic national directories and the fixed search mix of `manage.py bench_search`.

Programs sit where real facilities are (SAMHSA's files in shared/data/samhsa, or the demo's
bundled copies), jittered by a few miles, with term mixes like the real directory's: most
outpatient, fewer residential, about 10% opioid treatment programs, most taking cash and
Medicaid. Everything is drawn from a seeded generator, so a size and a seed give one directory.
"""

import csv
import io
import json
import random
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from programs.models import Program, Term

SOURCE = "bench"
SEED = 6
# Real facility coordinates: the shared copies if present, else the demo's bundled files.
COORDINATE_FILES = [
    Path(settings.BASE_DIR).parent.parent / "shared/data/samhsa/facilities_12_states.csv",
    Path(settings.BASE_DIR).parent.parent / "shared/data/samhsa/opioid_treatment_programs.csv",
    Path("/work/shared/data/samhsa/facilities_12_states.csv"),
    Path("/work/shared/data/samhsa/opioid_treatment_programs.csv"),
]
JITTER_DEGREES = 0.04  # standard deviation, about 3 miles

# (probability, term code): each program offers each term independently with its probability.
# A broad term (Residential) is found through its narrower ones (Short-term residential).
TERM_MIX = [
    (0.92, "substance-use"),
    (0.45, "co-occurring"),
    (0.30, "mental-health"),
    (0.04, "sober-living"),
    (0.70, "outpatient-regular"),
    (0.35, "iop"),
    (0.08, "php"),
    (0.15, "residential-short"),
    (0.10, "residential-long"),
    (0.10, "detox-outpatient"),
    (0.05, "detox-residential"),
    (0.03, "detox-hospital"),
    (0.03, "hospital-inpatient"),
    (0.30, "telehealth"),
    (0.10, "otp"),
    (0.35, "buprenorphine-naloxone"),
    (0.20, "naltrexone-injectable"),
    (0.30, "naloxone"),
    (0.85, "cash"),
    (0.60, "medicaid"),
    (0.60, "private-insurance"),
    (0.35, "medicare"),
    (0.35, "sliding-fee"),
    (0.08, "free"),
    (0.15, "military-insurance"),
    (0.20, "adolescents"),
    (0.10, "pregnant"),
    (0.15, "veterans"),
    (0.35, "spanish"),
    (0.40, "peer-support"),
]
STATUSES = [("published", 0.95), ("draft", 0.03), ("archived", 0.02)]
ACCEPTING = [("yes", 0.30), ("waitlist", 0.10), ("no", 0.05), ("unknown", 0.55)]
WORDS = ["Harbor", "New Day", "Pathways", "Bridge", "Summit", "Hope", "River", "Cedar", "Beacon"]
KINDS = ["Recovery Center", "Treatment Services", "Counseling", "Health", "Clinic"]

# The mix: (kind, query parameters). Urban ZIPs have many programs nearby; rural ones few.
URBAN_ZIPS = ["94110", "10027", "60614", "33130", "19104", "43215", "77004", "98122", "80205"]
RURAL_ZIPS = ["85541", "81230", "13820", "32344", "79830"]
ONE_FACET = [("level", "residential"), ("payment", "medicaid"), ("medication", "buprenorphine")]
THREE_FACETS = [
    {"level": "outpatient", "payment": "medicaid", "medication": "buprenorphine"},
    {"level": "residential", "payment": "private-insurance", "care_type": "co-occurring"},
    {"level": "outpatient", "payment": "medicare", "language": "spanish"},
]
TWO_FACETS = [
    {"level": "detox", "payment": "medicaid"},
    {"level": "residential", "population": "veterans"},
    {"medication": "methadone", "payment": "cash"},
]
# Words people type in the keyword box: a service's word, a synonym, Spanish, part of a name.
KEYWORDS = ["women", "teen", "suboxone", "mujeres", "Harbor Clinic", "veterans residential"]
SEARCH_KINDS = [
    "zip",
    "zip+r25+facet",
    "zip+3facets",
    "rural+r100",
    "nolocation+2facets",
    "keyword",
    "zip+keyword",
    "name",
    "zip+facet+counts",
]


def program_names(limit: int = 1000, seed: int = SEED) -> list[str]:
    """Names of published programs among the first `limit` of every directory of this seed
    (generate() draws program i the same whatever n is)."""
    return [
        values["name"] for values, _ in generate(limit, seed) if values["status"] == "published"
    ]


def search_mix(seed: int = SEED, per_kind: int = 6) -> list[tuple[str, dict]]:
    """The fixed, seeded mix of searches: (kind, query parameters), per_kind of each kind."""
    rng = random.Random(seed)
    # The keyword kinds draw from their own generator, so the older kinds' searches (and their
    # figures in docs/performance.md) stay the same.
    more = random.Random(seed + 1)
    names = program_names(seed=seed)
    mix = []
    for _ in range(per_kind):
        mix.append(("zip", {"location": rng.choice(URBAN_ZIPS)}))
        facet, code = rng.choice(ONE_FACET)
        mix.append(
            ("zip+r25+facet", {"location": rng.choice(URBAN_ZIPS), "radius": 25, facet: code})
        )
        mix.append(
            ("zip+3facets", {"location": rng.choice(URBAN_ZIPS), **rng.choice(THREE_FACETS)})
        )
        mix.append(("rural+r100", {"location": rng.choice(RURAL_ZIPS), "radius": 100}))
        mix.append(("nolocation+2facets", dict(rng.choice(TWO_FACETS))))
        mix.append(("keyword", {"q": more.choice(KEYWORDS)}))
        mix.append(
            ("zip+keyword", {"location": more.choice(URBAN_ZIPS), "q": more.choice(KEYWORDS)})
        )
        mix.append(("name", {"q": more.choice(names)}))
        # The counts beside the filters: the page always shows them; the API on request.
        facet, code = more.choice(ONE_FACET)
        mix.append(
            (
                "zip+facet+counts",
                {"location": more.choice(URBAN_ZIPS), facet: code, "facets": "true"},
            )
        )
    return mix


def search_url(params: dict, api: bool = False) -> str:
    return ("/api/v1/programs/?" if api else "/?") + urlencode(params)


def real_places() -> list[tuple[float, float, str, str, str]]:
    """(latitude, longitude, city, ST, ZIP) of every real facility in the coordinate files."""
    places, seen = [], set()
    for path in COORDINATE_FILES:
        if not path.exists() or path.name in seen:
            continue
        seen.add(path.name)
        with path.open(encoding="cp1252", newline="") as file:
            for row in csv.DictReader(file):
                row = {key.lower(): value for key, value in row.items()}
                try:
                    lat, lon = float(row["latitude"]), float(row["longitude"])
                except (KeyError, TypeError, ValueError):
                    continue
                zip_code = (row.get("zip") or row.get("postal") or "")[:5].zfill(5)
                places.append((lat, lon, row["city"].title(), row["state"], zip_code))
    if not places:
        raise FileNotFoundError(
            "No SAMHSA facility file found: " + ", ".join(map(str, COORDINATE_FILES))
        )
    return places


def _weighted(rng: random.Random, choices) -> str:
    roll, total = rng.random(), 0.0
    for value, weight in choices:
        total += weight
        if roll < total:
            return value
    return choices[-1][0]


def generate(n: int, seed: int = SEED):
    """Yield (program field values, [term codes]) for n synthetic programs, deterministically."""
    rng = random.Random(seed)
    places = real_places()
    today = date(2026, 11, 1)
    for i in range(1, n + 1):
        lat, lon, city, state, zip_code = rng.choice(places)
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(KINDS)} {i}"
        accepting = _weighted(rng, ACCEPTING)
        verified = today - timedelta(days=rng.randrange(900)) if rng.random() < 0.8 else None
        values = {
            "name": name,
            "slug": f"bench-{i}",
            "street": f"{rng.randrange(1, 9999)} Main Street",
            "city": city,
            "state": state,
            "zip_code": zip_code,
            "latitude": round(lat + rng.gauss(0, JITTER_DEGREES), 6),
            "longitude": round(lon + rng.gauss(0, JITTER_DEGREES), 6),
            "phone": f"+1202555{rng.randrange(100, 200):04d}",
            "accepting": accepting,
            "wait_weeks": rng.randrange(1, 12) if accepting == "waitlist" else None,
            "status": _weighted(rng, STATUSES),
            "last_verified": verified,
            "source": SOURCE,
            "external_id": str(i),
        }
        yield values, [code for probability, code in TERM_MIX if rng.random() < probability]


def load(n: int, seed: int = SEED, progress=print) -> None:
    """Replace every program with n synthetic ones: COPY on PostgreSQL, bulk_create elsewhere."""
    term_ids = dict(Term.objects.values_list("code", "pk"))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy_load(n, seed, term_ids, progress)
        else:
            _orm_load(n, seed, term_ids)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Statistics for the planner, and the visibility map that lets the term-links index
        # answer "which programs offer this term" without visiting the table (index-only scans).
        with connection.cursor() as cursor:
            tables = [Program._meta.db_table, Program.terms.through._meta.db_table]
            cursor.execute("VACUUM ANALYZE " + ", ".join(f'"{table}"' for table in tables))


def _orm_load(n: int, seed: int, term_ids: dict[str, int]) -> None:
    Program.objects.all().delete()
    Link = Program.terms.through
    programs, codes = [], []
    for values, terms in generate(n, seed):
        programs.append(Program(**values))
        codes.append(terms)
    Program.objects.bulk_create(programs, batch_size=2000)
    links = [
        Link(program_id=program.pk, term_id=term_ids[code])
        for program, terms in zip(programs, codes, strict=True)
        for code in terms
    ]
    Link.objects.bulk_create(links, batch_size=5000)


def _copy_load(n: int, seed: int, term_ids: dict[str, int], progress) -> None:
    program_table = Program._meta.db_table
    link_table = Program.terms.through._meta.db_table
    fields = [f for f in Program._meta.concrete_fields if f.name != "id"]
    now = timezone.now()
    defaults = {f.column: f.get_default() for f in fields}
    defaults.update(created=now, updated=now, organization_id=None)
    unique = [f for f in fields if f.unique and callable(f.default)]  # the HSDS ids: one each
    columns = ["id", *(f.column for f in fields)]
    with connection.cursor() as cursor:
        # The program's term ids in its row (migration 0014), written here with the program:
        # the links' triggers, which keep it otherwise, are off while the links are copied.
        cursor.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = 'term_ids'",
            [program_table],
        )
        in_row = cursor.fetchone() is not None
        cursor.execute(f'TRUNCATE "{link_table}", "{program_table}" RESTART IDENTITY CASCADE')
        saved = _drop_secondary_indexes(cursor, [program_table, link_table])
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        link_buffer, link_id = io.StringIO(), 0
        column_list = ", ".join(f'"{c}"' for c in columns + ["term_ids"] * in_row)
        with raw.copy(f'COPY "{program_table}" ({column_list}) FROM STDIN') as program_copy:
            for i, (values, terms) in enumerate(generate(n, seed), start=1):
                row = {**defaults, **{f.column: f.get_default() for f in unique}, **values}
                ids = sorted(term_ids[code] for code in terms)
                in_row_ids = ["{" + ",".join(map(str, ids)) + "}"] * in_row
                program_copy.write_row(
                    [i, *(_copy_value(row[c]) for c in columns[1:]), *in_row_ids]
                )
                for pk in ids:
                    link_id += 1
                    link_buffer.write(f"{link_id}\t{i}\t{pk}\n")
                if i % 100_000 == 0:
                    progress(f"  {i:,} programs generated")
        progress(f"  {n:,} programs copied; copying {link_id:,} term links")
        cursor.execute(f'ALTER TABLE "{link_table}" DISABLE TRIGGER USER')
        with raw.copy(f'COPY "{link_table}" (id, program_id, term_id) FROM STDIN') as link_copy:
            link_copy.write(link_buffer.getvalue())
        cursor.execute(f'ALTER TABLE "{link_table}" ENABLE TRIGGER USER')
        del link_buffer
        for table in [program_table, link_table]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT coalesce(max(id), 1) FROM "{table}"))'
            )
        progress("  rebuilding indexes and constraints")
        for statement in saved:
            cursor.execute(statement)


def _copy_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _drop_secondary_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop every index and constraint but the primary keys; return the statements to rebuild.

    Loading millions of rows into bare tables and building each index once is several times
    faster than maintaining the indexes row by row.
    """
    rebuild, drop = [], []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
            [table],
        )
        for name, definition in cursor.fetchall():
            drop.append(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            rebuild.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    for table in tables:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        for name, definition in cursor.fetchall():
            drop.append(f'DROP INDEX "{name}"')
            rebuild.insert(0, definition)  # indexes first: the foreign keys' checks use them
    for statement in drop:
        cursor.execute(statement)
    return rebuild
