"""Writes on guiding questions (Leitfragen): prepared on a meeting or on one of its
agenda items, reordered, answered in the minutes, or carried over to the next meeting."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from bodies.access import never_more_open

from .models import (
    AgendaItem,
    GuidingQuestion,
    GuidingQuestionStatus,
    Meeting,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    MinuteSection,
)
from .services import MeetingError, _ensure, add_entry


def _check(*, meeting: Meeting, agenda_item: AgendaItem | None, visibility: str) -> None:
    _ensure(
        agenda_item is None or agenda_item.meeting_id == meeting.pk,
        _("The agenda item belongs to another meeting."),
    )
    _ensure(
        never_more_open(visibility, meeting.visibility),
        _("A guiding question cannot be more open than the meeting it belongs to."),
    )


def _locked(question: GuidingQuestion) -> GuidingQuestion:
    return GuidingQuestion.objects.select_for_update().select_related("meeting").get(pk=question.pk)


@transaction.atomic
def add_question(
    *,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    visibility: str | None = None,
) -> GuidingQuestion:
    """Append a question at the end of the meeting's questions."""
    visibility = visibility or meeting.visibility
    _check(meeting=meeting, agenda_item=agenda_item, visibility=visibility)
    last = meeting.guiding_questions.aggregate(Max("position"))["position__max"]
    question = GuidingQuestion(
        meeting=meeting,
        agenda_item=agenda_item,
        text=text,
        visibility=visibility,
        position=(last if last is not None else -1) + 1,
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def update_question(
    *,
    question: GuidingQuestion,
    text: str,
    agenda_item: AgendaItem | None,
    visibility: str,
) -> GuidingQuestion:
    question = _locked(question)
    _check(meeting=question.meeting, agenda_item=agenda_item, visibility=visibility)
    question.text = text
    question.agenda_item = agenda_item
    question.visibility = visibility
    question.full_clean()
    question.save(update_fields=["text", "agenda_item", "visibility"])
    return question


@transaction.atomic
def remove_question(*, question: GuidingQuestion) -> None:
    """Delete a question that has not travelled: one carried over from or to another
    meeting is part of that history and stays."""
    question = _locked(question)
    _ensure(
        question.carried_from_id is None and not hasattr(question, "carried_to"),
        _("A question carried over between meetings cannot be removed."),
    )
    question.delete()


@transaction.atomic
def move_question(*, question: GuidingQuestion, offset: int) -> None:
    """Move a question up (negative) or down (positive) among the meeting's questions."""
    questions = list(
        GuidingQuestion.objects.select_for_update()
        .filter(meeting_id=question.meeting_id)
        .order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(questions) if other.pk == question.pk)
    target = max(0, min(len(questions) - 1, index + offset))
    questions.insert(target, questions.pop(index))
    for position, other in enumerate(questions):
        other.position = position
    GuidingQuestion.objects.bulk_update(questions, ["position"])


@transaction.atomic
def answer_question(*, question: GuidingQuestion, answer: str) -> GuidingQuestion:
    question = _locked(question)
    _ensure(
        question.status != GuidingQuestionStatus.CARRIED_OVER,
        _("This question has been carried over; answer it at the next meeting."),
    )
    question.answer = answer
    question.status = GuidingQuestionStatus.ANSWERED
    question.save(update_fields=["answer", "status"])
    return question


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The next meeting of the series, or of the body for a meeting outside a series."""
    later = Meeting.objects.filter(start__gt=meeting.start).exclude(status=MeetingStatus.CANCELLED)
    if meeting.series_id:
        later = later.filter(series_id=meeting.series_id)
    else:
        later = later.filter(body_id=meeting.body_id)
    return later.order_by("start", "pk").first()


@transaction.atomic
def carry_over_question(*, question: GuidingQuestion) -> GuidingQuestion:
    """One open question moves to the next meeting; the old one keeps its history."""
    question = _locked(question)
    _ensure(
        question.status == GuidingQuestionStatus.OPEN,
        _("Only an open question can be carried over."),
    )
    target = next_meeting(question.meeting)
    _ensure(target is not None, _("There is no later meeting of this body to carry over to."))
    last = target.guiding_questions.aggregate(Max("position"))["position__max"]
    carried = GuidingQuestion.objects.create(
        meeting=target,
        text=question.text,
        carried_from=question,
        position=(last if last is not None else -1) + 1,
        visibility=question.visibility,
    )
    question.status = GuidingQuestionStatus.CARRIED_OVER
    question.save(update_fields=["status"])
    return carried


@transaction.atomic
def add_question_entry(
    *,
    minutes: Minutes,
    text: str,
    question: GuidingQuestion | None = None,
    agenda_item: AgendaItem | None = None,
    speaker=None,
    visibility: str | None = None,
) -> MinuteEntry:
    """A Leitfragen entry of the minutes. With ``question`` the entry is its answer and
    the question is marked answered; without, the entry states a new question of the
    meeting (as the import of the pipe format does)."""
    meeting = minutes.meeting
    if question is not None:
        _ensure(
            question.meeting_id == meeting.pk,
            _("The guiding question belongs to another meeting."),
        )
    entry = add_entry(
        minutes=minutes,
        section=MinuteSection.GUIDING_QUESTION,
        text=text,
        agenda_item=agenda_item,
        speaker=speaker,
        visibility=visibility,
    )
    if question is not None:
        answer_question(question=question, answer=text)
    else:
        add_question(
            meeting=meeting,
            text=text,
            agenda_item=agenda_item,
            visibility=entry.visibility,
        )
    return entry


__all__ = [
    "MeetingError",
    "add_question",
    "add_question_entry",
    "answer_question",
    "carry_over_question",
    "move_question",
    "next_meeting",
    "remove_question",
    "update_question",
]
