"""ProgramFilter: THE definition of search. The HTML search and the JSON API both use it."""

from collections.abc import Iterable

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from programs import keywords, places, taxonomy
from programs.models import Term
from programs.querysets import SORTS
from programs.states import STATE_CHOICES

# Query-string name → facet code, in the order the search form shows them: what people filter
# on most (level of care, payment) first.
FACET_PARAMS = {
    "level": "level",
    "payment": "payment",
    "medication": "medication",
    "care_type": "care-type",
    "population": "population",
    "therapy": "therapy",
    "language": "language",
    # Who licensed or accredited the program (migration 0011): "accredited" finds any body's.
    "accreditation": "accreditation",
}


class SearchForm(forms.Form):
    """Turns the typed location into a places.Place, or a message with suggestions."""

    place_suggestions: list[str] = []
    # The typed location when it reads like a program's name ("Newport Academy"): the page
    # offers to search it as one.
    maybe_name = ""

    def facet_fields(self):
        """The bound checkbox groups, one a facet, in the order the page shows them."""
        return [self[name] for name in FACET_PARAMS if name in self.fields]

    def clean_location(self):
        text = self.cleaned_data.get("location")
        if not text:
            return None
        try:
            return places.resolve(text)
        except places.PlaceNotFound as exc:
            self.place_suggestions = exc.suggestions
            if getattr(exc, "maybe_name", False) and looks_like_a_name(text):
                self.maybe_name = " ".join(text.split())
            # As a parameter: the message may quote what was typed, "%" and all, and the API
            # formats messages with their params.
            raise ValidationError(
                "%(message)s", code="place_not_found", params={"message": exc.message}
            ) from None


def looks_like_a_name(text: str) -> bool:
    """No digits and no state ("Newport Academy", not "9411" or "Sprngfield, IL")."""
    if any(c.isdigit() for c in text) or "," in text:
        return False
    last = text.split()[-1].rstrip(".").upper() if text.split() else ""
    names = {str(name).upper() for _, name in STATE_CHOICES}
    return last not in dict(STATE_CHOICES) and not any(text.upper().endswith(n) for n in names)


class TermChoices(django_filters.fields.ModelChoiceIterator):
    """A facet's terms from the process's taxonomy, not a query per page per facet."""

    def __iter__(self):
        for term in self.field.terms():
            yield self.choice(term)

    def __len__(self):
        return len(self.field.terms())


class TermField(django_filters.fields.ModelMultipleChoiceField):
    """Checks the chosen codes against the taxonomy in memory (programs/taxonomy.py)."""

    iterator = TermChoices

    def __init__(self, *args, facet: str, **kwargs):
        self.facet = facet
        super().__init__(*args, **kwargs)

    def clean(self, value):
        # Nothing chosen is [], which django-filter skips, not an empty queryset it filters by.
        if not value and not self.required:
            return []
        return super().clean(value)

    def terms(self) -> list[Term]:
        return taxonomy.current().by_facet.get(self.facet, [])

    def _check_values(self, value):
        by_code = {term.code: term for term in self.terms()}
        chosen = []
        for code in dict.fromkeys(str(v) for v in value):  # once each, in the order given
            ProhibitNullCharactersValidator()(code)  # as the query by code used to say
            if code not in by_code:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code},
                )
            chosen.append(by_code[code])
        return chosen


class TermFilter(django_filters.ModelMultipleChoiceFilter):
    """Checkboxes for the terms of one facet, by code: ?payment=medicaid&payment=medicare."""

    field_class = TermField

    def __init__(self, facet: str, **kwargs):
        self.facet = facet  # the API schema lists this facet's term codes
        super().__init__(
            facet=facet,
            # Not read by a search (TermField checks codes against the taxonomy in memory); a
            # queryset, not a callable building one per request.
            queryset=Term.objects.filter(facet__code=facet),
            to_field_name="code",
            widget=forms.CheckboxSelectMultiple,
            method="filter_terms",
            error_messages={
                "invalid_choice": _(
                    "“%(value)s” is not a choice we know (it may have been renamed). "
                    "Clear that filter and search again."
                ),
                "invalid_list": _("Choose from the list."),
            },
            **kwargs,
        )


TRUE_WORDS, FALSE_WORDS = {"true", "1", "on", "yes"}, {"false", "0", "off", "no", ""}


