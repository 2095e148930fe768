from django.urls import include, path

from .views import meetings, minutes

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("<int:pk>/", meetings.meeting_detail, name="detail"),
    path("<int:pk>/tagesordnung/", meetings.agenda_print, name="agenda_print"),
    path("<int:pk>/tagesordnung/neu/", meetings.agenda_add, name="agenda_add"),
    path(
        "<int:pk>/tagesordnung/<int:item>/verschieben/",
        meetings.agenda_move,
        name="agenda_move",
    ),
    path("<int:pk>/anwesenheit/", meetings.attendance, name="attendance"),
    path("<int:pk>/leitfragen/vertagen/", meetings.carry_over, name="carry_over"),
    # --- minutes, action items, commitments ---
    path("<int:pk>/protokoll/", minutes.minutes_page, name="minutes"),
    path("<int:pk>/protokoll/anlegen/", minutes.minutes_start, name="minutes_start"),
    path("<int:pk>/protokoll/eintrag/", minutes.entry_add, name="entry_add"),
    path("<int:pk>/protokoll/umlauf/", minutes.minutes_circulate, name="minutes_circulate"),
    path("<int:pk>/protokoll/genehmigen/", minutes.minutes_approve, name="minutes_approve"),
    path("<int:pk>/protokoll/veroeffentlichen/", minutes.minutes_publish, name="minutes_publish"),
    path("eintraege/<int:pk>/bearbeiten/", minutes.entry_edit, name="entry_edit"),
    path("eintraege/<int:pk>/berichtigen/", minutes.entry_correct, name="entry_correct"),
    path("aufgaben/", minutes.action_items, name="action_items"),
    path("<int:pk>/aufgaben/neu/", minutes.action_item_add, name="action_item_add"),
    path("aufgaben/<int:pk>/status/", minutes.action_item_status, name="action_item_status"),
    path("zusagen/", minutes.commitments, name="commitments"),
    path("zusagen/oeffentlich/", minutes.tracker, name="tracker"),
    path("<int:pk>/zusagen/neu/", minutes.commitment_add, name="commitment_add"),
    path("zusagen/<int:pk>/status/", minutes.commitment_status, name="commitment_status"),
    path("zusagen/<int:pk>/notiz/", minutes.commitment_note, name="commitment_note"),
    # --- end minutes ---
    path("", include("meetings.urls_planning")),
    path("", include("meetings.urls_questions")),
    path("", include("meetings.urls_documents")),
    path("", include("meetings.urls_calendar")),
    path("", include("meetings.urls_events")),
    path("", include("meetings.urls_public")),
]
