from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Program

DETAILS_MAX_LENGTH = 1000


class ProblemReport(models.Model):
    """A visitor says a listing is wrong. Staff resolve or dismiss it with a note."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("The phone number doesn't work")
        CLOSED = "closed", _("The program has closed")
        ADDRESS = "address", _("The address is wrong")
        SERVICES = "services", _("The services listed are wrong")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="problem_reports")
    kind = models.CharField(_("what is wrong"), max_length=10, choices=Kind.choices)
    details = models.TextField(_("details"), max_length=DETAILS_MAX_LENGTH, blank=True)
    # Only staff ever see this: it is never rendered on a public page.
    contact_email = models.EmailField(_("contact email"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    staff_note = models.TextField(_("staff note"), blank=True)
    created = models.DateTimeField(_("reported"), auto_now_add=True)
    closed = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            # The staff queue and the dashboard: open reports, oldest first.
            models.Index(fields=["status", "created"], name="report_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.program}"
