"""Who may do what with meetings, agendas and minutes (answered through ``user.has_perm``).

Explicit grants (guardian, e.g. ``meetings.change_minutes`` for one minute taker) are
answered by guardian's backend next to these rules.
"""

from django.db.models import Exists, OuterRef, Q

from bodies.access import (
    body_member_q,
    can_view,
    follows_team,
    grant_q,
    is_active_user,
    is_councillor,
    is_staff,
    leads_a_body,
    leads_body,
    leads_body_q,
    led_body_ids,
    plain_rule,
    reader_rule,
    rule,
)

from .models import Attendance, AttendanceStatus, Minutes, MinutesStatus

# Approved minutes stay with those who took part until they are published: the public
# (and other readers) learn of them only then.
SHARED_MINUTES = (MinutesStatus.CIRCULATED, MinutesStatus.APPROVED)


def _runs(user, meeting) -> bool:
    return is_staff(user) or leads_body(user, meeting.body_id)


def runs_body(user):
    """``_runs`` for a whole list at once: a predicate on body ids, with the reader's
    bodies read in one query (the per-row edit controls of action items and
    commitments, whose rows the reader already may see)."""
    if is_staff(user):
        return lambda body_id: True
    return led_body_ids(user).__contains__


def _takes_minutes(user, meeting) -> bool:
    return bool(
        is_active_user(user) and meeting.minute_taker_id and meeting.minute_taker.user_id == user.pk
    )


@reader_rule(Minutes)
def minutes_readers(user, prefix: str = "") -> Q:
    """Who reads minutes in each state, within what their level allows.

    Draft: the minute takers (the meeting's minute taker, anyone granted to write
    these minutes), the body's chair and deputy, and the AKS staff. Circulated and
    approved: also those who attended and the body's active members. Published:
    everyone the level allows. Explicit ``view_minutes`` grants pass, as on every
    object (see ``bodies.access.visibility_q``).
    """
    published = Q(**{f"{prefix}status": MinutesStatus.PUBLISHED})
    if not is_active_user(user):
        return published
    if is_staff(user):
        return Q()
    body = f"{prefix}meeting__body_id"
    takers = Q(**{f"{prefix}meeting__minute_taker__user": user}) | grant_q(
        user, Minutes, prefix=prefix, codename="change_minutes"
    )
    attended = Exists(
        Attendance.objects.filter(
            meeting_id=OuterRef(f"{prefix}meeting_id"),
            person__user=user,
            status=AttendanceStatus.ATTENDED,
        )
    )
    shared = Q(**{f"{prefix}status__in": SHARED_MINUTES}) & (attended | body_member_q(user, body))
    return published | takers | leads_body_q(user, body) | shared


@rule("meetings.view_meeting")
def view_meeting(user, meeting):
    return can_view(user, meeting)


@rule("meetings.change_meeting")
def change_meeting(user, meeting):
    """Agenda, attendance, status: the AKS staff and the body's chair."""
    return can_view(user, meeting) and _runs(user, meeting)


@rule("meetings.review_agenda")
def review_agenda(user, meeting):
    """The councillor signs off or comments on the Jour-Fixe agenda."""
    return can_view(user, meeting) and meeting.kind == "jour_fixe" and is_councillor(user)


@rule("meetings.view_minutes")
def view_minutes(user, minutes):
    return can_view(user, minutes)


@rule("meetings.change_minutes")
def change_minutes(user, minutes):
    """Write entries: staff, the chair, and the meeting's minute taker."""
    meeting = minutes.meeting
    return can_view(user, minutes) and (_runs(user, meeting) or _takes_minutes(user, meeting))


@rule("meetings.approve_minutes")
def approve_minutes(user, minutes):
    return can_view(user, minutes) and _runs(user, minutes.meeting)


@rule("meetings.change_actionitem")
def change_actionitem(user, item):
    return can_view(user, item) and _runs(user, item.meeting)


@rule("meetings.change_commitment")
def change_commitment(user, commitment):
    return can_view(user, commitment) and _runs(user, commitment.meeting)


@rule("meetings.record_meeting")
def record_meeting(user, meeting):
    """Start the minutes and record attendance: whoever runs the meeting or takes its minutes."""
    return can_view(user, meeting) and (_runs(user, meeting) or _takes_minutes(user, meeting))


# --- Planning ------------------------------------------------------------------------


@rule("meetings.add_meeting")
def add_meeting(user, body):
    """Plan a meeting or a series of ``body``: the AKS staff and the body's chair.

    Asked of the body, since the meeting does not exist yet."""
    return can_view(user, body) and (is_staff(user) or leads_body(user, body.pk))


@rule("meetings.change_meetingseries")
def change_meetingseries(user, series):
    """End a series: whoever may plan the meetings of its body."""
    return can_view(user, series) and (is_staff(user) or leads_body(user, series.body_id))


@rule("meetings.change_agendaitem")
def change_agendaitem(user, item):
    """Edit an item the user sees, in a meeting the user runs."""
    return can_view(user, item) and _runs(user, item.meeting)


@rule("meetings.view_meetingseries")
def view_meetingseries(user, series):
    return can_view(user, series)


# --- Public events: registrations (issue #7) -------------------------------------------


@rule("meetings.view_registrations")
def view_registrations(user, meeting):
    """Registrants' names and addresses, the door list and the CSV: AKS staff only."""
    return can_view(user, meeting) and is_staff(user)


# --- The room, the commitment check, topic surveys (issue #7) ---------------------------


@rule("meetings.check_commitment")
def check_commitment(user, commitment):
    """Confirm (and correct) a commitment recorded in the room: AKS staff only, the
    second pair of eyes before it goes on the public tracker."""
    return can_view(user, commitment) and is_staff(user)


@plain_rule("meetings.check_commitment")
def check_commitments(user):
    """The review list of commitments recorded in the room: AKS staff only."""
    return is_staff(user)


@rule("meetings.manage_survey")
def manage_survey(user, series):
    """Create, open and close the topic surveys of a series: AKS staff only."""
    return can_view(user, series) and is_staff(user)


# --- Guiding questions and the follow-up lists -------------------------------------------


@rule("meetings.change_guidingquestion")
def change_guidingquestion(user, question):
    """Prepare, edit, reorder, answer or carry over a question: whoever runs its meeting."""
    return can_view(user, question) and _runs(user, question.meeting)


def follows_up(user) -> bool:
    """Who works with the internal lists of action items and commitments (offered in the
    navigation): the AKS team and the councillor, whose levels cover the team's objects,
    and the chairs (and deputies) of a body, who run its rows there. The lists themselves
    show each reader what they may see. The roles are asked first: they cost no query."""
    return follows_team(user) or leads_a_body(user)
