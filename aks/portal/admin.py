"""Data protection actions on people in the admin.

``bodies.admin`` registers ``Person``; the actions need ``aks.portal.privacy``,
which reaches into every app, and bodies must not import upwards. So the portal —
the top app, whose admin module is loaded after the bodies' one — swaps in a
subclass of the bodies' ``PersonAdmin`` that adds the two actions and changes
nothing else.
"""

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bodies.admin import PersonAdmin
from bodies.models import Person

from .privacy import anonymise_person, export_person_data


class PrivacyPersonAdmin(PersonAdmin):
    actions = [*(PersonAdmin.actions or []), "export_data", "anonymise"]

    @admin.action(description=gettext_lazy("Export personal data (JSON)"))
    def export_data(self, request, queryset):
        people = list(queryset.select_related("organisation", "user")[:50])
        data = [export_person_data(person=person) for person in people]
        payload = data[0] if len(data) == 1 else data
        response = HttpResponse(
            json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json",
        )
        filename = f"personendaten-{timezone.localdate().isoformat()}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=gettext_lazy("Anonymise (irreversible)"), permissions=["change"])
    def anonymise(self, request, queryset):
        # Irreversible: the first request only shows what will happen; the
        # confirmation posts the same selection back with "confirm".
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/portal/anonymise_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Anonymise people"),
                    "people": queryset,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        count = 0
        for person in queryset:
            anonymise_person(person=person, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)s person anonymised.", "%(count)s people anonymised.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return None


admin.site.unregister(Person)
admin.site.register(Person, PrivacyPersonAdmin)
