"""The provider pages: sign in by emailed link, then update one's own listings."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from providers import services
from providers.forms import AvailabilityForm, ChangeForm, LinkRequestForm
from providers.models import ProposedChange

LINK_REFUSED = {
    "expired": gettext_lazy(
        "This sign-in link has expired. Links work for a limited time: ask for a new one below."
    ),
    "used": gettext_lazy(
        "This sign-in link has already been used. Each link works once: ask for a new one below."
    ),
    "unknown": gettext_lazy("This sign-in link is not valid. Ask for a new one below."),
}


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def request_link(request):
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if services.over_link_limit(email=email, ip=_client_ip(request)):
            message = _("Too many sign-in links were asked for. Wait an hour, then try again.")
            return render(
                request,
                "providers/request_link.html",
                {"form": form, "refused": message},
                status=429,
            )
        services.send_new_links(email=email, base_url=_base_url(request))
        # The same answer whether or not the address has access: the page reveals no one's.
        return redirect("providers:link-sent")
    return render(request, "providers/request_link.html", {"form": form})


def link_sent(request):
    return render(request, "providers/link_sent.html")


def sign_in(request, token):
    """GET shows a button; POST spends the link (mail scanners fetch links with GET)."""
    try:
        if request.method == "POST":
            user = services.use_link(token)
        else:
            services.check_link(token)
    except services.LinkRefused as refused:
        context = {"form": LinkRequestForm(), "refused": LINK_REFUSED[refused.reason]}
        return render(request, "providers/request_link.html", context, status=410)
    if request.method != "POST":
        return render(request, "providers/sign_in.html")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("providers:home")


def sign_out(request):
    if request.method != "POST":
        return render(request, "providers/sign_out.html")
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("providers:request-link")


def _provider_required(view):
    return login_required(view, login_url="providers:request-link")


def _own_program(request, pk):
    """One of the signed-in provider's programs, or 404: others' are never shown or touched."""
    return get_object_or_404(services.programs_for(request.user), pk=pk)


@_provider_required
def home(request):
    programs = list(services.programs_for(request.user))
    if not programs:
        raise Http404
    return render(request, "providers/home.html", {"programs": programs})


@_provider_required
def program(request, pk):
    program = _own_program(request, pk)
    initial = {
        "accepting": program.accepting if program.accepting != "unknown" else None,
        "wait_weeks": program.wait_weeks,
        "beds_available": program.beds_available,
    }
    form = AvailabilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_availability(program=program, user=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you. Your availability is now on your public listing."))
        return redirect("providers:program", pk=program.pk)
    pending = ProposedChange.objects.filter(program=program, status=ProposedChange.Status.PENDING)
    context = {
        "program": program,
        "form": form,
        "pending": list(pending),
        "updated_on": services.updated_by_program_on(program),
    }
    return render(request, "providers/program.html", context)


@_provider_required
def confirm(request, pk):
    program = _own_program(request, pk)
    if request.method != "POST":  # the button is on the program's page
        return redirect("providers:program", pk=program.pk)
    services.confirm_listing(program=program, user=request.user)
    messages.success(request, _("Thank you. Your listing now shows it was checked today."))
    return redirect("providers:program", pk=program.pk)


@_provider_required
def propose(request, pk):
    program = _own_program(request, pk)
    current = services.current_values(program)
    form = ChangeForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        note = values.pop("note")
        change = services.propose_change(
            program=program, user=request.user, values=values, note=note
        )
        if change is None:
            messages.info(
                request, _("Nothing was different from your listing, so nothing was sent.")
            )
        else:
            messages.success(
                request,
                _(
                    "Thank you. Staff will check your changes; "
                    "your listing shows them once approved."
                ),
            )
        return redirect("providers:program", pk=program.pk)
    return render(request, "providers/propose.html", {"program": program, "form": form})
