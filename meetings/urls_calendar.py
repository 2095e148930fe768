# Filled in by the calendar work; included from meetings/urls.py under the "meetings" namespace.
urlpatterns = []
