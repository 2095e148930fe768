"""Member management by a body's chair (and AKS staff): add members, end terms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..access import get_visible_or_404
from ..forms import EndMembershipForm, MemberForm, add_service_errors
from ..history import may_see_history, membership_history
from ..models import Body, Membership
from ..selectors import body_memberships
from ..services import add_member, end_membership


def _body_to_manage(request, slug) -> Body:
    """404 for a body the user may not see, 403 for one they may see but not change."""
    body = get_visible_or_404(Body, request.user, slug=slug)
    if not request.user.has_perm("bodies.change_body", body):
        raise PermissionDenied
    return body


def _end_prefix(membership_pk: int) -> str:
    return f"end-{membership_pk}"


def _render(request, body, form, *, failed_end: tuple[int, EndMembershipForm] | None = None):
    current, former = body_memberships(body)
    today = timezone.localdate()
    placed = False
    for membership in current:
        if failed_end and failed_end[0] == membership.pk:
            membership.end_form, placed = failed_end[1], True
        else:
            membership.end_form = EndMembershipForm(
                prefix=_end_prefix(membership.pk),
                initial={"end": max(today, membership.start)},
            )
    if failed_end and not placed:
        # A term that has ended meanwhile has no form to show the error on.
        for errors in failed_end[1].errors.values():
            for error in errors:
                messages.error(request, error)
    return render(
        request,
        "bodies/members.html",
        {
            "body": body,
            "form": form,
            "current": current,
            "former": former,
            "today": today,
            # Chairs manage members too; the audit trail is for staff only.
            "history": membership_history(body) if may_see_history(request.user) else None,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def members(request, slug):
    body = _body_to_manage(request, slug)
    form = MemberForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            membership = add_member(
                body=body,
                person=data["person"],
                new_person_name=data["new_person_name"],
                role=data["role"],
                side=data["side"],
                organisation=data["organisation"],
                voting_right=data["voting_right"],
                start=data["start"],
                end=data["end"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been added as %(role)s.")
                % {"name": membership.person.name, "role": membership.get_role_display()},
            )
            return redirect("bodies:members", slug=body.slug)
    return _render(request, body, form)


@login_required
@require_POST
def member_end(request, slug, pk):
    body = _body_to_manage(request, slug)
    membership = get_object_or_404(Membership.objects.select_related("person"), pk=pk, body=body)
    form = EndMembershipForm(request.POST, prefix=_end_prefix(membership.pk))
    if form.is_valid():
        try:
            membership = end_membership(membership=membership, end=form.cleaned_data["end"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The term of %(name)s ends on %(end)s.")
                % {
                    "name": membership.person.name,
                    "end": date_format(membership.end, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect("bodies:members", slug=body.slug)
    return _render(request, body, MemberForm(), failed_end=(membership.pk, form))
