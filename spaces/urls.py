from django.urls import path

from . import views

app_name = "spaces"
urlpatterns = [
    path("", views.space_list, name="list"),
    path("karte/", views.space_map, name="map"),
    path("karte.geojson", views.space_geojson, name="geojson"),
    path("export.csv", views.space_csv, name="csv"),
    path("neu/", views.space_create, name="create"),
    path("melden/", views.space_report, name="report"),
    path("<int:pk>/", views.space_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.space_edit, name="edit"),
    path("<int:pk>/status/", views.space_change_status, name="change_status"),
    path("bedarfe/", views.need_list, name="need_list"),
    path("bedarfe/neu/", views.need_create, name="need_create"),
    path("bedarfe/<int:pk>/", views.need_detail, name="need_detail"),
    path("bedarfe/<int:pk>/bearbeiten/", views.need_edit, name="need_edit"),
]
