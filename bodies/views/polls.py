from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..access import get_visible_or_404
from ..filters import DecisionFilter
from ..forms import AnalogCountsForm, PollForm, VoteForm
from ..history import history_rows, may_see_history
from ..models import Body, Decision, Poll, PollKind, PollStatus
from ..selectors import body_polls as select_body_polls
from ..selectors import decision_register, poll_turnout, sub_bodies, voter_state


def _poll(request, pk) -> Poll:
    return get_visible_or_404(
        Poll.objects.select_related("body", "elects_into"), request.user, pk=pk
    )


def _managed_poll(request, pk) -> Poll:
    poll = _poll(request, pk)
    if not request.user.has_perm("bodies.manage_poll", poll):
        raise PermissionDenied
    return poll


def body_polls(request, slug):
    body = get_visible_or_404(Body, request.user, slug=slug)
    page = Paginator(select_body_polls(body, request.user), settings.AKS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bodies/poll_list.html",
        {"body": body, "page": page, "can_add": request.user.has_perm("bodies.add_poll", body)},
    )


@login_required
def poll_create(request, slug):
    body = get_visible_or_404(Body, request.user, slug=slug)
    if not request.user.has_perm("bodies.add_poll", body):
        raise PermissionDenied
    form = PollForm(request.POST or None, body=body, elect_into=sub_bodies(body, request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.create_poll(
                body=body,
                title=data["title"],
                motion=data["motion"],
                kind=data["kind"],
                counting=data["counting"],
                voting_unit=data["voting_unit"],
                secret=data["secret"],
                majority=data["majority"],
                quorum_count=data["quorum_count"],
                quorum_share=data["quorum_share"],
                seats=data["seats"],
                allow_change=data["allow_change"],
                visibility=data["visibility"],
                options=data.get("option_labels"),
                candidates=list(data["candidates"]),
                elects_into=data["elects_into"],
                term_start=data["term_start"],
                term_end=data["term_end"],
            )
        except services.VotingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The poll has been created as a draft."))
            return redirect(poll)
    return render(request, "bodies/poll_form.html", {"body": body, "form": form})


def _poll_context(request, poll: Poll, vote_form=None) -> dict:
    options = list(poll.options.all())
    state = voter_state(poll, request.user)
    can_manage = request.user.has_perm("bodies.manage_poll", poll)
    context = {
        "poll": poll,
        "options": options,
        "state": state,
        "own_choices": [o for o in options if o.pk in state["own_choices"]],
        "turnout": poll_turnout(poll),
        "entitled": poll.entitlements.count(),
        "can_manage": can_manage,
        "elects_into_visible": bool(
            poll.elects_into_id and request.user.has_perm("bodies.view_body", poll.elects_into)
        ),
        "decision": Decision.objects.filter(poll=poll).visible_to(request.user).first(),
    }
    may_vote = (
        poll.status == PollStatus.OPEN
        and poll.counting == "electronic"
        and state["entitled"]
        and (not state["has_voted"] or poll.allow_change)
    )
    if may_vote:
        context["vote_form"] = vote_form or VoteForm(
            poll=poll,
            options=options,
            organisations=state["organisations"],
            initial={"choices": state["own_choices"] if poll.max_choices > 1 else None},
        )
    if can_manage and poll.status == PollStatus.OPEN and poll.counting == "analog":
        context["counts_form"] = AnalogCountsForm(
            initial={"valid": poll.valid_ballots, "invalid": poll.invalid_ballots or 0},
            options=options,
        )
    if poll.status == PollStatus.CLOSED and poll.result:
        counts = poll.result.get("counts", {})
        context["result_rows"] = [(o, counts.get(str(o.pk), 0)) for o in options]
        context["result_text"] = services.explain_result(poll, options)
    if may_see_history(request.user):
        context["history"] = history_rows(poll)
    return context


def poll_detail(request, pk):
    poll = _poll(request, pk)
    return render(request, "bodies/poll_detail.html", _poll_context(request, poll))


@login_required
@require_POST
def poll_vote(request, pk):
    poll = _poll(request, pk)
    state = voter_state(poll, request.user)
    if not state["entitled"]:
        # Seen but not on the roll (no roll yet, or an account without a person): not
        # this reader's action. The service refuses it too, under the poll's lock.
        raise PermissionDenied
    form = VoteForm(
        request.POST, poll=poll, options=poll.options.all(), organisations=state["organisations"]
    )
    template = "bodies/_ballot.html" if request.htmx else "bodies/poll_detail.html"
    if form.is_valid():
        organisation = None
        if "organisation" in form.cleaned_data:
            organisation = next(
                (o for o in state["organisations"] if o.pk == form.cleaned_data["organisation"]),
                None,
            )
        try:
            services.cast_vote(
                poll=poll,
                person=request.user.person,
                choices=form.chosen(),
                organisation=organisation,
            )
        except services.VotingError as error:
            form.add_error(None, error)
        else:
            if not request.htmx:
                messages.success(request, _("Your vote has been counted."))
                return redirect(poll)
            context = _poll_context(request, poll)
            context["just_voted"] = True
            context["turnout_oob"] = True
            return render(request, template, context)
    status = 400 if not request.htmx else 200
    return render(request, template, _poll_context(request, poll, vote_form=form), status=status)


def _poll_action(request, pk, action, success_message):
    poll = _managed_poll(request, pk)
    try:
        action(poll=poll)
    except services.VotingError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message)
    return redirect(poll)


@login_required
@require_POST
def poll_open(request, pk):
    return _poll_action(request, pk, services.open_poll, _("The poll is open."))


@login_required
@require_POST
def poll_close(request, pk):
    return _poll_action(request, pk, services.close_poll, _("The poll is closed."))


@login_required
@require_POST
def poll_cancel(request, pk):
    return _poll_action(request, pk, services.cancel_poll, _("The poll has been cancelled."))


@login_required
@require_POST
def poll_counts(request, pk):
    poll = _managed_poll(request, pk)
    form = AnalogCountsForm(request.POST, options=poll.options.all())
    if form.is_valid():
        try:
            services.enter_analog_counts(
                poll=poll,
                counts=form.counts(),
                valid=form.cleaned_data["valid"],
                invalid=form.cleaned_data["invalid"],
            )
        except services.VotingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The counts have been saved."))
            return redirect(poll)
    context = _poll_context(request, poll)
    context["counts_form"] = form
    return render(request, "bodies/poll_detail.html", context, status=400)


def decision_list(request):
    decision_filter = DecisionFilter(
        request.GET, queryset=decision_register(request.user), request=request
    )
    page = Paginator(decision_filter.qs, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bodies/decision_list.html", {"filter": decision_filter, "page": page})


def decision_detail(request, pk):
    decision = get_visible_or_404(
        Decision.objects.select_related("body", "poll"), request.user, pk=pk
    )
    poll = decision.poll
    poll_visible = poll is not None and request.user.has_perm("bodies.view_poll", poll)
    # Whom an election chose is part of the decision itself, shown to all its readers;
    # a motion's counts are the poll's, shown (and linked) to the poll's readers.
    shows_result = poll_visible or (poll is not None and poll.kind == PollKind.ELECTION)
    return render(
        request,
        "bodies/decision_detail.html",
        {
            "decision": decision,
            "poll_result": services.explain_result(poll) if shows_result else "",
            "poll_visible": poll_visible,
            "history": history_rows(decision) if may_see_history(request.user) else None,
        },
    )
