from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from aks.fragments import fingerprint

from ..access import get_visible_or_404
from ..filters import BodyFilter
from ..models import Body
from ..selectors import body_members, sub_bodies, visible_bodies


def body_list(request):
    body_filter = BodyFilter(request.GET, queryset=visible_bodies(request.user))
    page = Paginator(body_filter.qs, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bodies/body_list.html", {"filter": body_filter, "page": page})


def _members_key(groups, former) -> str:
    """The members section shows the same to every reader of the body: its cached
    rendering is keyed by every value it shows (100 rows took 15 ms to render)."""
    current = [
        (side, m.pk, m.person.name, m.role, m.organisation and m.organisation.name)
        + (m.voting_right, m.start, m.end)
        for side, memberships in groups
        for m in memberships
    ]
    past = [(m.pk, m.person.name, m.role, m.start, m.end) for m in former]
    return fingerprint([*current, ("former",), *past])


def body_detail(request, slug):
    body = get_visible_or_404(Body.objects.select_related("parent"), request.user, slug=slug)
    today = timezone.localdate()
    groups, former = body_members(body)
    parent_visible = body.parent_id is not None and request.user.has_perm(
        "bodies.view_body", body.parent
    )
    return render(
        request,
        "bodies/body_detail.html",
        {
            "body": body,
            "member_groups": groups,
            "former_members": former,
            "members_key": _members_key(groups, former),
            "children": sub_bodies(body, request.user),
            "parent_visible": parent_visible,
            "can_change": request.user.has_perm("bodies.change_body", body),
            # The annual reports a reader most likely wants: this year's so far, and last.
            "report_years": [today.year, today.year - 1],
        },
    )
