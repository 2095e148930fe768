from django.contrib import admin
from django.urls import include, path

from aks.portal.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/", include("aks.accounts.urls")),
    path("gremien/", include("bodies.urls")),
    path("raeume/", include("spaces.urls")),
    path("sitzungen/", include("meetings.urls")),
    path("oparl/v1/", include("oparl.urls")),
    path("", include("aks.portal.urls")),
]
