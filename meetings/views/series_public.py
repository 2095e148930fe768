"""The public page of an event series, the staff's live page for collecting
recommendations during an event, and the series' topic surveys (issue #7)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bodies.access import get_visible_or_404

from .. import surveys
from ..forms_public import RecommendationForm, SurveyForm, TopicVoteForm
from ..models import (
    Meeting,
    MeetingSeries,
    MinuteEntry,
    Minutes,
    MinuteSection,
    Registration,
    SurveyStatus,
    TopicSurvey,
)
from ..registration import EVENT_KINDS
from ..services import MeetingError, add_recommendation
from .meetings import _refuse


def _series(request, pk) -> MeetingSeries:
    return get_visible_or_404(
        MeetingSeries.objects.filter(kind__in=EVENT_KINDS).select_related("body"),
        request.user,
        pk=pk,
    )


def series_page(request, pk):
    """All events of the series the reader may see, upcoming first, then the past ones
    with their documentation; the surveys; the report."""
    series = _series(request, pk)
    user = request.user
    now = timezone.now()
    events = list(
        Meeting.objects.visible_to(user)
        .filter(series=series)
        .annotate(
            recommendation_count=Count(
                "minutes__entries",
                filter=Q(
                    minutes__entries__section=MinuteSection.RECOMMENDATION,
                    minutes__entries__in=MinuteEntry.objects.visible_to(user),
                ),
            )
        )
        .select_related("space")
        .order_by("start", "pk")
    )
    may_manage = user.has_perm("meetings.manage_survey", series)
    survey_list = TopicSurvey.objects.filter(series=series)
    if not may_manage:
        survey_list = survey_list.exclude(status=SurveyStatus.DRAFT)
    return render(
        request,
        "meetings/public/series.html",
        {
            "series": series,
            "upcoming": [e for e in events if e.end >= now],
            "past": sorted((e for e in events if e.end < now), key=lambda e: e.start, reverse=True),
            "surveys": list(survey_list),
            "may_manage": may_manage,
            "may_plan": user.has_perm("meetings.change_meetingseries", series),
        },
    )


# --- live recommendations ------------------------------------------------------------------


def _live_event(request, pk) -> Meeting:
    meeting = get_visible_or_404(
        Meeting.objects.filter(kind__in=EVENT_KINDS).select_related("body", "series"),
        request.user,
        pk=pk,
    )
    if not request.user.has_perm("meetings.record_meeting", meeting):
        raise PermissionDenied
    return meeting


def _recommendations(meeting: Meeting, user) -> list[MinuteEntry]:
    return list(
        MinuteEntry.objects.visible_to(user)
        .filter(minutes__meeting=meeting, section=MinuteSection.RECOMMENDATION)
        .order_by("-position", "-pk")
    )


@login_required
def live_recommendations(request, pk):
    """Collect recommendations while the event runs: a small form that posts (with htmx
    in place, without it as a plain form) and the list, the newest on top."""
    meeting = _live_event(request, pk)
    form = RecommendationForm()
    just_added = None
    status = 200
    if request.method == "POST":
        form = RecommendationForm(request.POST)
        # Minutes not started yet will take the meeting's level, which the recorder
        # may see and record (``record_meeting``, asked above).
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is not None and not request.user.has_perm("meetings.change_minutes", minutes):
            raise PermissionDenied
        if form.is_valid():
            try:
                just_added = add_recommendation(
                    meeting=meeting,
                    level=form.cleaned_data["level"],
                    text=form.cleaned_data["text"],
                )
            except MeetingError as error:
                form.add_error(None, error)
            else:
                if not request.htmx:
                    messages.success(request, _("The recommendation has been added."))
                    return redirect("meetings:event_recommendations", pk=meeting.pk)
                # A fresh form, keeping the level: the next one is often on the same level.
                form = RecommendationForm(initial={"level": form.cleaned_data["level"]})
        if not form.is_bound or form.errors:
            status = 400 if form.errors else 200
    context = {
        "meeting": meeting,
        "form": form,
        "entries": _recommendations(meeting, request.user),
        "just_added": just_added,
    }
    if request.htmx:
        return render(request, "meetings/public/_live_recommendations.html", context, status=status)
    return render(request, "meetings/public/recommendations.html", context, status=status)


# --- topic surveys -------------------------------------------------------------------------


def _survey(request, pk) -> TopicSurvey:
    """A survey as visible as its series; a draft only for those who manage it."""
    survey = (
        TopicSurvey.objects.filter(series__in=MeetingSeries.objects.visible_to(request.user), pk=pk)
        .select_related("series__body")
        .first()
    )
    if survey is None:
        raise Http404(_("Not found."))
    if survey.status == SurveyStatus.DRAFT and not request.user.has_perm(
        "meetings.manage_survey", survey.series
    ):
        raise Http404(_("Not found."))
    return survey


@login_required
def survey_create(request, pk):
    series = _series(request, pk)
    if not request.user.has_perm("meetings.manage_survey", series):
        return _refuse(request)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = surveys.create_survey(
                series=series,
                title=form.cleaned_data["title"],
                question=form.cleaned_data["question"],
                options=form.labels(),
                by=request.user,
            )
        except surveys.SurveyError as error:
            form.add_error("options", error)
        else:
            messages.success(request, _("The survey has been created as a draft."))
            return redirect(survey)
    status = 400 if form.errors else 200
    return render(
        request, "meetings/public/survey_form.html", {"series": series, "form": form}, status=status
    )


def survey_detail(request, pk):
    """The result for everyone once closed; while open, how to take part; for the
    staff, the running count and the buttons."""
    survey = _survey(request, pk)
    may_manage = request.user.has_perm("meetings.manage_survey", survey.series)
    context = {"survey": survey, "may_manage": may_manage}
    if survey.status == SurveyStatus.CLOSED or may_manage:
        context["tallies"], context["ballots"] = surveys.results(survey)
    else:
        context["ballots"] = survey.votes.count()
    context["options"] = list(survey.options.all())
    if may_manage:
        context["voter_count"] = surveys.voters(survey).values("email").distinct().count()
    return render(request, "meetings/public/survey_detail.html", context)


@login_required
@require_POST
def survey_status(request, pk):
    survey = _survey(request, pk)
    if not request.user.has_perm("meetings.manage_survey", survey.series):
        return _refuse(request)
    action = request.POST.get("action")
    try:
        if action == "open":
            survey, queued = surveys.open_survey(survey=survey)
            messages.success(request, _invited(queued, opened=True))
        elif action == "invite":
            queued = surveys.invite_registrants(survey=survey)
            messages.success(request, _invited(queued, opened=False))
        elif action == "close":
            surveys.close_survey(survey=survey)
            messages.success(request, _("The survey is closed; its result is public."))
        else:
            messages.error(request, _("Unknown action."))
    except surveys.SurveyError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(survey)


def _invited(count: int, *, opened: bool) -> str:
    if opened:
        return ngettext(
            "The survey is open; %(count)d invitation has been sent.",
            "The survey is open; %(count)d invitations have been sent.",
            count,
        ) % {"count": count}
    return ngettext(
        "%(count)d new invitation has been sent.",
        "%(count)d new invitations have been sent.",
        count,
    ) % {"count": count}


@never_cache
def survey_vote(request, pk, token):
    """The personal link in the invitation. A GET only shows the form (mail scanners
    open links); the vote is a POST."""
    survey = (
        TopicSurvey.objects.filter(pk=pk)
        .exclude(status=SurveyStatus.DRAFT)
        .select_related("series")
        .first()
    )
    registration = (
        Registration.objects.filter(token=token, meeting__series_id=survey.series_id)
        .select_related("meeting")
        .first()
        if survey
        else None
    )
    if survey is None or registration is None:
        raise Http404(_("This link is not valid (any more)."))
    options = list(survey.options.all())
    data = request.POST if request.method == "POST" else None
    form = TopicVoteForm(data, survey_options=options)
    status = 200
    if request.method == "POST" and survey.status == SurveyStatus.OPEN:
        if form.is_valid():
            try:
                surveys.cast_vote(
                    survey=survey, token=token, option_ids=form.cleaned_data["options"]
                )
            except surveys.SurveyError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you: your vote has been counted."))
                return redirect("meetings:survey_vote", pk=survey.pk, token=token)
        status = 400
    vote = surveys.vote_of(survey=survey, token=token)
    return render(
        request,
        "meetings/public/survey_vote.html",
        {
            "survey": survey,
            "registration": registration,
            "form": form,
            "vote": vote,
            "chosen": {o.pk for o in vote.options.all()} if vote else set(),
            "options": options,
            "token_page": True,
        },
        status=status,
    )
