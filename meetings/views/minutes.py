"""Minutes, action items, commitments and the public commitments tracker.

Every action sends anonymous visitors to log in before the object is looked up, so
the answer tells them nothing about it. Then the kernel decides: 404 for what the
reader may not see, 403 for what the reader may see but not change. Every POST asks
the same rules the page asked before showing a button.
"""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bodies.access import get_visible_or_404
from bodies.history import history_rows_for, may_see_history
from bodies.models import Decision

from .. import selectors, services, services_questions
from ..filters import ActionItemFilter, CommitmentFilter
from ..forms import (
    ActionItemForm,
    ActionItemStatusForm,
    ApproveMinutesForm,
    CommitmentForm,
    CommitmentNoteForm,
    CommitmentStatusForm,
    EntryTextForm,
    MinuteEntryForm,
)
from ..models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    AgendaItem,
    AttendanceStatus,
    Commitment,
    CommitmentStatus,
    GuidingQuestion,
    GuidingQuestionStatus,
    Meeting,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    MinuteSection,
    MinutesStatus,
)
from ..rules import runs_body

# --- helpers -----------------------------------------------------------------------------


def _meeting(request, pk) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.select_related("body", "minute_taker"), request.user, pk=pk
    )


def _visible_minutes(request, meeting) -> Minutes | None:
    """The meeting's minutes if the reader may see them, else None (also if none)."""
    minutes = (
        Minutes.objects.visible_to(request.user)
        .select_related("approval", "approved_by_chair")
        .filter(meeting=meeting)
        .first()
    )
    if minutes is not None:
        minutes.meeting = meeting
    return minutes


def _minutes(request, meeting) -> Minutes:
    """The meeting's minutes if the reader may see them; 404 otherwise (also if none)."""
    minutes = _visible_minutes(request, meeting)
    if minutes is None:
        raise Http404(_("Not found."))
    return minutes


def _require(request, perm, obj):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _minutes_url(meeting_pk) -> str:
    return reverse("meetings:minutes", args=[meeting_pk])


def _may_start(user, meeting) -> bool:
    return user.has_perm("meetings.record_meeting", meeting)


def _meeting_agenda_items(meeting, user):
    return AgendaItem.objects.visible_to(user).filter(meeting=meeting).order_by("position", "pk")


def _open_questions(meeting, user):
    """The questions an entry of the minutes may answer: the meeting's open ones."""
    return (
        GuidingQuestion.objects.visible_to(user)
        .filter(meeting=meeting, status=GuidingQuestionStatus.OPEN)
        .order_by("position", "pk")
    )


def _approving_decisions(minutes, user):
    meeting = minutes.meeting
    return (
        Decision.objects.visible_to(user)
        .filter(
            body_id=meeting.body_id,
            decided_on__gt=timezone.localdate(meeting.start),
            approved_minutes__isnull=True,
        )
        .select_related("body")
        .order_by("-decided_on", "-pk")
    )


# --- the minutes page ----------------------------------------------------------------------


HISTORY_FIELDS = ("section", "text", "visibility", "level", "agenda_item_id", "speaker_id")


def _changes(previous, record, fields) -> list[str]:
    if previous is None:
        return []
    return [
        str(record.instance_type._meta.get_field(name.removesuffix("_id")).verbose_name)
        for name in fields
        if getattr(previous, name) != getattr(record, name)
    ]


def _history(minutes):
    """Who changed what when: the minutes' own records and those of their entries."""
    rows = []
    records = list(minutes.history.select_related("history_user").order_by("history_id"))
    previous = None
    for record in records:
        rows.append(
            {
                "record": record,
                "what": _("Minutes"),
                "changes": _changes(
                    previous, record, ("status", "visibility", "approval_id", "published_at")
                ),
            }
        )
        previous = record
    entry_records = list(
        MinuteEntry.history.filter(minutes_id=minutes.pk)
        .select_related("history_user")
        .order_by("id", "history_id")
    )
    for _entry_id, group in groupby(entry_records, key=lambda r: r.id):
        previous = None
        for record in group:
            rows.append(
                {
                    "record": record,
                    "what": _("Entry %(number)s") % {"number": record.position + 1},
                    "changes": _changes(previous, record, HISTORY_FIELDS),
                }
            )
            previous = record
    rows.sort(key=lambda row: row["record"].history_date, reverse=True)
    return rows


