from django.urls import path

from . import views, views_activity, views_privacy, views_search

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", views_search.search, name="search"),
    path("uebersicht/", views.dashboard, name="dashboard"),
    path("uebersicht/tagesordnung/<int:pk>/", views.agenda_review, name="agenda_review"),
    path("aktivitaet/", views_activity.activity, name="activity"),
    path("meine-daten/", views_privacy.data_export, name="data_export"),
]
