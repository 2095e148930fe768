"""Latency of the site search on a bulk district, one request at a time.

    DATABASE_URL=postgres://.../aks_searchbench .venv/bin/python scripts/bench_search.py

Loads ``/suche/`` (development settings) through Django's test client (the whole
middleware stack, no network) as an anonymous visitor and as a v-intern user of the
bulk district, for a few queries and pages 1 and 5, and prints the median and the worst
of the timed runs plus the number of queries. Needs ``seed_bulk`` to have run on that database.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aks.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from aks.accounts import roles  # noqa: E402
from aks.accounts.models import User  # noqa: E402
from aks.portal.bulk import SLUG_PREFIX  # noqa: E402

QUERIES = sys.argv[1:] or ["Kooperationen", "Verwaltung", "Zwischennutzung Leerstand", "Xylophon"]
RUNS = int(os.environ.get("RUNS", "7"))


def measure(client: Client, params: dict) -> tuple[float, float, int]:
    client.get("/suche/", params)  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get("/suche/", params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        client.get("/suche/", params)
    return statistics.median(times), max(times), len(queries)


def main() -> None:
    staff = (
        User.objects.filter(
            email__startswith=SLUG_PREFIX, groups__name=roles.V_INTERN, is_active=True
        )
        .order_by("pk")
        .first()
    )
    clients = {"anonymous": Client(), "v_intern": Client()}
    clients["v_intern"].force_login(staff)
    print(f"{'query':28} {'persona':10} {'median ms':>9} {'max ms':>8} {'queries':>7}")
    for text in QUERIES:
        for persona, client in clients.items():
            for page in ("1", "5"):
                median, worst, count = measure(client, {"q": text, "page": page})
                label = f"{text} p{page}"
                print(f"{label:28} {persona:10} {median:9.1f} {worst:8.1f} {count:7d}")


if __name__ == "__main__":
    main()
