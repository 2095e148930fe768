"""Documents addressed under their subject's pages; mounted at "gremien/".

``documents:annual_report`` answers /gremien/<slug>/jahresbericht/<year>.pdf.
"""

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<slug:slug>/jahresbericht/<int:year>.pdf", views.annual_report, name="annual_report"),
]
