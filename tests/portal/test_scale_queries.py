"""The main pages run the same number of queries whatever the size of the district.

A page whose count grows with the data (one query per row: an N+1) is cheap in a
test database and slow in a district after years of work. Each page is requested
by each persona in a bulk district of scale 0.1, then again after a second district
of scale 0.2 is seeded next to it (three times the rows), and the counts must match.
The objects opened are picked the same way both times (the public body with the most
memberships, the median public meeting with readable minutes), so they have the same
shape, only more around them.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aks.accounts import roles
from aks.portal.bulk import bulk_user, typical_objects
from oparl.serializers import BODY_ID

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="The bulk district is seeded with COPY and search needs PostgreSQL: "
        "run with DATABASE_URL=postgres://… (CI does).",
    ),
]

FIRST_SCALE = 0.1
ADDED_SCALE = 0.2  # a second district next to the first: 0.3 in all
SEARCH_QUERY = "Kooperationen"
PERSONAS = ("anonymous", "v_intern", "councillor")
STAFF_ONLY = {"dashboard"}


def _pages(chosen: dict) -> dict[str, str]:
    meeting = chosen["meeting"]
    return {
        "home": reverse("portal:home"),
        "body": reverse("bodies:detail", args=[chosen["body"]]),
        "meeting list": reverse("meetings:list"),
        "meeting": reverse("meetings:detail", args=[meeting]),
        "minutes": reverse("meetings:minutes", args=[meeting]),
        "decisions": reverse("bodies:decisions"),
        "spaces": reverse("spaces:list"),
        "map geojson": reverse("spaces:geojson"),
        "search": f"{reverse('portal:search')}?q={SEARCH_QUERY}",
        "dashboard": reverse("portal:dashboard"),
        "oparl meetings": reverse("oparl:meeting_list", args=[BODY_ID]),
    }


def _counts(client, users: dict) -> dict[tuple[str, str], list[str]]:
    counts = {}
    pages = _pages(typical_objects())
    for persona in PERSONAS:
        client.logout()
        if users[persona] is not None:
            client.force_login(users[persona])
        for page, url in pages.items():
            if page in STAFF_ONLY and users[persona] is None:
                continue
            # Cold caches: a cached fragment must not hide the queries behind it,
            # and the process-wide content-type cache is as cold as in a new worker.
            cache.clear()
            ContentType.objects.clear_cache()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (persona, page, response.status_code)
            counts[(page, persona)] = [q["sql"] for q in queries.captured_queries]
    return counts


def test_it_runs_the_same_queries_per_page_in_a_three_times_larger_district(client):
    call_command("seed_bulk", scale=FIRST_SCALE, verbosity=0)
    connection.cursor().execute("ANALYZE")
    users = {
        "anonymous": None,
        "v_intern": bulk_user(roles.V_INTERN),
        "councillor": bulk_user(roles.COUNCILLOR),
    }
    small = _counts(client, users)

    call_command("seed_bulk", scale=ADDED_SCALE, force=True, verbosity=0)
    connection.cursor().execute("ANALYZE")
    large = _counts(client, users)

    grown = {
        f"{page} ({persona})": (len(small[page, persona]), len(large[page, persona]))
        for page, persona in small
        if len(large[page, persona]) != len(small[page, persona])
    }
    if grown:
        page, persona = next(key for key in small if len(small[key]) != len(large[key]))
        shapes = [_shape(sql) for sql in large[page, persona]]
        repeated = max(set(shapes), key=shapes.count)
        pytest.fail(
            f"query counts (small, large) that change with the data: {grown}; "
            f"the most repeated query of {page} ({persona}): {repeated[:300]}"
        )


def _shape(sql: str) -> str:
    """The query without its literals, to tell which one repeats."""
    return re.sub(r"\b\d+\b|'[^']*'", "?", sql)
