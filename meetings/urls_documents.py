"""PDF documents; included from meetings/urls.py under the "meetings" namespace.

``meetings:agenda_pdf`` and ``meetings:minutes_pdf`` are a contract (OParl links them).
"""

from django.urls import path

from .views import documents

urlpatterns = [
    path("<int:pk>/tagesordnung.pdf", documents.agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/protokoll.pdf", documents.minutes_pdf, name="minutes_pdf"),
    path(
        "reihen/<int:pk>/handlungsempfehlungen.pdf",
        documents.series_recommendations_pdf,
        name="series_recommendations_pdf",
    ),
]
