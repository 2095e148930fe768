# Calendar feeds (iCal) and the page listing them; included from meetings/urls.py
# under the "meetings" namespace. The ".ics" endings help calendar clients.
from django.urls import path

from .views import calendar

urlpatterns = [
    path("kalender/", calendar.calendar_page, name="calendar_page"),
    path("kalender.ics", calendar.public_feed, name="calendar"),
    path("kalender/gremien/<slug:slug>.ics", calendar.body_feed, name="calendar_body"),
    path("kalender/reihen/<int:pk>.ics", calendar.series_feed, name="calendar_series"),
    path(
        "kalender/persoenlich/<slug:token>.ics",
        calendar.personal_feed,
        name="calendar_personal",
    ),
    path("kalender/persoenlich/erneuern/", calendar.renew_token, name="calendar_renew"),
    # The feeds of bodies and series as the token's owner sees them (see calendar.py).
    path(
        "kalender/persoenlich/<slug:token>/gremien/<slug:slug>.ics",
        calendar.personal_body_feed,
        name="calendar_personal_body",
    ),
    path(
        "kalender/persoenlich/<slug:token>/reihen/<int:pk>.ics",
        calendar.personal_series_feed,
        name="calendar_personal_series",
    ),
]
