"""Planning pages: series, single meetings and their status, editing agenda items.

Every page here changes something: anonymous visitors are sent to log in before the
object is looked up, so the answer tells them nothing about it. Then the kernel decides:
404 for what the reader may not see, 403 for what they may see but not change.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bodies.access import get_visible_or_404
from bodies.forms import add_service_errors
from spaces.models import Space

from .. import calendar, selectors, services
from ..forms_planning import (
    WEEK_OF_MONTH_CHOICES,
    AgendaItemEditForm,
    EndSeriesForm,
    MeetingForm,
    MeetingStatusForm,
    SeriesForm,
    SeriesParticipantsForm,
)
from ..models import AgendaItem, Meeting, MeetingSeries
from .meetings import _meeting, _refuse


def _planning_bodies(user):
    """The bodies the user may plan meetings for; nobody without one gets the form."""
    bodies = selectors.planning_bodies(user=user)
    if not bodies.exists():
        raise PermissionDenied
    return bodies


def _visible_spaces(user):
    return Space.objects.visible_to(user).order_by("name", "pk")


def _status(request) -> int:
    return 400 if request.method == "POST" else 200


# --- Single meetings ---------------------------------------------------------------------


@login_required
def meeting_create(request):
    bodies = _planning_bodies(request.user)
    form = MeetingForm(
        request.POST or None,
        bodies=bodies,
        spaces=_visible_spaces(request.user),
        initial={"body": request.GET.get("body")},
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if not request.user.has_perm("meetings.add_meeting", arguments["body"]):
            raise PermissionDenied
        try:
            meeting = services.create_meeting(**arguments)
        except services.MeetingError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been created."))
            return redirect(meeting)
    return render(
        request, "meetings/planning/meeting_form.html", {"form": form}, status=_status(request)
    )


def _edit_context(request, meeting, form=None, status_form=None) -> dict:
    return {
        "meeting": meeting,
        "form": form or MeetingForm(instance=meeting, spaces=_visible_spaces(request.user)),
        "status_form": status_form or MeetingStatusForm(meeting=meeting),
    }


@login_required
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.change_meeting", meeting):
        return _refuse(request)
    form = MeetingForm(request.POST or None, instance=meeting, spaces=_visible_spaces(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting=meeting, **form.service_arguments())
        except services.MeetingError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been changed."))
            return redirect(meeting)
    return render(
        request,
        "meetings/planning/meeting_form.html",
        _edit_context(request, meeting, form=form),
        status=_status(request),
    )


@login_required
@require_POST
def meeting_status(request, pk):
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.change_meeting", meeting):
        return _refuse(request)
    form = MeetingStatusForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.change_meeting_status(
                meeting=meeting, status=form.cleaned_data["status"], by=request.user
            )
        except services.MeetingError as error:
            form.add_error("status", error)
        else:
            messages.success(request, _("The status of the meeting has been changed."))
            return redirect(meeting)
    return render(
        request,
        "meetings/planning/meeting_form.html",
        _edit_context(request, meeting, status_form=form),
        status=400,
    )


# --- Series --------------------------------------------------------------------------------


@login_required
def series_create(request):
    bodies = _planning_bodies(request.user)
    form = SeriesForm(
        request.POST or None, bodies=bodies, initial={"body": request.GET.get("body")}
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if not request.user.has_perm("meetings.add_meeting", arguments["body"]):
            raise PermissionDenied
        try:
            series, meetings = services.create_series(**arguments)
        except services.MeetingError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The series has been created with %(count)d meeting.",
                    "The series has been created with %(count)d meetings.",
                    len(meetings),
                )
                % {"count": len(meetings)},
            )
            return redirect("meetings:series_detail", pk=series.pk)
    return render(
        request, "meetings/planning/series_form.html", {"form": form}, status=_status(request)
    )


def _series(request, pk) -> MeetingSeries:
    return get_visible_or_404(MeetingSeries.objects.select_related("body"), request.user, pk=pk)


def _subscribe_context(request, series) -> dict:
    """Where to subscribe to the series: signed-in readers through their personal
    address (feeds never read the session), everyone else through the public one if the
    public may see the series."""
    context = {"public_feed": calendar.series_has_public_feed(series)}
    if request.user.is_authenticated:
        token = calendar.calendar_token_for(user=request.user)
        if token is None:
            context["needs_token"] = True
        else:
            context["personal_feed"] = reverse(
                "meetings:calendar_personal_series", kwargs={"token": token.token, "pk": series.pk}
            )
    return context


def _series_context(request, series, end_form=None, participants_form=None) -> dict:
    meetings = (
        Meeting.objects.visible_to(request.user).filter(series=series).order_by("start", "pk")
    )
    page = Paginator(meetings, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "series": series,
        "page": page,
        "week_label": dict(WEEK_OF_MONTH_CHOICES).get(series.week_of_month)
        if series.week_of_month
        else None,
        **_subscribe_context(request, series),
    }
    if request.user.has_perm("meetings.change_meetingseries", series):
        context["end_form"] = end_form or EndSeriesForm(
            initial={"on": series.until or timezone.localdate()}
        )
        context["participants_form"] = participants_form or SeriesParticipantsForm(series=series)
        context["participants"] = list(series.participants.order_by("name"))
    return context


def series_detail(request, pk):
    series = _series(request, pk)
    return render(request, "meetings/planning/series_detail.html", _series_context(request, series))


@login_required
@require_POST
def series_end(request, pk):
    series = _series(request, pk)
    if not request.user.has_perm("meetings.change_meetingseries", series):
        return _refuse(request)
    form = EndSeriesForm(request.POST)
    if form.is_valid():
        on = form.cleaned_data["on"]
        try:
            cancelled = services.end_series(series=series, on=on)
        except services.MeetingError as error:
            form.add_error("on", error)
        else:
            messages.success(
                request,
                ngettext(
                    "The series ends on %(date)s; %(count)d later meeting has been cancelled.",
                    "The series ends on %(date)s; %(count)d later meetings have been cancelled.",
                    cancelled,
                )
                % {"date": date_format(on, "SHORT_DATE_FORMAT"), "count": cancelled},
            )
            return redirect("meetings:series_detail", pk=series.pk)
    return render(
        request,
        "meetings/planning/series_detail.html",
        _series_context(request, series, end_form=form),
        status=400,
    )


@login_required
@require_POST
def series_participants(request, pk):
    series = _series(request, pk)
    if not request.user.has_perm("meetings.change_meetingseries", series):
        return _refuse(request)
    form = SeriesParticipantsForm(request.POST, series=series)
    if form.is_valid():
        changed = services.set_series_participants(
            series=series, participants=form.cleaned_data["participants"]
        )
        messages.success(
            request,
            ngettext(
                "The standing participants have been saved; %(count)d meeting ahead follows.",
                "The standing participants have been saved; %(count)d meetings ahead follow.",
                changed,
            )
            % {"count": changed},
        )
        return redirect("meetings:series_detail", pk=series.pk)
    return render(
        request,
        "meetings/planning/series_detail.html",
        _series_context(request, series, participants_form=form),
        status=400,
    )


# --- Agenda items ----------------------------------------------------------------------------


@login_required
def agenda_edit(request, pk, item):
    meeting = _meeting(request, pk)
    agenda_item = get_visible_or_404(
        AgendaItem.objects.filter(meeting=meeting).select_related("parent"),
        request.user,
        pk=item,
    )
    agenda_item.meeting = meeting
    if not request.user.has_perm("meetings.change_agendaitem", agenda_item):
        return _refuse(request)
    choices = selectors.agenda_link_choices(meeting=meeting, user=request.user)
    form = AgendaItemEditForm(
        request.POST or None, item=agenda_item, choices=choices, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agenda_item(
                item=agenda_item, by=request.user, **form.service_arguments()
            )
        except services.MeetingError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agenda item has been changed."))
            return redirect(f"{meeting.get_absolute_url()}#agenda-item-{agenda_item.pk}")
    return render(
        request,
        "meetings/planning/agenda_item_form.html",
        {"meeting": meeting, "item": agenda_item, "form": form},
        status=_status(request),
    )
