"""Programs updating their own listings: who may (access), how they sign in (single-use links),
what they proposed for staff to review, and the reminders they were sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Organization, Program


class ProviderAccess(models.Model):
    """One person (by email) may update one program, or every program of one organization."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_accesses"
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Either one program…"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("…or every program of an organization."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        verbose_name = _("provider access")
        verbose_name_plural = _("provider accesses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(program__isnull=True) ^ models.Q(organization__isnull=True),
                name="provider_access_program_xor_organization",
            ),
            models.UniqueConstraint(fields=["user", "program"], name="provider_access_program"),
            models.UniqueConstraint(
                fields=["user", "organization"], name="provider_access_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.email} → {self.program or self.organization}"

    @property
    def email(self) -> str:
        return self.user.email

    def programs(self):
        """The programs this access covers."""
        if self.program_id:
            return Program.objects.filter(pk=self.program_id)
        return Program.objects.filter(organization_id=self.organization_id)


class SignInLink(models.Model):
    """A sign-in link sent by email: used once, before it expires. Only its hash is kept."""

    access = models.ForeignKey(ProviderAccess, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.access} ({self.created:%Y-%m-%d})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires


class ProviderUpdate(models.Model):
    """Something a program did to its own listing; the latest dates "updated by the program"."""

    class Kind(models.TextChoices):
        AVAILABILITY = "availability", _("Updated availability")
        CONFIRMED = "confirmed", _("Confirmed everything is still correct")
        PROPOSED = "proposed", _("Proposed a change")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("provider update")
        # The public page's "updated by the program on …": the latest for one program.
        indexes = [models.Index(fields=["program", "-created"], name="provider_update_latest")]

    def __str__(self) -> str:
        return f"{self.program}: {self.get_kind_display()}"


class ProposedChange(models.Model):
    """Changes a program asked for that staff review first (services, name, address, contact).

    `before` keeps the values when it was proposed, so the diff stays readable after other edits.
    Terms are kept as lists of term codes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    note = models.TextField(_("note from the program"), blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("staff reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("proposed change")
        indexes = [models.Index(fields=["status", "created"], name="proposed_change_queue")]

    def __str__(self) -> str:
        return str(self.program)


class Reminder(models.Model):
    """An email asking a program to check its listing before it goes stale."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    sent_to = models.EmailField(_("sent to"))
    sent = models.DateTimeField(_("sent"), default=timezone.now)
    # Set when the program next updates or confirms its listing.
    answered = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-sent", "-pk"]
        verbose_name = _("reminder")
        indexes = [models.Index(fields=["program", "-sent"], name="reminder_latest")]

    def __str__(self) -> str:
        return f"{self.program} ({self.sent:%Y-%m-%d})"
