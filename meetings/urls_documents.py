# Filled in by the documents work; included from meetings/urls.py under the "meetings" namespace.
urlpatterns = []
