"""Agenda, minutes and recommendations report as PDF sources (the HTML the pipeline in
``documents`` renders).

The documents are built from the same selectors as the pages, for one reader: an
entry or decision the reader may not see is left out before anything is counted, and
an agenda item they may not see keeps its number as a placeholder without title or
content (the one numbering of every reader), so the public and the internal PDF of the
same minutes differ and neither tells what the other holds.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bodies.access import can_view
from bodies.models import Decision, Poll
from documents.pdf import (  # noqa: F401 - the renderer, named here for the meetings' callers
    LAYOUT_VERSION,
    PDF_BASE_URL,
    PDF_LANGUAGE,
    PdfSource,
    RefusedURL,
    StaticFilesFetcher,
    html_to_pdf,
    render_pdf,
    stylesheet_text,
)
from documents.pdf import filename as _filename
from documents.pdf import render_html as _render

from . import selectors
from .models import (
    ActionItem,
    AttendanceStatus,
    Commitment,
    Meeting,
    MeetingSeries,
    MinuteEntry,
    Minutes,
    MinuteSection,
    RecommendationLevel,
)


def _space_visible(meeting: Meeting, user) -> bool:
    return bool(meeting.space_id and can_view(user, meeting.space))


def _questions_by_item(questions, numbered):
    shown = {item.pk for item in selectors.shown_items(numbered)}
    by_item: dict[int, list] = {}
    general = []
    for question in questions:
        if question.agenda_item_id in shown:
            by_item.setdefault(question.agenda_item_id, []).append(question)
        else:  # no item, or one the reader does not see: never name the hidden item
            general.append(question)
    for entry in numbered:
        entry.questions = by_item.get(entry.item.pk, []) if entry.item else []
        for child in entry.children:
            child.questions = by_item.get(child.item.pk, []) if child.item else []
    return general


def _count(numbered) -> int:
    return sum(1 + len(entry.children) for entry in numbered)


def agenda_source(*, meeting: Meeting, user) -> PdfSource:
    with translation.override(PDF_LANGUAGE):
        numbered = selectors.agenda(meeting, user)
        questions = list(selectors.guiding_questions(meeting, user))
        general = _questions_by_item(questions, numbered)
        context = {
            "meeting": meeting,
            "agenda": numbered,
            "general_questions": general,
            "space_visible": _space_visible(meeting, user),
            "document_title": _("Agenda: %(title)s") % {"title": meeting.title},
        }
        items = selectors.shown_items(numbered)
        if any(item.standing for item in items):
            context["rolled_actions"], context["rolled_commitments"] = selectors.rolled_forward(
                meeting, user
            )
        # Only what the reader sees: hidden items' durations would tell their length.
        context["total_minutes"] = sum(item.duration_minutes or 0 for item in items)
        html = _render("meetings/pdf/agenda.html", context)
        day = timezone.localtime(meeting.start).date()
        return PdfSource(
            html=html,
            title=context["document_title"],
            filename=_filename("tagesordnung", meeting.title, day),
            size=_count(numbered) + len(questions),
        )


def _decisions_with_counts(items, user) -> None:
    """Each visible item gets ``visible_decisions``, each with ``vote`` (the counts in
    words) when the reader may also see its poll: four queries whatever the size."""
    from django.db.models import Prefetch, prefetch_related_objects

    from bodies.services import explain_result

    prefetch_related_objects(
        items,
        Prefetch(
            "decisions",
            Decision.objects.visible_to(user).select_related("body").order_by("pk"),
            to_attr="visible_decisions",
        ),
    )
    poll_ids = {d.poll_id for item in items for d in item.visible_decisions if d.poll_id}
    polls = {}
    if poll_ids:
        polls = {
            poll.pk: poll
            for poll in Poll.objects.visible_to(user)
            .filter(pk__in=poll_ids)
            .prefetch_related("options")
        }
    for item in items:
        for decision in item.visible_decisions:
            poll = polls.get(decision.poll_id)
            decision.vote = explain_result(poll, list(poll.options.all())) if poll else ""


def _entry_groups(entries, numbered):
    """Entries by section (in the order of the sections), within a section by agenda
    item in agenda order; entries without a visible item first."""
    order: dict[int, tuple[int, str, object]] = {}
    for number, item in _numbered_items(numbered):
        order[item.pk] = (len(order), number, item)
    by_section: dict[str, dict] = {}
    for entry in entries:
        key = entry.agenda_item_id if entry.agenda_item_id in order else None
        by_section.setdefault(entry.section, {}).setdefault(key, []).append(entry)
    sections = []
    for value, label in MinuteSection.choices:
        groups = by_section.get(value)
        if not groups:
            continue
        keys = sorted(groups, key=lambda k: -1 if k is None else order[k][0])
        sections.append(
            {
                "value": value,
                "label": label,
                "groups": [
                    {
                        "number": order[k][1] if k is not None else "",
                        "item": order[k][2] if k is not None else None,
                        "entries": groups[k],
                    }
                    for k in keys
                ],
            }
        )
    return sections


def minutes_source(*, meeting: Meeting, minutes: Minutes, user) -> PdfSource:
    with translation.override(PDF_LANGUAGE):
        numbered = selectors.agenda(meeting, user)
        items = selectors.shown_items(numbered)
        _decisions_with_counts(items, user)
        entries = list(selectors.minute_entries(minutes, user))
        visible_entries = {entry.pk for entry in entries}
        for entry in entries:
            # A correction names what it corrects only when the reader sees that too.
            entry.corrects_visible = entry.corrects_id in visible_entries
        questions = list(selectors.guiding_questions(meeting, user))
        general = _questions_by_item(questions, numbered)
        attendances = list(
            meeting.attendances.filter(
                status__in=[AttendanceStatus.ATTENDED, AttendanceStatus.EXCUSED]
            )
            .select_related("person")
            .order_by("person__name", "pk")
        )
        approval = None
        if minutes.approval_id:
            approval = (
                Decision.objects.visible_to(user)
                .select_related("body")
                .filter(pk=minutes.approval_id)
                .first()
            )
        context = {
            "meeting": meeting,
            "minutes": minutes,
            "approval": approval,
            "agenda": numbered,
            "decision_items": [
                (entry, item) for entry, item in _numbered_items(numbered) if item.visible_decisions
            ],
            "sections": _entry_groups(entries, numbered),
            "questions": questions,
            "general_questions": general,
            "attended": [a.person for a in attendances if a.status == AttendanceStatus.ATTENDED],
            "excused": [a.person for a in attendances if a.status == AttendanceStatus.EXCUSED],
            "action_items": list(
                ActionItem.objects.visible_to(user)
                .filter(meeting=meeting)
                .select_related("assignee_person", "assignee_organisation")
                .order_by("due", "pk")
            ),
            "commitments": list(
                Commitment.objects.visible_to(user)
                .filter(meeting=meeting)
                .select_related("person", "organisation")
                .order_by("due", "pk")
            ),
            "space_visible": _space_visible(meeting, user),
            "document_title": _("Minutes: %(meeting)s") % {"meeting": meeting.title},
        }
        html = _render("meetings/pdf/minutes.html", context)
        day = timezone.localtime(meeting.start).date()
        return PdfSource(
            html=html,
            title=context["document_title"],
            filename=_filename("protokoll", meeting.title, day),
            size=len(items) + len(entries),
        )


def _numbered_items(numbered):
    """(number, item) of the items the reader sees, in agenda order."""
    for entry in numbered:
        if entry.item is None:
            continue
        yield entry.number, entry.item
        for child in entry.children:
            if child.item is not None:
                yield child.number, child.item


# The report names two groups, as the event series of seed 004 does:
# "Kommunale Ebene" and "Land + Bund".
REPORT_GROUPS = (
    ("municipal", (RecommendationLevel.MUNICIPAL,)),
    ("state_federal", (RecommendationLevel.STATE, RecommendationLevel.FEDERAL)),
)


def recommendations_source(*, series: MeetingSeries, user) -> PdfSource:
    with translation.override(PDF_LANGUAGE):
        entries = list(
            MinuteEntry.objects.visible_to(user)
            .filter(
                minutes__meeting__series=series,
                section=MinuteSection.RECOMMENDATION,
            )
            .select_related("minutes__meeting", "speaker")
            .order_by("minutes__meeting__start", "minutes__meeting__pk", "position", "pk")
        )
        labels = {
            "municipal": _("Municipal level"),
            "state_federal": _("State and federal level"),
        }
        groups = []
        for key, levels in REPORT_GROUPS:
            rows = [entry for entry in entries if entry.level in levels]
            meetings = []
            for entry in rows:
                meeting = entry.minutes.meeting
                if not meetings or meetings[-1]["meeting"].pk != meeting.pk:
                    meetings.append({"meeting": meeting, "entries": []})
                meetings[-1]["entries"].append(entry)
            groups.append({"key": key, "label": labels[key], "meetings": meetings})
        meeting_count = len({entry.minutes.meeting_id for entry in entries})
        context = {
            "series": series,
            "groups": groups,
            "entry_count": len(entries),
            "meeting_count": meeting_count,
            "document_title": _("Recommendations: %(title)s") % {"title": series.title},
        }
        html = _render("meetings/pdf/recommendations.html", context)
        return PdfSource(
            html=html,
            title=context["document_title"],
            filename=_filename("handlungsempfehlungen", series.title, timezone.localdate()),
            size=len(entries),
        )
