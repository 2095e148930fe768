"""The public face of events: list, event page with registration, the personal links
in registrants' mails, and the staff's registration list, door check-in and CSV."""

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aks.accounts.network import client_ip
from bodies.access import get_visible_or_404
from spaces.views import csv_safe

from .. import registration as services
from .. import selectors
from ..filters_events import EventFilter
from ..forms_events import CheckInSearchForm, RegistrationForm
from ..models import (
    EventDocument,
    Meeting,
    MinuteEntry,
    MinuteSection,
    Registration,
    RegistrationCount,
    RegistrationStatus,
)

# --- helpers ------------------------------------------------------------------------


def visible_events(user):
    return (
        Meeting.objects.visible_to(user)
        .filter(kind__in=services.EVENT_KINDS)
        .select_related("body", "series", "space")
    )


def upcoming_events(user, *, limit: int):
    """Events still to come, the next first (the home page's list)."""
    return visible_events(user).filter(end__gte=timezone.now()).order_by("start", "pk")[:limit]


def _event(request, pk) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.filter(kind__in=services.EVENT_KINDS).select_related(
            "body", "series", "space"
        ),
        request.user,
        pk=pk,
    )


def _staff_event(request, pk) -> Meeting:
    """The event, for those who may see its registrants (the views are
    ``login_required``): hidden events answer 404, others get 403."""
    meeting = _event(request, pk)
    if not request.user.has_perm("meetings.view_registrations", meeting):
        raise PermissionDenied
    return meeting


def _rate_limited(request) -> bool:
    """True once an address sent more registrations in the window than allowed.

    A counter in Django's cache per address; good enough against a script, and with a
    shared cache (Redis) it holds across processes too."""
    limit, window = getattr(settings, "MEETINGS_REGISTRATION_RATE", (10, 600))
    key = f"meetings:registration-rate:{client_ip(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


# --- public pages ------------------------------------------------------------------


def event_list(request):
    data = request.GET.copy()
    # Without a choice, the list shows what is still to come.
    data.setdefault("when", "upcoming")
    event_filter = EventFilter(data, queryset=visible_events(request.user), request=request)
    ordering = ("-start", "-pk") if data.get("when") == "past" else ("start", "pk")
    events = event_filter.qs.order_by(*ordering)
    page = Paginator(events, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "meetings/events/event_list.html", {"filter": event_filter, "page": page}
    )


def _event_context(request, meeting: Meeting, form=None) -> dict:
    user = request.user
    now = timezone.now()
    state = services.registration_state(meeting, now=now)
    context = {
        "meeting": meeting,
        "agenda": selectors.agenda(meeting, user),
        "speakers": list(meeting.speakers.all()),
        "space_visible": bool(meeting.space and user.has_perm("spaces.view_space", meeting.space)),
        "is_past": meeting.end < now,
        "registration_state": state,
        "may_manage": user.has_perm("meetings.view_registrations", meeting),
    }
    if state != services.RegistrationState.NONE:
        context["seats"] = services.seats(meeting)
        context["archived_count"] = RegistrationCount.objects.filter(meeting=meeting).first()
    if state == services.RegistrationState.OPEN:
        context["form"] = form or RegistrationForm(
            meeting=meeting,
            retention_days=services.retention_days(),
            initial=services.registration_initial(user),
        )
    if meeting.start < now:
        context["documents"] = list(meeting.event_documents.all())
        context["recommendations"] = list(
            MinuteEntry.objects.visible_to(user)
            .filter(minutes__meeting=meeting, section=MinuteSection.RECOMMENDATION)
            .order_by("level", "position", "pk")
        )
    return context


def event_detail(request, pk):
    meeting = _event(request, pk)
    return render(request, "meetings/events/event_detail.html", _event_context(request, meeting))


def event_document(request, pk, document):
    """A slide file, served only to those who may see its event."""
    meeting = _event(request, pk)
    item = get_object_or_404(EventDocument, meeting=meeting, pk=document)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("Not found.")) from error
    return FileResponse(handle, as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])


