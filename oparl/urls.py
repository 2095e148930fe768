app_name = "oparl"

# Filled in by the OParl work.
urlpatterns = []
