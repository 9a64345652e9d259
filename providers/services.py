"""Provider writes: invitations, sign-in links, updates from programs, the review queue and
reminders. Changes to a listing itself go through programs.services."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from programs import places
from programs import services as program_services
from programs.models import Program, Term, Verification
from providers.models import ProposedChange, ProviderAccess, ProviderUpdate, Reminder, SignInLink

# A link someone asked for is used within minutes; one in an invitation or a reminder may wait
# in an inbox over a weekend.
REQUESTED_LINK_LIFETIME = timedelta(hours=2)
SENT_LINK_LIFETIME = timedelta(days=7)
# Remind a program this many days before its listing goes stale, then every REPEAT days.
REMINDER_LEAD_DAYS = 30
REMINDER_REPEAT_DAYS = 14
# "Email me a new link": per address and per IP address, per hour.
LINK_REQUESTS_PER_HOUR = 3
# What a program may change at once (availability) and what staff review first.
AVAILABILITY_FIELDS = ["accepting", "wait_weeks", "beds_available"]
REVIEWED_FIELDS = [
    "name", "street", "street2", "city", "state", "zip_code",
    "phone", "phone_extension", "intake_phone", "website", "hours",
]  # fmt: skip
# A new suite number (street2) does not move a listing; these do.
ADDRESS_FIELDS = {"street", "city", "state", "zip_code"}
USERNAME_PREFIX = "provider:"  # never a staff account's name: a link must not open the admin


class LinkRefused(Exception):
    """A sign-in link that cannot be used; `reason` is "expired", "used" or "unknown"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- Access and sign-in links ---


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def provider_user(email: str):
    """The provider account for an email address, created on first invitation."""
    email = email.strip().lower()
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=f"{USERNAME_PREFIX}{email}"[:150], defaults={"email": email}
    )
    if created:
        user.set_unusable_password()  # they sign in by link only
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def invite(*, email: str, program=None, organization=None, invited_by=None, base_url: str):
    """Give `email` access to a program or an organization and email them a sign-in link."""
    user = provider_user(email)
    access, _created = ProviderAccess.objects.get_or_create(
        user=user,
        program=program,
        organization=organization,
        defaults={"invited_by": invited_by},
    )
    message = _link_email(
        "providers/email/invitation.txt",
        access=access,
        url=base_url + link_path(new_link(access, lifetime=SENT_LINK_LIFETIME)),
        lifetime=SENT_LINK_LIFETIME,
    )
    transaction.on_commit(message.send)
    return access


def new_link(access: ProviderAccess, *, lifetime: timedelta) -> str:
    """A fresh sign-in link's secret token; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        access=access, token_hash=_hash(token), expires=timezone.now() + lifetime
    )
    return token


def link_path(token: str) -> str:
    with translation.override(None):  # links in emails open in English; the page offers Spanish
        return reverse("providers:link", args=[token])


def check_link(token: str) -> SignInLink:
    """The link for `token` if it can still be used; else LinkRefused saying why."""
    link = SignInLink.objects.select_related("access__user").filter(token_hash=_hash(token))
    link = link.first()
    if link is None:
        raise LinkRefused("unknown")
    if link.used is not None:
        raise LinkRefused("used")
    if link.is_expired:
        raise LinkRefused("expired")
    if link.access.user.is_staff or link.access.user.is_superuser or not link.access.user.is_active:
        raise LinkRefused("unknown")
    return link


def use_link(token: str):
    """Spend a sign-in link once; returns its user. Two clicks at once: only one wins."""
    link = check_link(token)
    spent = SignInLink.objects.filter(
        pk=link.pk, used__isnull=True, expires__gt=timezone.now()
    ).update(used=timezone.now())
    if not spent:
        raise LinkRefused("used")
    return link.access.user


def over_link_limit(*, email: str, ip: str) -> bool:
    """Count one link request; True once the address or the IP asked too often this hour."""
    over = False
    for key in (f"provider-link:email:{_hash(email.strip().lower())}", f"provider-link:ip:{ip}"):
        try:
            cache.add(key, 0, timeout=3600)
            count = cache.incr(key)
        except ValueError:  # expired in between, or the cache could not keep it
            cache.set(key, 1, timeout=3600)
            count = 1
        except ConnectionError:
            count = 1
        over = over or count > LINK_REQUESTS_PER_HOUR
    return over


def send_new_links(*, email: str, base_url: str) -> int:
    """Email a new sign-in link to `email` for each access it has; nothing if it has none."""
    accesses = ProviderAccess.objects.filter(
        user__username=f"{USERNAME_PREFIX}{email.strip().lower()}", user__is_active=True
    ).select_related("user", "program", "organization")
    messages = [
        _link_email(
            "providers/email/new_link.txt",
            access=access,
            url=base_url + link_path(new_link(access, lifetime=REQUESTED_LINK_LIFETIME)),
            lifetime=REQUESTED_LINK_LIFETIME,
        )
        for access in accesses
    ]
    if messages:
        mail.get_connection().send_messages(messages)
    return len(messages)


def _duration(lifetime: timedelta) -> str:
    hours = int(lifetime.total_seconds() // 3600)
    return f"{hours // 24} days" if hours >= 48 else f"{hours} hours"


def _link_email(template: str, *, access, url: str, lifetime: timedelta, **context):
    with translation.override("en"):
        body = render_to_string(
            template,
            {"access": access, "url": url, "lifetime": _duration(lifetime), **context},
        )
    subject, _, body = body.partition("\n")
    return mail.EmailMessage(subject.strip(), body.lstrip(), to=[access.user.email])


# --- What a provider sees ---


def programs_for(user):
    """The programs `user` may update: theirs, and their organizations', archived ones aside."""
    if not user.is_authenticated:
        return Program.objects.none()
    accesses = ProviderAccess.objects.filter(user=user)
    return (
        Program.objects.filter(
            Q(pk__in=accesses.exclude(program=None).values("program"))
            | Q(organization__in=accesses.exclude(organization=None).values("organization"))
        )
        .exclude(status=Program.Status.ARCHIVED)
        .select_related("organization")
        .order_by("name", "pk")
    )


