# The public face of events and their registration; included from meetings/urls.py
# under the "meetings" namespace.
from django.urls import path

from .views import events

urlpatterns = [
    path("veranstaltungen/", events.event_list, name="event_list"),
    path("veranstaltungen/<int:pk>/", events.event_detail, name="event_detail"),
    path("veranstaltungen/<int:pk>/anmelden/", events.register, name="event_register"),
    path(
        "veranstaltungen/<int:pk>/anmelden/danke/",
        events.event_registered,
        name="event_registered",
    ),
    path(
        "veranstaltungen/<int:pk>/dateien/<int:document>/",
        events.event_document,
        name="event_document",
    ),
    path(
        "veranstaltungen/<int:pk>/anmeldungen/",
        events.registration_list,
        name="event_registrations",
    ),
    path(
        "veranstaltungen/<int:pk>/anmeldungen.csv",
        events.registration_csv,
        name="event_registrations_csv",
    ),
    path("veranstaltungen/<int:pk>/einlass/", events.check_in, name="event_check_in"),
    path(
        "anmeldung/<str:token>/bestaetigen/",
        events.registration_confirm,
        name="registration_confirm",
    ),
    # The registrant's personal page: the state of the registration and its cancel button.
    path("anmeldung/<str:token>/absagen/", events.registration_cancel, name="registration_cancel"),
]
