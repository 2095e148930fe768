"""Meeting pages: list, detail with the agenda, printable agenda, attendance."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bodies.access import get_visible_or_404
from bodies.models import Person

from .. import selectors, services
from ..filters import MeetingFilter
from ..forms import AgendaItemForm, AttendanceForm
from ..models import (
    AgendaItem,
    Attendance,
    GuidingQuestionStatus,
    Meeting,
    MeetingStatus,
    Minutes,
)


def _meeting(request, pk) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.select_related("body", "series", "space", "moderator", "minute_taker"),
        request.user,
        pk=pk,
    )


def _refuse(request):
    """Seen but not changeable: anonymous readers are asked to log in, others get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _minutes_url(meeting: Meeting) -> str:
    try:
        return reverse("meetings:minutes", args=[meeting.pk])
    except NoReverseMatch:  # the minutes pages are not mounted
        return f"/sitzungen/{meeting.pk}/protokoll/"


def _parents(meeting: Meeting, user):
    return (
        AgendaItem.objects.visible_to(user)
        .filter(meeting=meeting, parent=None, standing=False)
        .order_by("position", "pk")
    )


def meeting_list(request):
    meeting_filter = MeetingFilter(
        request.GET, queryset=selectors.visible_meetings(request.user), request=request
    )
    meetings = meeting_filter.qs.order_by("-start", "pk")
    page = Paginator(meetings, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_list.html", {"filter": meeting_filter, "page": page})


def _agenda_context(request, meeting: Meeting, can_change: bool) -> dict:
    numbered = selectors.agenda_with_links(meeting, request.user)
    context = {"meeting": meeting, "agenda": numbered, "can_change": can_change}
    if any(entry.item and entry.item.standing for entry in numbered):
        actions, commitments = selectors.rolled_forward(meeting, request.user)
        context["rolled_actions"] = actions
        context["rolled_commitments"] = commitments
    return context


def _detail_context(request, meeting: Meeting, form=None) -> dict:
    user = request.user
    can_change = user.has_perm("meetings.change_meeting", meeting)
    context = _agenda_context(request, meeting, can_change)
    questions = list(selectors.guiding_questions(meeting, user))
    context.update(
        {
            "space_visible": bool(
                meeting.space and user.has_perm("spaces.view_space", meeting.space)
            ),
            "questions": questions,
            "has_open_questions": any(q.status == GuidingQuestionStatus.OPEN for q in questions),
            "attendance": selectors.attendance_summary(meeting),
            "may_record_attendance": user.has_perm("meetings.record_meeting", meeting),
        }
    )
    if Minutes.objects.visible_to(user).filter(meeting=meeting).exists():
        context["minutes_url"] = _minutes_url(meeting)
    elif (
        meeting.status == MeetingStatus.HELD
        and context["may_record_attendance"]
        and not Minutes.objects.filter(meeting=meeting).exists()
    ):
        context["may_start_minutes"] = True
    if can_change:
        context["form"] = form or AgendaItemForm(
            meeting=meeting, parents=_parents(meeting, user), user=user
        )
        # Those who prepare the meeting read the councillor's sign-off and comments here.
        context["reviews"] = selectors.agenda_reviews(meeting)
        context["participants"] = list(meeting.participants.order_by("name"))
    return context


def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


def agenda_print(request, pk):
    meeting = _meeting(request, pk)
    context = _agenda_context(request, meeting, can_change=False)
    context["space_visible"] = bool(
        meeting.space and request.user.has_perm("spaces.view_space", meeting.space)
    )
    return render(request, "meetings/agenda_print.html", context)


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.change_meeting", meeting):
        return _refuse(request)
    form = AgendaItemForm(
        request.POST, meeting=meeting, parents=_parents(meeting, request.user), user=request.user
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_agenda_item(
                meeting=meeting,
                title=data["title"],
                parent=data["parent"],
                visibility=data["visibility"],
                duration_minutes=data["duration_minutes"],
                presenter=data["presenter"],
            )
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The agenda item has been added."))
            return redirect(meeting)
    response = render(
        request, "meetings/meeting_detail.html", _detail_context(request, meeting, form)
    )
    response.status_code = 400
    return response


@login_required
@require_POST
def agenda_move(request, pk, item):
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.change_meeting", meeting):
        return _refuse(request)
    agenda_item = get_visible_or_404(
        AgendaItem.objects.filter(meeting=meeting), request.user, pk=item
    )
    try:
        offset = int(request.POST.get("offset", ""))
    except ValueError:
        offset = 0
    if offset not in (-1, 1):
        messages.error(request, _("An item moves one place up or down."))
        return redirect(meeting)
    services.move_agenda_item(item=agenda_item, offset=offset)
    if request.htmx:
        return render(
            request,
            "meetings/_agenda.html",
            _agenda_context(request, meeting, can_change=True) | {"moved": agenda_item.pk},
        )
    return redirect(f"{meeting.get_absolute_url()}#agenda-item-{agenda_item.pk}")


@login_required
def attendance(request, pk):
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.record_meeting", meeting):
        return _refuse(request)
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("person"))
    people = Person.objects.exclude(attendances__meeting=meeting).order_by("name")
    form = AttendanceForm(request.POST or None, attendances=rows, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                meeting=meeting,
                statuses=form.statuses(),
                add_person=form.cleaned_data["add_person"],
                add_status=form.cleaned_data["add_status"],
            )
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The attendance has been saved."))
            return redirect("meetings:attendance", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/attendance.html",
        {"meeting": meeting, "form": form, "rows": rows},
        status=status,
    )


@login_required
@require_POST
def carry_over(request, pk):
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.change_meeting", meeting):
        return _refuse(request)
    try:
        carried = services.carry_over_questions(meeting=meeting)
    except services.MeetingError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d open guiding question carried over to the next meeting.",
                "%(count)d open guiding questions carried over to the next meeting.",
                len(carried),
            )
            % {"count": len(carried)},
        )
    return redirect(meeting)
