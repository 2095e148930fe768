from django.urls import path, re_path

from . import views

app_name = "oparl"

# Object URLs never contain anything that can change (OParl 2.3): kinds and keys.
urlpatterns = [
    path("", views.system, name="system"),
    path("body/", views.body_list, name="body_list"),
    path("body/<int:body_id>/", views.body, name="body"),
    path("body/<int:body_id>/organization/", views.organization_list, name="organization_list"),
    path("body/<int:body_id>/person/", views.person_list, name="person_list"),
    path("body/<int:body_id>/membership/", views.membership_list, name="membership_list"),
    path("body/<int:body_id>/meeting/", views.meeting_list, name="meeting_list"),
    path("body/<int:body_id>/agendaitem/", views.agenda_item_list, name="agenda_item_list"),
    path("body/<int:body_id>/paper/", views.paper_list, name="paper_list"),
    path("body/<int:body_id>/file/", views.file_list, name="file_list"),
    path("body/<int:body_id>/location/", views.location_list, name="location_list"),
    path(
        "body/<int:body_id>/legislativeterm/",
        views.legislative_term_list,
        name="legislative_term_list",
    ),
    path("organization/body-<int:pk>/", views.organization_body, name="organization_body"),
    path(
        "organization/organisation-<int:pk>/",
        views.organization_organisation,
        name="organization_organisation",
    ),
    path("person/<int:pk>/", views.person, name="person"),
    path("membership/<int:pk>/", views.membership, name="membership"),
    path("meeting/<int:pk>/", views.meeting, name="meeting"),
    path("agendaitem/<int:pk>/", views.agenda_item, name="agenda_item"),
    path("paper/<int:pk>/", views.paper, name="paper"),
    path("file/agenda-<int:pk>/", views.file_agenda, name="file_agenda"),
    path("file/minutes-<int:pk>/", views.file_minutes, name="file_minutes"),
    path("location/space-<int:pk>/", views.location_space, name="location_space"),
    path("location/meeting-<int:pk>/", views.location_meeting, name="location_meeting"),
    # Anything else under the endpoint: an OParl error object, not the HTML 404 page.
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
