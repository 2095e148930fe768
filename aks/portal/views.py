import redis
from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from bodies.selectors import visible_bodies


def home(request):
    bodies = visible_bodies(request.user).filter(parent__isnull=True)
    return render(request, "portal/home.html", {"bodies": bodies})


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
