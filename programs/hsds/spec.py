"""The official HSDS 3.0 schemas (bundled in programs/hsds_spec/) and shapes derived from them."""

import gzip
import json
from copy import deepcopy
from functools import cache
from pathlib import Path

SPEC_DIR = Path(__file__).resolve().parent.parent / "hsds_spec"
HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://docs.openreferral.org/en/latest/hsds/"
# The JSON Schema and OpenAPI words; the compiled schemas also carry the spec's own annotations
# (name, title, core, constraints, datapackage_metadata...), which an OpenAPI document must not.
_SCHEMA_KEYWORDS = {"type", "properties", "items", "required", "format", "enum", "description"}


@cache
def schema(name: str) -> dict:
    """An official compiled schema by file name: schema("service"), schema("tabular")."""
    with gzip.open(SPEC_DIR / f"{name}.json.gz", "rt", encoding="utf-8") as file:
        return json.load(file)


def table(name: str) -> dict:
    """One table of the tabular form: its properties, path (services.csv) and metadata."""
    return schema("tabular")["properties"][name]["items"]


@cache
def tables() -> list[tuple[str, dict]]:
    """Every table of the tabular form, in the spec's datapackage order."""
    items = [(name, prop["items"]) for name, prop in schema("tabular")["properties"].items()]
    return sorted(items, key=lambda item: item[1]["datapackage_metadata"]["order"])


def columns(name: str) -> list[str]:
    """A table's CSV columns: its one-to-one fields, in the spec's order."""
    return [
        field
        for field, prop in table(name)["properties"].items()
        if prop.get("type") not in ("array", "object")
    ]


def openapi_schema(name: str, nested: frozenset = frozenset()) -> dict:
    """An official schema cut down to plain OpenAPI: nested lists and objects only if named.

    The compiled schemas nest every related table several levels deep (megabytes); our OpenAPI
    document describes the parts we serve and leaves the rest out.
    """
    return _prune(schema(name), nested)


def _prune(node: dict, nested: frozenset) -> dict:
    pruned = {
        key: deepcopy(value)
        for key, value in node.items()
        if key in _SCHEMA_KEYWORDS and key not in ("items", "properties")
    }
    if "items" in node:
        pruned["items"] = _prune(node["items"], nested)
    if "properties" in node:
        pruned["properties"] = {
            key: _prune(value, nested)
            for key, value in node["properties"].items()
            if value.get("type") not in ("array", "object") or key in nested
        }
    return pruned