class FlagInput(forms.CheckboxInput):
    """A checkbox that hands FlagField the raw text instead of guessing a boolean from it."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: str(value).lower() in TRUE_WORDS)

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class FlagField(forms.Field):
    """A tick box that the API can also set: true/false, 1/0, on/off; any other text is an error.

    Django's CheckboxInput reads any unknown text ("null", "maybe") as ticked; a partner's typo
    must not silently narrow their search.
    """

    widget = FlagInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        text = str(value).strip().lower()
        if text not in TRUE_WORDS | FALSE_WORDS:
            raise ValidationError(_("Use true or false."), code="invalid")
        return text in TRUE_WORDS


class FlagFilter(django_filters.BooleanFilter):
    field_class = FlagField


SORT_LABELS = {
    "nearest": _("Nearest first"),
    "name": _("Name (A to Z)"),
    "verified": _("Recently verified first"),
    "accepting": _("Accepting new patients first"),
}


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Program name or keyword (optional)"),
        method="filter_q",
        max_length=200,
    )
    location = django_filters.CharFilter(
        label=_("ZIP code, or city and state"),
        method="filter_location",
        max_length=places.MAX_QUERY_LENGTH,
    )
    radius = django_filters.TypedChoiceFilter(
        label=_("Distance"),
        choices=[
            # format_lazy: the label is translated when the form is shown, not when Python starts.
            (m, format_lazy(_("Within {miles} miles"), miles=m))
            for m in settings.SEARCH_RADIUS_CHOICES
        ],
        coerce=int,
        empty_value=settings.SEARCH_DEFAULT_RADIUS,
        initial=settings.SEARCH_DEFAULT_RADIUS,  # what the empty home-page form shows
        method="filter_radius",
        error_messages={"invalid_choice": _("Choose a distance from the list.")},
    )
    level = TermFilter("level", label=_("Level of care"))
    payment = TermFilter("payment", label=_("Payment"))
    medication = TermFilter("medication", label=_("Medications for opioid use disorder"))
    care_type = TermFilter("care-type", label=_("Type of care"))
    population = TermFilter("population", label=_("Who it serves"))
    therapy = TermFilter("therapy", label=_("Therapies and support"))
    language = TermFilter("language", label=_("Languages"))
    accreditation = TermFilter("accreditation", label=_("Licensing and accreditation"))
    accepting = FlagFilter(label=_("Accepting new patients now"), method="filter_accepting")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(code, SORT_LABELS[code]) for code in SORTS],
        method="filter_sort",
        empty_label=None,
        error_messages={"invalid_choice": _("Choose an order from the list.")},
    )

    class Meta:
        form = SearchForm
        fields = []

    # The parameters whose text filter_q matches (every word of them all): HSDS adds `search`.
    WORD_PARAMS = ("q",)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("radius"):
            # So the form shows the default radius selected, not the first choice.
            data = data.copy()
            data["radius"] = str(settings.SEARCH_DEFAULT_RADIUS)
        super().__init__(data, *args, **kwargs)
        # Whether `q` is matched by close spellings of its words; None until a search finds
        # nothing and _respelled() asks.
        self.close_spelling: bool | None = None

    def get_form_class(self):
        """django-filter builds the form class anew for each search; its fields depend on nothing
        a request holds, so it is built once per process."""
        filterset = type(self)
        if "_form_class" not in filterset.__dict__:
            filterset._form_class = super().get_form_class()
        return filterset._form_class

    @property
    def place(self) -> places.Place | None:
        return self.form.cleaned_data.get("location") if self.is_valid() else None

    @property
    def has_criteria(self) -> bool:
        """Whether the searcher asked for anything (a place or a filter), so results are shown."""
        return (
            self.is_bound
            and self.is_valid()
            and any(
                self.form.cleaned_data.get(name)
                for name in ["q", "location", "accepting", *FACET_PARAMS]
            )
        )

    def filter_queryset(self, queryset, skip: Iterable[str] = ()):
        """Each parameter's filter (those in `skip` left out), then the order: `sort` if given,
        else nearest first with a place, best match first with only keywords, else by name."""
        for name, value in self.form.cleaned_data.items():
            if name not in skip:
                queryset = self.filters[name].filter(queryset, value)
        sort = self.form.cleaned_data.get("sort")
        text = self.form.cleaned_data.get("q")
        if self._words() and self.close_spelling is None:
            queryset = queryset.if_none_found(self._respelled)
        if sort:
            return queryset.sorted_by(sort)
        if text and not self.place:
            return queryset.by_relevance(text)
        return queryset

    def without_facets(self):
        """The search with no facet's terms chosen, and the chosen ids per facet id: what
        programs.search.facet_counts() counts options from."""
        chosen = {}
        for name in FACET_PARAMS:
            for term in self.form.cleaned_data.get(name) or []:
                chosen.setdefault(term.facet_id, []).append(term)
        if not chosen:
            # The search itself, already built (unless it has turned to close spellings since).
            search = self.filter_queryset(self.queryset.all()) if self.close_spelling else self.qs
            return search, {}
        groups = {facet: taxonomy.with_narrower(terms)[0] for facet, terms in chosen.items()}
        return self.filter_queryset(self.queryset.all(), skip=FACET_PARAMS), groups

    def filter_q(self, queryset, name, value: str):
        """Programs holding every word; close spellings instead only once a search by the words
        has found nothing (_respelled): asking first whether any program holds them all cost
        as much as the search itself for a whole name among 1M programs."""
        text = " ".join(value.split())
        if not text:
            return queryset
        return queryset.matching(
            text,
            keywords.search_words(text),
            close_spelling=bool(self.close_spelling),
            near_a_place=self.place is not None,
        )

    def _words(self) -> str:
        """All the words asked for, in one text: a program must hold every one of them."""
        texts = [self.form.cleaned_data.get(name) or "" for name in self.WORD_PARAMS]
        return " ".join(" ".join(texts).split())

    def _respelled(self):
        """The search again with names spelt close to `q`, when no program anywhere holds every
        word of it (one EXISTS query, asked once); None when some program does."""
        if self.close_spelling is None:
            text = self._words()
            anywhere = self.queryset.matching(text, keywords.search_words(text))
            self.close_spelling = anywhere.by_close_spelling()
        return self.filter_queryset(self.queryset.all()) if self.close_spelling else None

    def filter_sort(self, queryset, name, value):
        # The order is set last, in filter_queryset, once every filter has narrowed the list.
        return queryset

    def filter_location(self, queryset, name, value):
        return queryset.near(value.point, miles=self.form.cleaned_data["radius"])

    def filter_radius(self, queryset, name, value: int):
        # The radius only means something with a location; filter_location reads it.
        return queryset

    def filter_accepting(self, queryset, name, value):
        # An unticked box means "any availability", not "not accepting".
        return queryset.accepting_new_patients() if value else queryset

    def filter_terms(self, queryset, name, value: Iterable[Term]):
        return queryset.offering(taxonomy.with_narrower(value))
