# Filled in by the planning work; included from meetings/urls.py under the "meetings" namespace.
urlpatterns = []
