import factory
from django.utils import timezone

from programs.models import Organization, Program, Term

# Where a program is, for tests of distance: ProgramFactory(**OAKLAND) is 8 miles from 94110
# (the factory's default, San Francisco's Mission), ProgramFactory(**SACRAMENTO) 75.
OAKLAND = {"zip_code": "94612", "city": "Oakland", "latitude": 37.8085, "longitude": -122.2668}
SACRAMENTO = {
    "zip_code": "95814",
    "city": "Sacramento",
    "latitude": 38.5804,
    "longitude": -121.4922,
}


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Community Health Services {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    """A published program in San Francisco (94110) unless told otherwise."""

    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Recovery Center {n}")
    slug = factory.Sequence(lambda n: f"recovery-center-{n}")
    organization = factory.SubFactory(OrganizationFactory)
    street = "1 Valencia Street"
    city = "San Francisco"
    state = "CA"
    zip_code = "94110"
    latitude = 37.7509
    longitude = -122.4153
    phone = "+14155550100"
    status = Program.Status.PUBLISHED
    last_verified = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def terms(self, create, codes, **kwargs):
        """ProgramFactory(terms=["residential", "medicaid"]) links the seeded terms."""
        if create and codes:
            self.terms.set(Term.objects.filter(code__in=codes))
