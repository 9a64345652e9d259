"""Validate records against the official HSDS 3.0 compiled schemas, offline."""

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from programs.hsds import spec

OFFICIAL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/"
BUNDLED = [
    "service",
    "service_list",
    "service_at_location",
    "service_at_location_list",
    "organization",
    "organization_list",
    "tabular",
]


def _no_network(uri: str):
    raise NoSuchResource(ref=uri)


# Should a schema $ref another, it resolves to the bundled copy, never to the network.
REGISTRY = Registry(retrieve=_no_network).with_resources(
    (f"{OFFICIAL}{name}.json", DRAFT202012.create_resource(spec.schema(name))) for name in BUNDLED
)


def errors(record: dict, schema: dict) -> list[str]:
    """Every way `record` breaks `schema` (formats checked: uuid, uri, email, date-time)."""
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker())
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(record)]


def nested_schema(name: str, *path: str) -> dict:
    """A schema nested in a compiled one: ("service", "attributes", "taxonomy_term")."""
    node = spec.schema(name)
    for key in path:
        node = node["properties"][key]
        node = node.get("items", node)
    return node
