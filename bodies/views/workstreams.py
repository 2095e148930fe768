"""Workstreams (Baustellen): joint projects, their partners and what each puts in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..access import get_visible_or_404
from ..filters import WorkstreamFilter
from ..forms import ContributionForm, add_service_errors
from ..models import Workstream
from ..selectors import (
    contribution_summary,
    visible_workstreams,
    workstream_bodies,
    workstream_contributions,
)
from ..services import add_contribution


def workstream_list(request):
    workstream_filter = WorkstreamFilter(request.GET, queryset=visible_workstreams(request.user))
    page = Paginator(workstream_filter.qs, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "bodies/workstream_list.html", {"filter": workstream_filter, "page": page}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def workstream_detail(request, number):
    """The workstream, its partners and ledger; staff and lead chairs add contributions."""
    if request.method == "POST" and not request.user.is_authenticated:
        # Every anonymous write is sent to log in, whatever the object.
        return redirect_to_login(request.get_full_path())
    workstream = get_visible_or_404(
        Workstream.objects.select_related("lead_body"), request.user, number=number
    )
    can_change = request.user.has_perm("bodies.change_workstream", workstream)
    form = None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = ContributionForm(request.POST)
        if form.is_valid():
            try:
                contribution = add_contribution(workstream=workstream, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The contribution of %(partner)s has been recorded.")
                    % {"partner": contribution.organisation.name},
                )
                return redirect(workstream)
    elif can_change:
        form = ContributionForm()

    per_partner, totals = contribution_summary(workstream)
    ledger = Paginator(workstream_contributions(workstream), settings.AKS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bodies/workstream_detail.html",
        {
            "workstream": workstream,
            "bodies": workstream_bodies(workstream, request.user),
            "organisations": workstream.organisations.order_by("name"),
            "per_partner": per_partner,
            "totals": totals,
            "page": ledger,
            "can_change": can_change,
            "form": form,
        },
    )
