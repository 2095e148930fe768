"""Planning: series, single meetings and their status, editing agenda items.

Included from meetings/urls.py under the "meetings" namespace.
"""

from django.urls import path

from .views import planning

urlpatterns = [
    path("neu/", planning.meeting_create, name="meeting_create"),
    path("<int:pk>/bearbeiten/", planning.meeting_edit, name="meeting_edit"),
    path("<int:pk>/status/", planning.meeting_status, name="meeting_status"),
    path(
        "<int:pk>/tagesordnung/<int:item>/bearbeiten/",
        planning.agenda_edit,
        name="agenda_edit",
    ),
    path("reihen/neu/", planning.series_create, name="series_create"),
    path("reihen/<int:pk>/", planning.series_detail, name="series_detail"),
    path("reihen/<int:pk>/beenden/", planning.series_end, name="series_end"),
    path(
        "reihen/<int:pk>/teilnehmende/",
        planning.series_participants,
        name="series_participants",
    ),
]