def _minutes_context(request, meeting, minutes, *, entry_form=None, approve_form=None):
    user = request.user
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "may_follow_up": user.has_perm("meetings.change_meeting", meeting),
    }
    attendances = list(
        meeting.attendances.filter(
            status__in=[AttendanceStatus.ATTENDED, AttendanceStatus.EXCUSED]
        ).select_related("person")
    )
    context["attended"] = [a.person for a in attendances if a.status == AttendanceStatus.ATTENDED]
    context["excused"] = [a.person for a in attendances if a.status == AttendanceStatus.EXCUSED]
    if minutes is None:
        context["may_start"] = (
            meeting.status == MeetingStatus.HELD
            and _may_start(user, meeting)
            and not Minutes.objects.filter(meeting=meeting).exists()
        )
        return context

    entries = list(selectors.minute_entries(minutes, user))
    corrections: dict[int, list[MinuteEntry]] = {}
    for entry in entries:
        if entry.corrects_id:
            corrections.setdefault(entry.corrects_id, []).append(entry)
    for entry in entries:
        entry.correction_list = corrections.get(entry.pk, [])
    by_section: dict[str, list[MinuteEntry]] = {}
    for entry in entries:
        by_section.setdefault(entry.section, []).append(entry)
    context["sections"] = [
        (value, label, by_section[value])
        for value, label in MinuteSection.choices
        if value in by_section
    ]
    context["entry_count"] = len(entries)
    if minutes.approval_id:
        context["approval"] = (
            Decision.objects.visible_to(user).filter(pk=minutes.approval_id).first()
        )

    can_write = user.has_perm("meetings.change_minutes", minutes)
    can_approve = user.has_perm("meetings.approve_minutes", minutes)
    context.update(can_write=can_write, can_approve=can_approve)
    if can_write:
        if not minutes.is_locked:
            context["entry_form"] = entry_form or MinuteEntryForm(
                minutes=minutes,
                agenda_items=_meeting_agenda_items(meeting, user),
                questions=_open_questions(meeting, user),
            )
        context["history"] = _history(minutes)
    if can_approve and minutes.status == MinutesStatus.CIRCULATED:
        options, form = _approval(minutes, user)
        context["approval_options"] = options
        if form is not None:
            context["approve_form"] = approve_form or form
    return context


def _approval(minutes, user, data=None):
    """The ways to approve (open or closed, and why) and the form of the open ones,
    or None when none is open."""
    decisions = _approving_decisions(minutes, user)
    options = selectors.approval_options(minutes=minutes, has_decisions=decisions.exists())
    open_paths = {option.path for option in options if option.open}
    if not open_paths:
        return options, None
    form = ApproveMinutesForm(
        data,
        decisions=decisions,
        may_decide=selectors.ApprovalPath.DECISION in open_paths,
        may_chair=selectors.ApprovalPath.CHAIR in open_paths,
    )
    return options, form


def minutes_page(request, pk):
    # Minutes hidden from the reader get the same page as no minutes at all: a 404 for
    # hidden ones would tell that minutes exist at a level the reader may not see.
    meeting = _meeting(request, pk)
    minutes = _visible_minutes(request, meeting)
    return render(request, "meetings/minutes.html", _minutes_context(request, meeting, minutes))


@login_required
@require_POST
def minutes_start(request, pk):
    meeting = _meeting(request, pk)
    if not _may_start(request.user, meeting):
        raise PermissionDenied
    try:
        services.start_minutes(meeting=meeting)
    except services.MeetingError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(meeting.get_absolute_url())
    messages.success(request, _("The minutes have been started."))
    return redirect(_minutes_url(meeting.pk))


