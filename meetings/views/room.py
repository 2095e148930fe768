"""In the room: the chair's phone page during a large assembly (commitments as they are
made, counts of a show of hands), and the staff's check of the recorded commitments.

Whoever runs the meeting (``meetings.change_meeting``: AKS staff and the body's chair)
uses the room; the check is the staff's (``meetings.check_commitment``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bodies import services as poll_services
from bodies.access import get_visible_or_404, may
from bodies.forms import AnalogCountsForm
from bodies.models import Poll

from .. import room as services
from ..forms_public import CheckCommitmentForm, RoomCommitmentForm, shared_choices
from ..models import Commitment, Meeting
from .meetings import _refuse


def _room_meeting(request, pk) -> Meeting:
    """The meeting of a room view (each is ``login_required``): 404 if hidden, 403 if
    the reader may not run it."""
    meeting = get_visible_or_404(
        Meeting.objects.select_related("body", "series"), request.user, pk=pk
    )
    if not request.user.has_perm("meetings.change_meeting", meeting):
        raise PermissionDenied
    return meeting


def _counts_form(poll: Poll, data=None) -> AnalogCountsForm:
    # One form per poll on the page: the prefix keeps their field ids apart.
    return AnalogCountsForm(data, options=poll.options.all(), prefix=f"poll{poll.pk}")


def _room_context(request, meeting, *, form=None, counts_forms=None) -> dict:
    # Only the polls the reader counts: a staff member in the room of a body the AKS team
    # does not run gets no counts form for it. One check per body, not per poll: the
    # polls are already the visible ones, so the answer depends on the body alone.
    managed: dict[int, bool] = {}
    polls = []
    for poll in services.room_polls(meeting, request.user):
        if poll.body_id not in managed:
            managed[poll.body_id] = request.user.has_perm("bodies.manage_poll", poll)
        if managed[poll.body_id]:
            polls.append(poll)
    counts_forms = counts_forms or {}
    for poll in polls:
        poll.counts_form = counts_forms.get(poll.pk) or _counts_form(poll)
    return {
        "meeting": meeting,
        "form": form or RoomCommitmentForm(),
        "commitments": list(services.meeting_commitments(meeting, request.user)),
        "polls": polls,
        "may_check": _checks_commitments(request.user),
    }


def _checks_commitments(user) -> bool:
    """Those who check commitments, asked without an object for the review list; the
    single commitment asks ``meetings.check_commitment``."""
    return may(user, "meetings.check_commitment")


@login_required
def room(request, pk):
    """The phone page: record a commitment, enter the counts of open analog polls."""
    meeting = _room_meeting(request, pk)
    if request.method == "POST":
        form = RoomCommitmentForm(request.POST)
        if form.is_valid():
            try:
                services.record_commitment(meeting=meeting, by=request.user, **form.cleaned_data)
            except services.RoomError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Recorded. It goes public once the staff have checked it."),
                )
                return redirect("meetings:room", pk=meeting.pk)
        return render(
            request,
            "meetings/public/room.html",
            _room_context(request, meeting, form=form),
            status=400,
        )
    return render(request, "meetings/public/room.html", _room_context(request, meeting))


def _room_poll(request, meeting, poll_pk) -> Poll:
    poll = next((p for p in services.room_polls(meeting, request.user) if p.pk == poll_pk), None)
    if poll is None:  # not on this meeting's agenda, not open, or not counted in the room
        raise Http404(_("Not found."))
    if not request.user.has_perm("bodies.manage_poll", poll):
        raise PermissionDenied
    return poll


@login_required
@require_POST
def room_counts(request, pk, poll):
    meeting = _room_meeting(request, pk)
    poll = _room_poll(request, meeting, poll)
    form = _counts_form(poll, request.POST)
    if form.is_valid():
        try:
            poll_services.enter_analog_counts(
                poll=poll,
                counts=form.counts(),
                valid=form.cleaned_data["valid"],
                invalid=form.cleaned_data["invalid"],
            )
        except poll_services.VotingError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The counts for “%(title)s” have been saved.") % {"title": poll.title}
            )
            return redirect(reverse("meetings:room", args=[meeting.pk]) + f"#poll-{poll.pk}")
    context = _room_context(request, meeting, counts_forms={poll.pk: form})
    return render(request, "meetings/public/room.html", context, status=400)


@login_required
@require_POST
def room_close_poll(request, pk, poll):
    meeting = _room_meeting(request, pk)
    poll = _room_poll(request, meeting, poll)
    try:
        poll = poll_services.close_poll(poll=poll)
    except poll_services.VotingError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("“%(title)s” is closed: %(result)s")
            % {"title": poll.title, "result": poll_services.explain_result(poll)},
        )
    return redirect("meetings:room", pk=meeting.pk)


# --- the staff check -----------------------------------------------------------------------


def _require_staff(request):
    if _checks_commitments(request.user):
        return None
    return _refuse(request)


def commitment_review(request):
    """The commitments recorded in the room that wait for the check."""
    refusal = _require_staff(request)
    if refusal:
        return refusal
    rows = list(services.pending_commitments(request.user))
    choices = shared_choices() if rows else None
    for commitment in rows:
        commitment.check_form = CheckCommitmentForm(commitment=commitment, choices=choices)
    return render(request, "meetings/public/commitment_review.html", {"commitments": rows})


def _pending(request, pk) -> Commitment:
    commitment = get_visible_or_404(
        Commitment.objects.select_related("meeting__body", "organisation", "person"),
        request.user,
        pk=pk,
    )
    if not request.user.has_perm("meetings.check_commitment", commitment):
        raise PermissionDenied
    return commitment


# Signed-in people who may not see the pending commitment get 404 from ``_pending``
# (it is the staff's until checked).
@login_required
@require_POST
def commitment_check(request, pk):
    commitment = _pending(request, pk)
    form = CheckCommitmentForm(request.POST, commitment=commitment)
    if form.is_valid():
        try:
            services.check_commitment(commitment=commitment, by=request.user, **form.cleaned_data)
        except services.RoomError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The commitment has been checked and is now listed."))
        return redirect("meetings:commitment_review")
    rows = list(services.pending_commitments(request.user))
    if all(row.pk != commitment.pk for row in rows):
        # Checked meanwhile (another tab, another person): its form has no place on the
        # page, so its errors would go unseen.
        messages.error(request, _("This commitment has already been checked."))
        return redirect("meetings:commitment_review")
    choices = shared_choices()
    for row in rows:
        row.check_form = (
            form
            if row.pk == commitment.pk
            else CheckCommitmentForm(commitment=row, choices=choices)
        )
    return render(
        request, "meetings/public/commitment_review.html", {"commitments": rows}, status=400
    )


@login_required
@require_POST
def commitment_discard(request, pk):
    commitment = _pending(request, pk)
    try:
        services.discard_commitment(commitment=commitment)
    except services.RoomError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The recorded commitment has been discarded."))
    return redirect("meetings:commitment_review")