def updated_by_program_on(program) -> date | None:
    """The day the program last updated its availability or confirmed its listing."""
    latest = (
        ProviderUpdate.objects.filter(
            program=program,
            kind__in=[ProviderUpdate.Kind.AVAILABILITY, ProviderUpdate.Kind.CONFIRMED],
        )
        .values_list("created", flat=True)
        .first()
    )
    return timezone.localdate(latest) if latest else None


# --- Updates from a program ---


def _reason(user, what: str) -> str:
    return f"{what} by the program ({user.email})"


def _answered(program, user, kind) -> None:
    ProviderUpdate.objects.create(program=program, user=user, kind=kind)
    Reminder.objects.filter(program=program, answered=None).update(answered=timezone.now())


@transaction.atomic
def update_availability(*, program, user, accepting, wait_weeks=None, beds_available=None):
    """Availability and beds, public at once and dated today even when unchanged."""
    today = timezone.localdate()
    values = {"accepting": accepting, "wait_weeks": wait_weeks, "accepting_updated": today}
    if beds_available is not None or program.beds_available is not None:
        values |= {"beds_available": beds_available, "beds_updated": today}
    program_services.update_listing(
        program=program, values=values, user=user, reason=_reason(user, "Availability updated")
    )
    _answered(program, user, ProviderUpdate.Kind.AVAILABILITY)


@transaction.atomic
def confirm_listing(*, program, user) -> None:
    """The program says everything is still correct: a verification by the provider."""
    program_services.mark_verified(
        programs=Program.objects.filter(pk=program.pk),
        method=Verification.Method.PROVIDER,
        note="Confirmed by the program: everything is still correct.",
        user=user,
    )
    _answered(program, user, ProviderUpdate.Kind.CONFIRMED)


def current_values(program) -> dict:
    """The reviewed fields and the term codes as a proposal stores them (JSON)."""
    values = {name: _plain(getattr(program, name)) for name in REVIEWED_FIELDS}
    values["terms"] = sorted(program.terms.values_list("code", flat=True))
    return values


def _plain(value):
    if value is None:
        return ""
    if hasattr(value, "as_e164"):  # a phone number: stored the way the model stores it
        return value.as_e164 if value.is_valid() else str(value)
    return str(value) if not isinstance(value, int | float) else value


@transaction.atomic
def propose_change(*, program, user, values: dict, note: str = ""):
    """Queue the fields that differ from the listing for staff review; None if nothing does."""
    now = current_values(program)
    wanted = {name: _plain(value) for name, value in values.items() if name in now}
    if "terms" in values:
        wanted["terms"] = sorted(values["terms"])
    after = {name: value for name, value in wanted.items() if value != now[name]}
    if not after:
        return None
    change = ProposedChange.objects.create(
        program=program,
        proposed_by=user,
        before={name: now[name] for name in after},
        after=after,
        note=note,
    )
    _answered(program, user, ProviderUpdate.Kind.PROPOSED)
    return change


@dataclass
class DiffLine:
    field: str
    label: str
    before: str
    after: str
    now_differs: bool = False  # the listing changed since the proposal


def field_label(name: str) -> str:
    if name == "terms":
        return "services"
    return str(Program._meta.get_field(name).verbose_name)


