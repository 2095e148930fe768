# The room, the commitment check, the public series page, live recommendations and
# topic surveys (issue #7); included from meetings/urls.py under the "meetings" namespace.
from django.urls import path

from .views import room, series_public

urlpatterns = [
    # --- in the room (the chair's phone) and the staff check ---
    path("<int:pk>/saal/", room.room, name="room"),
    path("<int:pk>/saal/abstimmungen/<int:poll>/", room.room_counts, name="room_counts"),
    path(
        "<int:pk>/saal/abstimmungen/<int:poll>/schliessen/",
        room.room_close_poll,
        name="room_close_poll",
    ),
    path("zusagen/pruefen/", room.commitment_review, name="commitment_review"),
    path("zusagen/<int:pk>/pruefen/", room.commitment_check, name="commitment_check"),
    path("zusagen/<int:pk>/verwerfen/", room.commitment_discard, name="commitment_discard"),
    # --- event series, live recommendations, topic surveys ---
    path("veranstaltungen/reihen/<int:pk>/", series_public.series_page, name="series_public"),
    path(
        "veranstaltungen/reihen/<int:pk>/umfrage/neu/",
        series_public.survey_create,
        name="survey_create",
    ),
    path(
        "veranstaltungen/<int:pk>/empfehlungen/",
        series_public.live_recommendations,
        name="event_recommendations",
    ),
    path("veranstaltungen/umfragen/<int:pk>/", series_public.survey_detail, name="survey_detail"),
    path(
        "veranstaltungen/umfragen/<int:pk>/status/",
        series_public.survey_status,
        name="survey_status",
    ),
    # The registrant's personal voting link, from the invitation mail.
    path("umfrage/<int:pk>/<str:token>/", series_public.survey_vote, name="survey_vote"),
]
