from django.urls import path

from . import views, views_search

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", views_search.search, name="search"),
    path("uebersicht/", views.dashboard, name="dashboard"),
    path("uebersicht/tagesordnung/<int:pk>/", views.agenda_review, name="agenda_review"),
]
