import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from programs.querysets import ProgramQuerySet, stale_cutoff
from programs.states import STATE_CHOICES

zip_validator = RegexValidator(
    r"^\d{5}(-\d{4})?$", _("Enter a 5-digit ZIP code or ZIP+4, like 94110 or 94110-1234.")
)


class Facet(models.Model):
    """One question a searcher asks of a program: level of care, payment, ..."""

    code = models.SlugField(max_length=40, unique=True)
    label_en = models.CharField(_("English label"), max_length=100)
    label_es = models.CharField(_("Spanish label"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _localized(self.label_en, self.label_es)


class Term(models.Model):
    """One answer within a facet. Searching for a broad term also finds its narrower terms."""

    facet = models.ForeignKey(Facet, on_delete=models.PROTECT, related_name="terms")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("A broader term in the same facet: searching for it also finds this one."),
    )
    code = models.SlugField(max_length=40, unique=True)
    label_en = models.CharField(_("English label"), max_length=120)
    label_es = models.CharField(_("Spanish label"), max_length=120, blank=True)
    samhsa_code = models.CharField(
        _("SAMHSA code"), max_length=10, blank=True, help_text=_("The locator's service code.")
    )
    samhsa_labels = models.JSONField(
        _("SAMHSA labels"),
        default=list,
        blank=True,
        help_text=_("The locator API's service labels that mean this term."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["facet__position", "position", "code"]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.facet_id != self.facet_id:
            raise ValidationError({"parent": _("A broader term must be in the same facet.")})
        seen, ancestor = set(), self.parent
        while ancestor is not None and ancestor.pk not in seen:  # stops on any loop
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A term cannot be narrower than itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @property
    def label(self) -> str:
        return _localized(self.label_en, self.label_es)


class Organization(models.Model):
    """Who operates one or more programs."""

    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    # Its id in the HSDS API and export, stored so that looking it up is one indexed query.
    # Rows older than the column keep the id derived from their pk (migration 0010).
    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        # The directory's last edit (querysets.directory_last_modified): API and page caches.
        indexes = [models.Index(fields=["updated"], name="organization_updated")]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """One place where care is given."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Accepting(models.TextChoices):
        YES = "yes", _("Accepting new patients")
        WAITLIST = "waitlist", _("Waitlist")
        NO = "no", _("Not accepting new patients")
        UNKNOWN = "unknown", _("Call to ask about openings")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="programs"
    )
    description = models.TextField(blank=True)
    # The program's ids in the HSDS API and export (its service, its service at its location,
    # and the organization record that stands in when it has none), stored so that looking one
    # up is one indexed query. Rows older than the columns keep the ids derived from their pk.
    hsds_service_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    hsds_service_at_location_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    hsds_organization_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    street = models.CharField(max_length=200, blank=True)
    street2 = models.CharField(_("street (line 2)"), max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    zip_code = models.CharField(_("ZIP code"), max_length=10, validators=[zip_validator])
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    location_approximate = models.BooleanField(
        _("location approximate"),
        default=False,
        help_text=_(
            "The source gave no coordinates, so the listing sits at its ZIP code's centre. "
            "Enter the real latitude and longitude and untick this."
        ),
    )

    phone = PhoneNumberField(_("main phone"), blank=True, region="US")
    phone_extension = models.CharField(
        _("extension"), max_length=10, blank=True, help_text=_("Dial after the main phone.")
    )
    intake_phone = PhoneNumberField(_("intake phone"), blank=True, region="US")
    website = models.URLField(blank=True, max_length=300)
    hours = models.TextField(blank=True, help_text=_("Opening hours in plain words."))

    accepting = models.CharField(
        _("accepting new patients"),
        max_length=10,
        choices=Accepting.choices,
        default=Accepting.UNKNOWN,
    )
    wait_weeks = models.PositiveSmallIntegerField(
        _("estimated wait (weeks)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(104)],
        help_text=_("For a waitlist: about how many weeks until a first appointment."),
    )
    accepting_updated = models.DateField(
        _("availability updated"),
        null=True,
        blank=True,
        help_text=_("Set automatically when staff change the availability."),
    )
    beds_available = models.PositiveSmallIntegerField(
        _("beds available"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5000)],
        help_text=_("Residential programs: open beds today. Leave empty if unknown."),
    )
    beds_updated = models.DateField(
        _("beds updated"),
        null=True,
        blank=True,
        help_text=_("Set automatically when staff change the beds available."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    last_verified = models.DateField(
        null=True,
        blank=True,
        help_text=_("Kept in step with the latest verification record."),
    )
    terms = models.ManyToManyField(Term, blank=True, related_name="programs")

    source = models.CharField(
        max_length=40, default="manual", help_text=_("Where the listing came from.")
    )
    is_demo = models.BooleanField(
        _("demo listing"),
        default=False,
        help_text=_(
            "Some details (services, phone, hours, openings) were made up by the demo loader; "
            "the listing's page says so."
        ),
    )
    external_id = models.CharField(
        max_length=100, blank=True, help_text=_("The listing's id in its source.")
    )
    imported_values = models.JSONField(
        _("last imported values"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("What the last import wrote; a field differing from it was edited by staff."),
    )
    # A full refresh (import_programs --replace-scope) treats its file as the whole directory
    # for its states: a listing the file lacks is flagged here, then archived by a later refresh
    # once the grace period is over (retired_by_import, so reappearing in the source brings it
    # back, while a listing staff archived stays archived).
    not_in_source_since = models.DateField(
        _("not in the source since"),
        null=True,
        blank=True,
        help_text=_("Set by a full refresh whose file no longer lists this program."),
    )
    retired_by_import = models.BooleanField(
        _("archived by an import"),
        default=False,
        help_text=_(
            "Archived because its source stopped listing it; a refresh that finds it again "
            "publishes it."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()
    # Who changed what and when, terms included, so staff can see and revert any change.
    history = HistoricalRecords(m2m_fields=[terms])

    class Meta:
        ordering = ["name", "pk"]
        permissions = [
            ("import_programs", "Can import program listings"),
            ("publish_program", "Can publish, unpublish and archive listings"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="program_unique_source_external_id",
            ),
        ]
        indexes = [
            # near() on published programs: a range on latitude, then longitude, answered from
            # the index alone (name and id included) for the count and the page's ids.
            models.Index(
                fields=["latitude", "longitude"],
                include=["name", "id"],
                condition=models.Q(status="published"),
                name="program_published_lat_lon",
            ),
            models.Index(fields=["status", "state"], name="program_status_state"),
            # The API's Last-Modified: the latest edit, read from the index's end, not a scan.
            models.Index(fields=["updated"], name="program_updated"),
            # A search without a location: published programs by name, LIMIT 20, walking this
            # index in order and checking each program's terms until the page is full.
            models.Index(
                fields=["name", "id"],
                condition=models.Q(status="published"),
                name="program_published_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("program-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.wait_weeks is not None and self.accepting != self.Accepting.WAITLIST:
            raise ValidationError(
                {"wait_weeks": _("An estimated wait only applies to a waitlist: clear it.")}
            )

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, self.street2) if line] + [
            f"{self.city}, {self.state} {self.zip_code}"
        ]

    @property
    def one_line_address(self) -> str:
        return ", ".join(self.address_lines)

    @property
    def directions_url(self) -> str:
        """Opens the visitor's own map app (or its website) with directions to the address."""
        return "https://www.google.com/maps/dir/?" + urlencode(
            {"api": "1", "destination": self.one_line_address}
        )

    @cached_property
    def call_number(self):
        """The number a searcher should call: intake if the program lists one.

        A parsed number has its digits; asking that, not the number's truth (which formats
        it), keeps a page of result cards cheap.
        """
        for number in (self.intake_phone, self.phone):
            if getattr(number, "national_number", None):
                return number
        return None

    @property
    def is_stale(self) -> bool:
        return self.last_verified is None or self.last_verified < stale_cutoff()

    # Set by use_terms() for a page of results; else read from the database when first asked.
    _grouped_terms: dict[str, list[Term]] | None = None

    def use_terms(self, grouped: dict[str, list[Term]]) -> None:
        """Give the program its terms, grouped by facet code in the taxonomy's order: a page of
        results loads them for all its programs at once (taxonomy.attach_terms)."""
        self._grouped_terms = grouped

    def terms_by_facet(self) -> dict[str, list[Term]]:
        """This program's terms by facet code, the facets and terms in the taxonomy's order."""
        if self._grouped_terms is None:
            grouped = {}
            terms = self.terms.all()  # as prefetched (Program.objects.for_hsds()), if they were
            if "terms" not in getattr(self, "_prefetched_objects_cache", {}):
                terms = terms.select_related("facet", "parent")
            # Term's ordering (facet position first): the facets come in the taxonomy's order.
            for term in terms:
                grouped.setdefault(term.facet.code, []).append(term)
            self._grouped_terms = grouped
        return self._grouped_terms

    def terms_in(self, facet_code: str) -> list[Term]:
        return self.terms_by_facet().get(facet_code, [])

    @property
    def levels_of_care(self) -> list[Term]:
        return self.terms_in("level")

    @property
    def medications(self) -> list[Term]:
        return self.terms_in("medication")

    @property
    def payment_options(self) -> list[Term]:
        return self.terms_in("payment")


class Verification(models.Model):
    """Staff checked a listing: when, how, who. Program.last_verified follows the latest."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone call")
        WEBSITE = "website", _("Website")
        PROVIDER = "provider", _("Provider update")
        OTHER = "other", _("Other")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="verifications")
    verified_on = models.DateField(_("verified on"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-verified_on", "-created"]

    def __str__(self) -> str:
        return f"{self.program} — {self.verified_on} ({self.get_method_display()})"


def _localized(english: str, spanish: str) -> str:
    if spanish and (get_language() or "").startswith("es"):
        return spanish
    return english


class PendingImport(models.Model):
    """A file staff uploaded in admin and saw the dry run of, kept until they confirm it.

    In the database rather than on a local disk, so the confirming request may reach any app
    server. Deleted once imported; ones left unconfirmed are deleted after a day.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=40)
    encoding = models.CharField(max_length=40, blank=True)
    filename = models.CharField(max_length=200)
    # A full refresh's options, as import_file() takes them: replace_scope, force, retire_now.
    options = models.JSONField(default=dict, blank=True)
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename


class ImportJob(models.Model):
    """One admin import run by the background worker: how far it got and how it ended.

    The worker writes it as it goes (programs.importers.jobs); the admin's job page reads it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The upload it reads; gone once a real import ends (either way) or a dry run fails.
    pending = models.ForeignKey(
        PendingImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    dry_run = models.BooleanField()
    format = models.CharField(max_length=40)
    filename = models.CharField(max_length=200)
    language = models.CharField(max_length=10, blank=True)  # for the messages the job writes
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)  # known once the file is read
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)  # why it failed, for staff
    task_id = models.CharField(max_length=64, blank=True)  # the task queue's id, for the logs
    report = models.ForeignKey(
        "ImportReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)  # also moved by each progress report
    finished = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.filename

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class ImportReport(models.Model):
    """What one import changed, listing by listing: written with the import, in its transaction.

    Every real import has one, from admin or the command line; admin offers it as CSV.
    `changes` holds one dict per listing changed: change (CHANGES), program (pk), external_id,
    name, city, state, line (in the file), fields (names, comma-separated), detail.
    """

    CHANGES = [
        "new",
        "updated",
        "moved",
        "not in source",
        "archived",
        "reappeared",
        "kept staff edits",
    ]

    format = models.CharField(max_length=40)
    filename = models.CharField(max_length=200, blank=True)
    scope = models.CharField(
        _("replaced scope"), max_length=200, blank=True, help_text=_("States, or all.")
    )
    counts = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename or self.format} ({self.created:%Y-%m-%d %H:%M})"


class QualityDecision(models.Model):
    """Staff looked at a data-quality finding and decided it is fine (programs.quality).

    Kept apart from the listings so a re-import, which rewrites their fields, cannot undo it:
    the review pages leave out whatever a decision covers.
    """

    class Kind(models.TextChoices):
        LOCATION_OK = "location-ok", _("Coordinates are right")
        NOT_DUPLICATES = "not-duplicates", _("Not duplicates")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    # The pair's other listing (the lower pk is always `program`), for NOT_DUPLICATES only.
    other = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # For LOCATION_OK, the coordinates staff confirmed: new ones (a re-import's move) are
    # reviewed again.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("data-quality decision")

    def __str__(self) -> str:
        if self.other_id:
            return f"{self.get_kind_display()}: {self.program} / {self.other}"
        return f"{self.get_kind_display()}: {self.program}"
