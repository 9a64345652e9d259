"""Every public URL of the site, read from the URLconf, so the header, cookie and fuzz tests cover
the pages, API endpoints and forms other parts of the project add without being told about them.

A path parameter gets a real published program's value (its slug, or its id for ids), so a
detail URL shows a real page rather than a 404.
"""

import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import translation

# Staff-only namespaces, and Django's own development helpers.
PRIVATE_NAMESPACES = {"admin", "djdt"}
_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_CHARACTER_CLASS = re.compile(r"(\[[^\]]*\]|\.)[*+]?")


@dataclass(frozen=True)
class PublicRoute:
    """A URL pattern, as "namespace:name" for reverse() and as its readable route."""

    route: str
    name: str | None
    params: dict[str, object] = field(default_factory=dict, compare=False)  # name → converter

    def urls(self, program) -> list[str]:
        """The URL in every language the site speaks (one URL unless pages carry a prefix)."""
        urls = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls.append(self.url(program))
        return list(dict.fromkeys(urls))

    def url(self, program) -> str:
        kwargs = {name: _value(name, converter, program) for name, converter in self.params.items()}
        if self.name:
            return reverse(self.name, kwargs=kwargs)
        return "/" + _example(self.route, kwargs)


def _example(route: str, kwargs: dict) -> str:
    r"""A path an unnamed pattern matches: "programs/<slug:slug>/" or r"^[\s\S]*/$" → "x/"."""
    path = _ROUTE_PARAM.sub(lambda m: str(kwargs[m["name"]]), route)
    path = _NAMED_GROUP.sub(lambda m: str(kwargs[m["name"]]), path)
    path = _CHARACTER_CLASS.sub("x", path.replace("^", "").replace("$", ""))
    return re.sub(r"\\(.)", r"\1", path).replace("?", "")


def _value(name: str, converter, program):
    if name == "format":
        return "json"
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=program.pk)
    if isinstance(converter, IntConverter) or name in {"pk", "id"} or name.endswith(("_id", "_pk")):
        return program.pk
    return program.slug


def _params(pattern) -> dict[str, object]:
    if isinstance(pattern, RoutePattern):
        return dict(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return dict.fromkeys(pattern.regex.groupindex)
    return {}  # LocalePrefixPattern: the language, filled in by reverse()


def _walk(patterns, namespaces: tuple[str, ...], route: str, params: dict):
    for pattern in patterns:
        text = route + str(pattern.pattern)
        found = {**params, **_params(pattern.pattern)}
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            if not PRIVATE_NAMESPACES.intersection(inner):
                yield from _walk(pattern.url_patterns, inner, text, found)
        elif isinstance(pattern, URLPattern):
            name = ":".join([*namespaces, pattern.name]) if pattern.name else None
            yield PublicRoute(route=text, name=name, params=found)


def public_routes() -> list[PublicRoute]:
    """Every URL pattern outside the admin, in URLconf order, each once."""
    return list(dict.fromkeys(_walk(get_resolver().url_patterns, (), "", {})))
