from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from aks.portal.views import healthz

# The admin speaks as the platform, not as "Django-Verwaltung".
admin.site.site_header = _("Gemeinwohl platform: administration")
admin.site.site_title = _("Gemeinwohl platform")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/", include("aks.accounts.urls")),
    path("gremien/", include("documents.urls")),
    path("gremien/", include("bodies.urls")),
    path("raeume/", include("spaces.urls")),
    path("sitzungen/", include("meetings.urls")),
    path("oparl/v1/", include("oparl.urls")),
    path("", include("aks.portal.urls")),
]