@require_POST
def register(request, pk):
    meeting = _event(request, pk)
    if services.registration_state(meeting) != services.RegistrationState.OPEN:
        messages.error(request, _("Registration for this event is closed."))
        return redirect("meetings:event_detail", pk=meeting.pk)
    if _rate_limited(request):
        return render(
            request, "meetings/events/rate_limited.html", {"meeting": meeting}, status=429
        )
    form = RegistrationForm(request.POST, meeting=meeting, retention_days=services.retention_days())
    if form.is_bot():
        # Answer as if it worked: a bot learns nothing from the reply.
        return redirect("meetings:event_registered", pk=meeting.pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.register(
                meeting=meeting,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                consent_text=form.consent_text,
            )
        except services.RegistrationError as error:
            form.add_error(None, error)
        else:
            return redirect("meetings:event_registered", pk=meeting.pk)
    context = _event_context(request, meeting, form=form)
    return render(request, "meetings/events/event_detail.html", context, status=400)


def event_registered(request, pk):
    meeting = _event(request, pk)
    return render(request, "meetings/events/registered.html", {"meeting": meeting})


def _by_token(token: str) -> Registration:
    registration = (
        Registration.objects.select_related("meeting", "meeting__body").filter(token=token).first()
    )
    if registration is None:
        raise Http404(_("This link is not valid (any more)."))
    return registration


@never_cache
def registration_confirm(request, token):
    """The link in the first mail. A GET only shows the button: mail scanners open
    links, and they must not confirm anything."""
    registration = _by_token(token)
    if request.method == "POST":
        try:
            registration = services.confirm(token=token)
        except services.RegistrationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("meetings:registration_cancel", token=token)
    return render(request, "meetings/events/confirm.html", _token_context(registration), status=200)


@never_cache
def registration_cancel(request, token):
    """The personal page of a registration: its state, and the button to cancel."""
    registration = _by_token(token)
    if request.method == "POST":
        try:
            services.cancel(token=token)
        except services.RegistrationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your registration has been cancelled."))
        return redirect("meetings:registration_cancel", token=token)
    return render(request, "meetings/events/registration.html", _token_context(registration))


def _token_context(registration: Registration) -> dict:
    meeting = registration.meeting
    return {
        "registration": registration,
        "meeting": meeting,
        "may_cancel": registration.status != RegistrationStatus.CANCELLED
        and registration.checked_in_at is None
        and timezone.now() < meeting.start,
        "token_page": True,
    }


# --- staff --------------------------------------------------------------------------


def _registrations(meeting: Meeting):
    return Registration.objects.filter(meeting=meeting).order_by(
        "status", "position", "created_at", "pk"
    )


@login_required
def registration_list(request, pk):
    meeting = _staff_event(request, pk)
    rows = list(_registrations(meeting))
    return render(
        request,
        "meetings/events/registrations.html",
        {
            "meeting": meeting,
            "seats": services.seats(meeting),
            "groups": [
                (value, label, [r for r in rows if r.status == value])
                for value, label in RegistrationStatus.choices
            ],
            "archived_count": RegistrationCount.objects.filter(meeting=meeting).first(),
        },
    )


@login_required
def check_in(request, pk):
    """The door list on a phone: find a name, tap to check in (or take it back)."""
    meeting = _staff_event(request, pk)
    search = CheckInSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    if request.method == "POST":
        # Not a number (a tampered form): no such registration, rather than a crash.
        pk = request.POST.get("registration", "")
        registration = get_object_or_404(
            Registration, meeting=meeting, pk=pk if pk.isascii() and pk.isdigit() else None
        )
        try:
            registration = services.check_in(
                registration=registration, undo=request.POST.get("undo") == "1"
            )
        except services.RegistrationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if registration.checked_in_at:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": registration.name}
                )
            else:
                messages.success(
                    request, _("Check-in of %(name)s taken back.") % {"name": registration.name}
                )
        url = reverse("meetings:event_check_in", args=[meeting.pk])
        back = request.POST.get("q", "").strip()
        if back:
            url += "?" + urlencode({"q": back})
        return redirect(url)
    rows = Registration.objects.filter(meeting=meeting, status=RegistrationStatus.CONFIRMED)
    if query:
        rows = rows.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(organisation__icontains=query)
        )
    return render(
        request,
        "meetings/events/check_in.html",
        {
            "meeting": meeting,
            "search": search,
            "query": query,
            "rows": rows.order_by("name", "pk"),
            "seats": services.seats(meeting),
        },
    )


@login_required
def registration_csv(request, pk):
    meeting = _staff_event(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"anmeldungen-{meeting.pk}-{timezone.localdate(meeting.start):%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # Excel reads UTF-8 only with the byte order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Name"),
            _("E-mail address"),
            _("Organisation"),
            _("Status"),
            _("Place on the waiting list"),
            _("Registered at"),
            _("Confirmed at"),
            _("Checked in at"),
        ]
    )

    def moment(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for row in _registrations(meeting):
        writer.writerow(
            [
                csv_safe(row.name),
                csv_safe(row.email),
                csv_safe(row.organisation),
                row.get_status_display(),
                row.position if row.status == RegistrationStatus.WAITING else "",
                moment(row.created_at),
                moment(row.confirmed_at),
                moment(row.checked_in_at),
            ]
        )
    return response
