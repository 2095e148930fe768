"""Who is on the other end of a request, as far as we can know behind a proxy."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address for throttling (login lockout, registration rate limit).

    Behind ``DJANGO_TRUSTED_PROXIES`` reverse proxies, each proxy appends the address
    it received the request from to X-Forwarded-For, so the client is the entry that
    many places from the end; anything before it was written by the client and can
    be forged. Without a trusted proxy, X-Forwarded-For is ignored entirely."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [
            hop.strip()
            for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if hop.strip()
        ]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
