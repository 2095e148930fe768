"""Guiding questions (Leitfragen) of a meeting: prepare, edit, reorder, remove, answer,
carry over. Every page and action is for whoever runs the meeting; the meeting page
lists the questions with these controls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bodies.access import get_visible_or_404

from .. import services_questions as services
from ..forms_questions import AnswerForm, GuidingQuestionForm
from ..models import AgendaItem, GuidingQuestion, Meeting


def _meeting(request, pk) -> Meeting:
    meeting = get_visible_or_404(Meeting.objects.select_related("body"), request.user, pk=pk)
    if not request.user.has_perm("meetings.change_meeting", meeting):
        raise PermissionDenied
    return meeting


def _question(request, pk) -> GuidingQuestion:
    question = get_visible_or_404(
        GuidingQuestion.objects.select_related("meeting__body", "agenda_item"),
        request.user,
        pk=pk,
    )
    if not request.user.has_perm("meetings.change_guidingquestion", question):
        raise PermissionDenied
    return question


def _agenda_items(meeting, user):
    return AgendaItem.objects.visible_to(user).filter(meeting=meeting).order_by("position", "pk")


def _back(question_or_meeting) -> str:
    meeting = getattr(question_or_meeting, "meeting", question_or_meeting)
    return f"{meeting.get_absolute_url()}#questions-heading"


def _status(request) -> int:
    return 400 if request.method == "POST" else 200


@login_required
def question_add(request, pk):
    meeting = _meeting(request, pk)
    items = _agenda_items(meeting, request.user)
    initial = {}
    if request.GET.get("top", "").isdigit():
        initial["agenda_item"] = items.filter(pk=request.GET["top"]).first()
    form = GuidingQuestionForm(
        request.POST or None, meeting=meeting, agenda_items=items, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(meeting=meeting, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The guiding question has been added."))
            return redirect(_back(meeting))
    return render(
        request,
        "meetings/questions/question_form.html",
        {"meeting": meeting, "form": form},
        status=_status(request),
    )


@login_required
def question_edit(request, pk):
    question = _question(request, pk)
    meeting = question.meeting
    form = GuidingQuestionForm(
        request.POST or None,
        meeting=meeting,
        agenda_items=_agenda_items(meeting, request.user),
        initial={
            "text": question.text,
            "agenda_item": question.agenda_item,
            "visibility": question.visibility,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(question=question, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The guiding question has been changed."))
            return redirect(_back(question))
    return render(
        request,
        "meetings/questions/question_form.html",
        {"meeting": meeting, "question": question, "form": form},
        status=_status(request),
    )


@login_required
def question_answer(request, pk):
    question = _question(request, pk)
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_question(question=question, answer=form.cleaned_data["answer"])
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The guiding question is marked answered."))
            return redirect(_back(question))
    return render(
        request,
        "meetings/questions/question_answer.html",
        {"meeting": question.meeting, "question": question, "form": form},
        status=_status(request),
    )


@login_required
def question_remove(request, pk):
    question = _question(request, pk)
    errors = []
    if request.method == "POST":
        try:
            services.remove_question(question=question)
        except services.MeetingError as error:
            errors = error.messages
        else:
            messages.success(request, _("The guiding question has been removed."))
            return redirect(_back(question))
    return render(
        request,
        "meetings/questions/question_remove.html",
        {"meeting": question.meeting, "question": question, "errors": errors},
        status=_status(request),
    )


@login_required
@require_POST
def question_move(request, pk):
    question = _question(request, pk)
    offset = request.POST.get("offset", "")
    if offset not in ("-1", "1"):
        messages.error(request, _("A question moves one place up or down."))
    else:
        services.move_question(question=question, offset=int(offset))
    return redirect(f"{question.meeting.get_absolute_url()}#question-{question.pk}")


@login_required
@require_POST
def question_carry(request, pk):
    question = _question(request, pk)
    try:
        carried = services.carry_over_question(question=question)
    except services.MeetingError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The guiding question has been carried over to the meeting of %(date)s.")
            % {"date": date_format(timezone.localtime(carried.meeting.start), "SHORT_DATE_FORMAT")},
        )
    return redirect(_back(question))
