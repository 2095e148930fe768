"""What the main navigation offers the reader beyond the public pages, asked of the rules."""

from django.utils.functional import SimpleLazyObject

from bodies.history import may_see_history
from meetings.rules import follows_up


def navigation(request):
    user = getattr(request, "user", None)
    # Lazy: pages without the navigation (feeds, PDFs, errors) never ask.
    return {
        "nav_follow_up": SimpleLazyObject(lambda: follows_up(user)),
        "nav_activity": SimpleLazyObject(lambda: may_see_history(user)),
    }
