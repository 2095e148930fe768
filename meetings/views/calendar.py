"""Calendar feeds (iCal) and the page that lists them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bodies.access import get_visible_or_404
from bodies.models import Body

from .. import calendar
from ..models import MeetingSeries


def _feed_response(request, *, meetings, name: str, filename: str, private: bool) -> HttpResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    body = calendar.feed_ics(meetings=meetings, name=name, base_url=base_url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        # What is in it depends on who asks: never kept by shared caches.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def public_feed(request):
    return _feed_response(
        request,
        meetings=calendar.public_feed_meetings(),
        name=_("Gemeinwohl platform: public meetings"),
        filename="sitzungen.ics",
        private=False,
    )


# Feeds never read the session: a calendar program sends none, and a browser's cookie
# must not turn a public address into one that shows more (it would be passed on as
# it is). Who reads a feed is the public, or the owner of the token in its address.


def _token_owner(token):
    user = calendar.user_for_token(token)
    if user is None:
        raise Http404(_("Not found."))
    return user


def _body_feed(request, *, slug, user, private: bool):
    body = get_visible_or_404(Body, user, slug=slug)
    return _feed_response(
        request,
        meetings=calendar.body_feed_meetings(body=body, user=user),
        name=_("Gemeinwohl platform: %(name)s") % {"name": body.name},
        filename=f"{body.slug}.ics",
        private=private,
    )


def _series_feed(request, *, pk, user, private: bool):
    series = get_visible_or_404(MeetingSeries, user, pk=pk)
    return _feed_response(
        request,
        meetings=calendar.series_feed_meetings(series=series, user=user),
        name=_("Gemeinwohl platform: %(name)s") % {"name": series.title},
        filename=f"reihe-{series.pk}.ics",
        private=private,
    )


@require_safe
def body_feed(request, slug):
    return _body_feed(request, slug=slug, user=AnonymousUser(), private=False)


@require_safe
def series_feed(request, pk):
    return _series_feed(request, pk=pk, user=AnonymousUser(), private=False)


@require_safe
def personal_body_feed(request, token, slug):
    return _body_feed(request, slug=slug, user=_token_owner(token), private=True)


@require_safe
def personal_series_feed(request, token, pk):
    return _series_feed(request, pk=pk, user=_token_owner(token), private=True)


@require_safe
def personal_feed(request, token):
    user = _token_owner(token)
    return _feed_response(
        request,
        meetings=calendar.personal_feed_meetings(user=user),
        name=_("Gemeinwohl platform: my meetings"),
        filename="meine-sitzungen.ics",
        private=True,
    )


@require_safe
def calendar_page(request):
    user = request.user
    base_url = request.build_absolute_uri("/").rstrip("/")
    webcal_base = "webcal" + base_url[base_url.index(":") :]
    context = {
        "base_url": base_url,
        "webcal_base": webcal_base,
        "public_url": base_url + reverse("meetings:calendar"),
        "bodies": calendar.subscribable_bodies(user=user),
        "series_list": calendar.subscribable_series(user=user),
    }
    if user.is_authenticated:
        token = calendar.calendar_token_for(user=user)
        context["has_token"] = token is not None
        if token is not None:
            path = reverse("meetings:calendar_personal", kwargs={"token": token.token})
            context["personal_url"] = base_url + path
            context["personal_webcal"] = webcal_base + path
            context["token"] = token.token
    return render(request, "meetings/calendar.html", context)


@login_required
@require_POST
def renew_token(request):
    if calendar.calendar_token_for(user=request.user) is None:
        calendar.ensure_calendar_token(user=request.user)
        messages.success(request, _("Your personal calendar address has been created."))
    else:
        calendar.renew_calendar_token(user=request.user)
        messages.success(
            request,
            _(
                "Your personal calendar address has been renewed. The old address no longer "
                "works; update your calendar subscription."
            ),
        )
    return redirect(reverse("meetings:calendar_page") + "#personal")