@login_required
@require_POST
def entry_add(request, pk):
    meeting = _meeting(request, pk)
    minutes = _minutes(request, meeting)
    _require(request, "meetings.change_minutes", minutes)
    form = MinuteEntryForm(
        request.POST,
        minutes=minutes,
        agenda_items=_meeting_agenda_items(meeting, request.user),
        questions=_open_questions(meeting, request.user),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["section"] == MinuteSection.GUIDING_QUESTION:
                services_questions.add_question_entry(
                    minutes=minutes,
                    text=data["text"],
                    question=data.get("guiding_question"),
                    agenda_item=data["agenda_item"],
                    speaker=data["speaker"],
                    visibility=data["visibility"],
                )
            else:
                services.add_entry(
                    minutes=minutes,
                    section=data["section"],
                    text=data["text"],
                    agenda_item=data["agenda_item"],
                    speaker=data["speaker"],
                    level=data["level"],
                    visibility=data["visibility"],
                )
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry has been added."))
            return redirect(_minutes_url(meeting.pk))
    context = _minutes_context(request, meeting, minutes, entry_form=form)
    if "entry_form" not in context:  # locked minutes: show why the entry was refused
        context["entry_errors"] = form.non_field_errors()
    return render(request, "meetings/minutes.html", context, status=400)


def _entry(request, pk) -> MinuteEntry:
    entry = get_visible_or_404(
        MinuteEntry.objects.select_related("minutes__meeting__body", "agenda_item", "speaker"),
        request.user,
        pk=pk,
    )
    _require(request, "meetings.change_minutes", entry.minutes)
    return entry


@login_required
def entry_edit(request, pk):
    entry = _entry(request, pk)
    if entry.minutes.is_locked:
        raise PermissionDenied(
            _("These minutes are approved and can no longer be changed; add a correction.")
        )
    form = EntryTextForm(request.POST or None, initial={"text": entry.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_entry(entry=entry, text=form.cleaned_data["text"])
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry has been changed."))
            return redirect(_minutes_url(entry.minutes.meeting_id) + f"#entry-{entry.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/minutes_entry_form.html",
        {"entry": entry, "meeting": entry.minutes.meeting, "form": form, "correct": False},
        status=status,
    )


@login_required
def entry_correct(request, pk):
    entry = _entry(request, pk)
    if not entry.minutes.is_locked:
        return redirect("meetings:entry_edit", pk=entry.pk)
    form = EntryTextForm(request.POST or None, initial={"text": entry.text})
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.add_entry(
                minutes=entry.minutes,
                section=entry.section,
                text=form.cleaned_data["text"],
                agenda_item=entry.agenda_item,
                speaker=entry.speaker,
                level=entry.level,
                visibility=entry.visibility,
                corrects=entry,
            )
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The correction has been added."))
            return redirect(_minutes_url(entry.minutes.meeting_id) + f"#entry-{correction.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/minutes_entry_form.html",
        {"entry": entry, "meeting": entry.minutes.meeting, "form": form, "correct": True},
        status=status,
    )


def _workflow(request, pk, perm, action, success_message):
    meeting = _meeting(request, pk)
    minutes = _minutes(request, meeting)
    _require(request, perm, minutes)
    try:
        action(minutes=minutes)
    except services.MeetingError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message)
    return redirect(_minutes_url(meeting.pk))


@login_required
@require_POST
def minutes_circulate(request, pk):
    return _workflow(
        request,
        pk,
        "meetings.change_minutes",
        services.circulate_minutes,
        _("The minutes have been circulated."),
    )


@login_required
@require_POST
def minutes_publish(request, pk):
    return _workflow(
        request,
        pk,
        "meetings.approve_minutes",
        services.publish_minutes,
        _("The minutes have been published."),
    )


@login_required
@require_POST
def minutes_approve(request, pk):
    meeting = _meeting(request, pk)
    minutes = _minutes(request, meeting)
    _require(request, "meetings.approve_minutes", minutes)
    _options, form = _approval(minutes, request.user, request.POST)
    if form is not None and form.is_valid():
        try:
            if form.cleaned_data.get("as_chair"):
                services.approve_minutes(minutes=minutes, chair=request.user)
            else:
                services.approve_minutes(minutes=minutes, decision=form.cleaned_data["decision"])
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The minutes have been approved."))
            return redirect(_minutes_url(meeting.pk))
    context = _minutes_context(request, meeting, minutes, approve_form=form)
    if "approve_form" not in context and form is not None:
        context["approve_errors"] = form.non_field_errors()
    return render(request, "meetings/minutes.html", context, status=400)


# --- action items ----------------------------------------------------------------------------


def action_items(request):
    data = request.GET.copy()
    show_all = "status" in data
    item_filter = ActionItemFilter(
        data, queryset=selectors.visible_action_items(request.user), request=request
    )
    items = item_filter.qs
    if not show_all:
        items = items.filter(status__in=OPEN_ACTION_STATUSES)
    page = Paginator(items, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    runs = runs_body(request.user)
    for item in page.object_list:
        if runs(item.meeting.body_id):
            item.status_form = ActionItemStatusForm(
                initial={"status": item.status}, prefix=f"ai{item.pk}"
            )
    return render(request, "meetings/action_items.html", {"filter": item_filter, "page": page})


@login_required
@require_POST
def action_item_status(request, pk):
    item = get_visible_or_404(
        ActionItem.objects.select_related("meeting__body"), request.user, pk=pk
    )
    _require(request, "meetings.change_actionitem", item)
    form = ActionItemStatusForm(request.POST, prefix=f"ai{item.pk}")
    if form.is_valid():
        services.set_action_item_status(item=item, status=form.cleaned_data["status"])
        messages.success(request, _("The status has been changed."))
    else:
        messages.error(request, _("Please choose a valid status."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("meetings:action_items")
    # Not redirect(): it takes a bare word for a URL name and fails on an unknown one.
    return HttpResponseRedirect(target)


@login_required
def action_item_add(request, pk):
    meeting = _meeting(request, pk)
    _require(request, "meetings.change_meeting", meeting)
    form = ActionItemForm(
        request.POST or None,
        meeting=meeting,
        agenda_items=_meeting_agenda_items(meeting, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_action_item(meeting=meeting, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action item has been added."))
            return redirect(reverse("meetings:action_items") + "?status=")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "meetings/action_item_form.html", {"meeting": meeting, "form": form}, status=status
    )


# --- commitments -----------------------------------------------------------------------------


def commitments(request):
    commitment_filter = CommitmentFilter(
        request.GET, queryset=selectors.visible_commitments(request.user), request=request
    )
    page = Paginator(commitment_filter.qs, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    runs = runs_body(request.user)
    for commitment in page.object_list:
        if runs(commitment.meeting.body_id):
            commitment.status_form = CommitmentStatusForm(
                initial={"status": commitment.status}, prefix=f"c{commitment.pk}"
            )
            commitment.note_form = CommitmentNoteForm(prefix=f"n{commitment.pk}")
    show_history = may_see_history(request.user)
    if show_history:
        histories = history_rows_for(page.object_list)
        for commitment in page.object_list:
            commitment.change_history = histories[commitment.pk]
    return render(
        request,
        "meetings/commitments.html",
        {"filter": commitment_filter, "page": page, "show_history": show_history},
    )


@login_required
def commitment_add(request, pk):
    meeting = _meeting(request, pk)
    _require(request, "meetings.change_meeting", meeting)
    form = CommitmentForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_commitment(meeting=meeting, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The commitment has been recorded."))
            return redirect("meetings:commitments")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "meetings/commitment_form.html", {"meeting": meeting, "form": form}, status=status
    )


def _commitment(request, pk) -> Commitment:
    commitment = get_visible_or_404(
        Commitment.objects.select_related("meeting__body", "organisation"), request.user, pk=pk
    )
    _require(request, "meetings.change_commitment", commitment)
    return commitment


@login_required
@require_POST
def commitment_status(request, pk):
    commitment = _commitment(request, pk)
    form = CommitmentStatusForm(request.POST, prefix=f"c{commitment.pk}")
    if form.is_valid():
        services.set_commitment_status(
            commitment=commitment,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            author=request.user,
        )
        messages.success(request, _("The status has been changed."))
    else:
        messages.error(request, _("Please choose a valid status."))
    return redirect("meetings:commitments")


@login_required
@require_POST
def commitment_note(request, pk):
    commitment = _commitment(request, pk)
    form = CommitmentNoteForm(request.POST, prefix=f"n{commitment.pk}")
    if form.is_valid():
        services.add_commitment_note(
            commitment=commitment, text=form.cleaned_data["text"], author=request.user
        )
        messages.success(request, _("The progress note has been added."))
    else:
        messages.error(request, _("A progress note needs a text."))
    return redirect("meetings:commitments")


# --- the public tracker ------------------------------------------------------------------------


def tracker(request):
    """Wort halten: who promised what in public, and what became of it."""
    rows = list(selectors.public_commitments())
    groups = []
    for _org_id, group in groupby(rows, key=lambda c: c.organisation_id):
        group = list(group)
        counts = dict.fromkeys(CommitmentStatus.values, 0)
        for commitment in group:
            counts[commitment.status] += 1
        groups.append(
            {
                "organisation": group[0].organisation,
                "commitments": group,
                "counts": [
                    (value, label, counts[value]) for value, label in CommitmentStatus.choices
                ],
            }
        )
    totals = dict.fromkeys(CommitmentStatus.values, 0)
    for commitment in rows:
        totals[commitment.status] += 1
    return render(
        request,
        "meetings/tracker.html",
        {
            "groups": groups,
            "total": len(rows),
            "totals": [(v, label, totals[v]) for v, label in CommitmentStatus.choices],
        },
    )
