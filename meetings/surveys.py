"""Topic surveys of an event series: the registrants approve of the topics they want
next (seed 004: "Die Themen wurden mithilfe einer Umfrage priorisiert").

Who votes: every confirmed registration for an event of the series, through the
personal link in the invitation mail (the registration's token). One vote per
registration is a database constraint (``topic_vote_one_per_registration``); and since
one address may have registered for several events of the series, the service also
counts one vote per address. Votes wait on the survey's row lock, so that check and the
closing of the survey never race with a vote.

Why not ``bodies.Poll``: see ``TopicSurvey``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aks.mail.models import MailKind
from aks.mail.services import queue_mail

from .models import (
    MeetingSeries,
    Registration,
    RegistrationStatus,
    SurveyStatus,
    TopicOption,
    TopicSurvey,
    TopicVote,
)


class SurveyError(ValidationError):
    """A survey change or vote that is not allowed, with a message for the person."""


def _ensure(condition: bool, message) -> None:
    if not condition:
        raise SurveyError(message)


def _locked(survey: TopicSurvey) -> TopicSurvey:
    return (
        TopicSurvey.objects.select_for_update(of=("self",))
        .select_related("series")
        .get(pk=survey.pk)
    )


def clean_labels(labels: list[str]) -> list[str]:
    cleaned = [label.strip() for label in labels if label.strip()]
    _ensure(len(cleaned) >= 2, _("A survey needs at least two topics."))
    _ensure(
        len({label.casefold() for label in cleaned}) == len(cleaned),
        _("Each topic may appear only once."),
    )
    return cleaned


@transaction.atomic
def create_survey(
    *, series: MeetingSeries, title: str, options: list[str], question: str = "", by=None
) -> TopicSurvey:
    """A draft survey with its topics; nobody is invited before it opens."""
    labels = clean_labels(options)
    survey = TopicSurvey(series=series, title=title.strip(), question=question.strip())
    survey.created_by = by
    survey.full_clean()
    survey.save()
    TopicOption.objects.bulk_create(
        TopicOption(survey=survey, label=label, position=i) for i, label in enumerate(labels)
    )
    return survey


@transaction.atomic
def open_survey(*, survey: TopicSurvey) -> tuple[TopicSurvey, int]:
    """Open the survey and invite the registrants; returns it and the mails queued."""
    survey = _locked(survey)
    _ensure(survey.status == SurveyStatus.DRAFT, _("Only a draft survey can be opened."))
    survey.status = SurveyStatus.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "opened_at"])
    return survey, invite_registrants(survey=survey)


@transaction.atomic
def close_survey(*, survey: TopicSurvey) -> TopicSurvey:
    """Close it: no more votes, and the result is public from now on."""
    survey = _locked(survey)
    _ensure(survey.status == SurveyStatus.OPEN, _("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    return survey


def voters(survey: TopicSurvey):
    """The registrations that may vote: confirmed, for an event of the survey's series."""
    return Registration.objects.filter(
        meeting__series_id=survey.series_id, status=RegistrationStatus.CONFIRMED
    )


@transaction.atomic
def invite_registrants(*, survey: TopicSurvey) -> int:
    """Mail the personal voting link to each address among the voters, once.

    Safe to run again (after more people confirmed): the outbox key makes each
    invitation go out once. One mail per address, with its latest registration's
    link. The key starts like the registration's other mails, so the mail is deleted
    with the registrant's data after the event."""
    from .registration import _absolute, _key_prefix

    survey = _locked(survey)
    _ensure(survey.status == SurveyStatus.OPEN, _("Invitations go out while the survey is open."))
    latest: dict[str, Registration] = {}
    for registration in voters(survey).select_related("meeting").order_by("pk"):
        latest[registration.email] = registration
    queued = 0
    for registration in latest.values():
        meeting = registration.meeting
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "site_url": settings.SITE_URL,
                "registration": registration,
                "meeting": meeting,
                "survey": survey,
                "vote_url": _absolute(
                    reverse("meetings:survey_vote", args=[survey.pk, registration.token])
                ),
                "cancel_url": _absolute(
                    reverse("meetings:registration_cancel", args=[registration.token])
                ),
            }
            subject = _("Which topics next? %(title)s") % {"title": survey.series.title}
            text = render_to_string("meetings/public/mail/survey_invitation.txt", context)
            html = render_to_string("meetings/public/mail/survey_invitation.html", context)
        message = queue_mail(
            kind=MailKind.REGISTRATION,
            key=f"{_key_prefix(meeting)}{registration.pk}-survey-{survey.pk}",
            recipient=registration.email,
            subject=" ".join(subject.split())[:300],
            body_text=text,
            body_html=html,
        )
        queued += message is not None
    return queued


def _voter(survey: TopicSurvey, token: str) -> Registration | None:
    return voters(survey).filter(token=token).select_related("meeting").first()


def vote_of(*, survey: TopicSurvey, token: str) -> TopicVote | None:
    """The vote already cast through this link (or by its address), if any."""
    registration = Registration.objects.filter(token=token).first()
    if registration is None:
        return None
    return (
        TopicVote.objects.filter(
            survey=survey,
            registration__email=registration.email,
            registration__meeting__series_id=survey.series_id,
        )
        .prefetch_related("options")
        .first()
    )


def cast_vote(*, survey: TopicSurvey, token: str, option_ids: list[int]) -> TopicVote:
    """Cast the vote of the registration behind ``token``: the topics it approves of."""
    try:
        with transaction.atomic():
            survey = _locked(survey)
            _ensure(survey.status == SurveyStatus.OPEN, _("This survey is not open."))
            registration = _voter(survey, token)
            _ensure(
                registration is not None,
                _("Only confirmed registrants of this series can take part in the survey."),
            )
            _ensure(
                vote_of(survey=survey, token=token) is None,
                _("You have already taken part in this survey."),
            )
            chosen = set(option_ids)
            valid = set(survey.options.values_list("pk", flat=True))
            _ensure(bool(chosen), _("Please choose at least one topic."))
            _ensure(chosen <= valid, _("Please choose among the topics of this survey."))
            vote = TopicVote.objects.create(survey=survey, registration=registration)
            vote.options.set(sorted(chosen))
            return vote
    except IntegrityError as error:
        # The constraint, should the lock ever be bypassed: the first vote stands.
        raise SurveyError(_("You have already taken part in this survey.")) from error


@dataclass(frozen=True)
class Tally:
    option: TopicOption
    votes: int
    share: int  # percent of the ballots, rounded


def results(survey: TopicSurvey) -> tuple[list[Tally], int]:
    """Votes per topic, the most approved first, and the number of ballots (two queries)."""
    ballots = survey.votes.count()
    options = survey.options.annotate(n=Count("votes")).order_by("-n", "position", "pk")
    return [
        Tally(option=o, votes=o.n, share=round(100 * o.n / ballots) if ballots else 0)
        for o in options
    ], ballots
