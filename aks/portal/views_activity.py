"""The staff activity page: who changed what and when, across the platform."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from bodies.history import may_see_history

from .activity import acting_users, latest_changes, type_choices

PAGE_SIZE = 50


class ActivityFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Kind"), required=False)
    user = forms.ModelChoiceField(
        label=_("Changed by"), queryset=None, required=False, empty_label=_("Everyone")
    )
    # The time of the last row of the previous page: pages go back in time.
    before = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All kinds")), *type_choices()]
        self.fields["user"].queryset = acting_users(reader)
        self.fields["user"].label_from_instance = lambda u: u.display_name or u.email


@require_safe
def activity(request):
    # The trail names people and internal objects: not even its existence is shown.
    if not may_see_history(request.user):
        raise Http404
    form = ActivityFilterForm(request.GET, reader=request.user)
    # Invalid fields are shown with their error and left out; valid ones still filter.
    form.is_valid()
    data = form.cleaned_data
    rows, has_older = latest_changes(
        user=request.user,
        types=[data["type"]] if data.get("type") else None,
        author=data.get("user"),
        before=data.get("before"),
        limit=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "portal/activity.html",
        {
            "form": form,
            "rows": rows,
            "older": rows[-1].when.isoformat() if has_older and rows else "",
            "paged": bool(data.get("before")),
            "query": query.urlencode(),
        },
    )
