import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aks.fragments import fingerprint
from bodies.access import Visibility, get_visible_or_404
from bodies.models import Decision
from bodies.selectors import visible_bodies
from meetings.models import Meeting
from meetings.services import MeetingError, review_agenda
from meetings.views.events import upcoming_events

from .dashboard import dashboard_for

HOME_LIST_LENGTH = 5


def home(request):
    bodies = list(visible_bodies(request.user).filter(parent__isnull=True))
    return render(
        request,
        "portal/home.html",
        {
            "bodies": bodies,
            "bodies_key": fingerprint(bodies, "pk", "slug", "name", "kind", "member_count"),
            "events": upcoming_events(request.user, limit=HOME_LIST_LENGTH),
            # The public face: what anyone may read, also when the reader is logged in.
            "decisions": Decision.objects.visible_to(request.user)
            .filter(visibility=Visibility.PUBLIC)
            .select_related("body")
            .order_by("-decided_on", "-pk")[:HOME_LIST_LENGTH],
        },
    )


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "error"
    return "ok"


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "eager"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except redis.RedisError:
        return "error"
    return "ok"


@never_cache
def healthz(request):
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(value in ("ok", "eager") for value in state.values())
    state["status"] = "ok" if healthy else "error"
    return JsonResponse(state, status=200 if healthy else 503)


@login_required
def dashboard(request):
    return render(request, "portal/dashboard.html", dashboard_for(request.user))


@login_required
@require_POST
def agenda_review(request, pk):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    if not request.user.has_perm("meetings.review_agenda", meeting):
        raise PermissionDenied
    try:
        review_agenda(
            meeting=meeting,
            reviewer=request.user,
            reviewed=request.POST.get("reviewed") == "on",
            comment=request.POST.get("comment", ""),
        )
    except MeetingError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your review of the agenda has been saved."))
    return redirect("portal:dashboard")
