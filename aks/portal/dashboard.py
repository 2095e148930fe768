"""What each role needs next, composed from the apps' selectors."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from bodies.access import follows_team, is_councillor, is_staff
from bodies.models import Decision, Entitlement, Poll, PollStatus
from meetings import selectors as meeting_selectors
from meetings.models import AgendaReview, Minutes, MinutesStatus


def dashboard_for(user) -> dict:
    now = timezone.now()
    today = timezone.localdate()
    context: dict = {
        "is_councillor": is_councillor(user),
        "is_staff_role": is_staff(user),
        # The meetings the user belongs to: their bodies', invitations, standing
        # participations (the councillor's Jour-Fixe), before everything else they see.
        "my_meetings": list(
            meeting_selectors.personal_meetings(user)
            .filter(start__gte=now)
            .exclude(status="cancelled")
            .select_related("body")
            .order_by("start")[:5]
        ),
        "upcoming": list(
            meeting_selectors.visible_meetings(user)
            .filter(start__gte=now)
            .exclude(status="cancelled")
            .order_by("start")[:5]
        ),
        "recent_decisions": list(
            Decision.objects.visible_to(user)
            .filter(decided_on__gte=today - datetime.timedelta(days=31))
            .select_related("body")
            .order_by("-decided_on", "-sequence")[:10]
        ),
    }
    person = getattr(user, "person", None)
    if person is not None:
        context["open_polls"] = list(
            Poll.objects.visible_to(user)
            .filter(_entitled(person), status=PollStatus.OPEN)
            .select_related("body")[:10]
        )
    jour_fixe = meeting_selectors.next_jour_fixe(user, now)
    context["jour_fixe"] = jour_fixe
    if jour_fixe is not None and follows_team(user):
        context["jour_fixe_agenda"] = meeting_selectors.agenda(jour_fixe, user)
        context["open_action_items"] = list(
            meeting_selectors.open_action_items(jour_fixe.body_id, user)[:20]
        )
        context["commitments_due"] = list(
            meeting_selectors.commitments_due(
                jour_fixe.body_id, user, by=timezone.localdate(jour_fixe.start)
            )[:20]
        )
        context["reviews"] = list(
            AgendaReview.objects.filter(meeting=jour_fixe).select_related("reviewer")
        )
        context["own_review"] = next(
            (r for r in context["reviews"] if r.reviewer_id == user.pk), None
        )
    if context["is_staff_role"]:
        context["minutes_to_circulate"] = list(
            Minutes.objects.visible_to(user)
            .filter(status=MinutesStatus.DRAFT, meeting__start__lt=now)
            .select_related("meeting__body")
            .order_by("meeting__start")[:10]
        )
    return context


def _entitled(person):
    """Polls with a roll entry for the person or an organisation they represent.

    Two EXISTS per open poll, each answered by the poll's index: a join with one
    ``person OR organisation`` filter read the whole roll table (50,000 rows at
    scale 1, 15 ms) and needed DISTINCT.
    """
    from bodies.models import Membership

    represented = Membership.objects.active().filter(person=person).values("organisation_id")
    return Exists(Entitlement.objects.filter(poll=OuterRef("pk"), person=person)) | Exists(
        Entitlement.objects.filter(poll=OuterRef("pk"), organisation_id__in=represented)
    )
