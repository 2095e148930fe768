"""The logged-in person's own data, as a download."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .privacy import export_person_data


@never_cache
@login_required
@require_safe
def data_export(request):
    data = export_person_data(user=request.user, reader=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"meine-daten-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