def diff(change: ProposedChange) -> list[DiffLine]:
    """The proposal field by field; terms as the labels added and removed."""
    now = current_values(change.program)
    lines = []
    for name, value in change.after.items():
        if name == "terms":
            labels = dict(Term.objects.values_list("code", "label_en"))
            old, new = set(change.before.get("terms", [])), set(value)
            before = "; ".join(labels.get(c, c) for c in sorted(old - new))
            after = "; ".join(labels.get(c, c) for c in sorted(new - old))
        else:
            before, after = str(change.before.get(name, "")), str(value)
        differs = now[name] != change.before.get(name)
        lines.append(DiffLine(name, field_label(name), before, after, differs))
    return lines


@transaction.atomic
def approve(*, change: ProposedChange, user, reason: str = "") -> None:
    """Apply a proposal to the listing, recorded in History with who approved it and why."""
    change = ProposedChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ProposedChange.Status.PENDING:
        return
    program = Program.objects.get(pk=change.program_id)
    values = {name: value for name, value in change.after.items() if name != "terms"}
    if ADDRESS_FIELDS & values.keys():
        values |= _approximate_location(values.get("zip_code", program.zip_code))
    proposer = change.proposed_by.email if change.proposed_by else "a program"
    why = f"Proposed by {proposer}; approved" + (f": {reason}" if reason else "")
    program_services.update_listing(
        program=program, values=values, term_codes=change.after.get("terms"), user=user, reason=why
    )
    _decide(change, ProposedChange.Status.APPROVED, user, reason)


def _approximate_location(zip_code: str) -> dict:
    """A moved listing sits at its new ZIP code's centre, flagged for staff to place exactly,
    rather than at its old coordinates, where radius searches would keep finding it."""
    point = places.zip_centroid(zip_code)
    if point is None:
        return {"location_approximate": True}
    return {"latitude": point.latitude, "longitude": point.longitude, "location_approximate": True}


@transaction.atomic
def reject(*, change: ProposedChange, user, reason: str = "") -> None:
    change = ProposedChange.objects.select_for_update().get(pk=change.pk)
    if change.status == ProposedChange.Status.PENDING:
        _decide(change, ProposedChange.Status.REJECTED, user, reason)


def _decide(change, status, user, reason):
    change.status, change.decided, change.decided_by, change.reason = (
        status,
        timezone.now(),
        user,
        reason[:500],
    )
    change.save(update_fields=["status", "decided", "decided_by", "reason"])


# --- Reminders ---


def reminders_due(*, today: date | None = None) -> dict[ProviderAccess, list[Program]]:
    """Each access with its published programs about to go stale and not reminded lately."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.STALE_AFTER_DAYS - REMINDER_LEAD_DAYS)
    recently = timezone.now() - timedelta(days=REMINDER_REPEAT_DAYS)
    reminded = Reminder.objects.filter(sent__gte=recently).values("program")
    accesses = list(
        ProviderAccess.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "program", "organization")
    )
    due = (
        Program.objects.published()
        .filter(Q(last_verified__isnull=True) | Q(last_verified__lte=cutoff))
        .exclude(pk__in=reminded)
        .filter(
            Q(pk__in=[a.program_id for a in accesses if a.program_id])
            | Q(organization_id__in=[a.organization_id for a in accesses if a.organization_id])
        )
        .only("pk", "name", "slug", "organization_id", "last_verified")
        .order_by("name", "pk")
    )
    by_program, by_organization = {}, {}
    for program in due:
        by_program[program.pk] = program
        by_organization.setdefault(program.organization_id, []).append(program)
    found = {}
    for access in accesses:
        if access.program_id:
            programs = [by_program[access.program_id]] if access.program_id in by_program else []
        else:
            programs = by_organization.get(access.organization_id, [])
        if programs:
            found[access] = programs
    return found


def send_reminders(*, base_url: str, today: date | None = None) -> tuple[int, int]:
    """Email every access its programs due for a check; returns (emails, programs reminded)."""
    due = reminders_due(today=today)
    now = timezone.now()
    messages, reminders, links = [], [], []
    for access, programs in due.items():
        token = secrets.token_urlsafe(32)
        links.append(
            SignInLink(access=access, token_hash=_hash(token), expires=now + SENT_LINK_LIFETIME)
        )
        messages.append(
            _link_email(
                "providers/email/reminder.txt",
                access=access,
                url=base_url + link_path(token),
                lifetime=SENT_LINK_LIFETIME,
                programs=programs,
            )
        )
        reminders += [Reminder(program=p, sent_to=access.user.email, sent=now) for p in programs]
    # The links exist before anyone can click them; the reminders are recorded once sent, so a
    # failed send leaves them due for the next run.
    SignInLink.objects.bulk_create(links, batch_size=500)
    if messages:
        mail.get_connection().send_messages(messages)
    Reminder.objects.bulk_create(reminders, batch_size=500)
    return len(messages), len({r.program_id for r in reminders})
