"""How long agenda and minutes PDFs take to render (not a test).

Builds meetings with 30 and 300 agenda items (each with two minute entries) in a
throwaway SQLite database in var/, then times, per size, building the HTML (the
selectors and the template: what every request does to find its stored PDF) and
rendering it with WeasyPrint. The numbers decide ``MEETINGS_PDF_SYNC_LIMIT``.

    .venv/bin/python scripts/bench_pdf.py [--sizes 30 300] [--repeat 3]
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench_pdf.sqlite3"


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "aks.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.pop("REDIS_URL", None)
    DATABASE.parent.mkdir(exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _meeting(size: int):
    from django.utils import timezone

    from bodies.access import Visibility
    from bodies.models import Body, BodyKind, Person
    from meetings.models import (
        AgendaItem,
        Meeting,
        MeetingKind,
        MinuteEntry,
        MinuteSection,
    )
    from meetings.services import minutes_for

    body, _ = Body.objects.get_or_create(
        short_name="BENCH",
        defaults={"name": "AKS-Team", "slug": "bench", "kind": BodyKind.TEAM},
    )
    person, _ = Person.objects.get_or_create(name="Jana Okafor")
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=size)
    meeting = Meeting.objects.create(
        body=body,
        kind=MeetingKind.JOUR_FIXE,
        title=f"Jour-Fixe mit {size} Tagesordnungspunkten",
        start=start,
        end=start + datetime.timedelta(hours=3),
        place="Bezirksamt, Yorckstraße, Raum 2.14",
        visibility=Visibility.PUBLIC,
    )
    parents = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=f"Tagesordnungspunkt {i}: Leerstand und Zwischennutzung im Quartier",
            description="Bericht der Arbeitsgruppe mit Rückfragen aus der Runde. " * 3,
            position=i,
            duration_minutes=10,
            presenter=person,
        )
        for i in range(size * 2 // 3)
    )
    children = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            parent=parents[i % len(parents)],
            title=f"Unterpunkt {i}",
            position=i,
        )
        for i in range(size - len(parents))
    )
    minutes = minutes_for(meeting)
    sections = [MinuteSection.DISCUSSION, MinuteSection.RESULT]
    MinuteEntry.objects.bulk_create(
        MinuteEntry(
            minutes=minutes,
            section=sections[i % 2],
            agenda_item=item,
            speaker=person,
            position=i,
            text=(
                "Die Runde bespricht den Stand, die Verwaltung sagt eine Prüfung zu; "
                "die Initiativen bringen ihre Raumbedarfe ein. "
            )
            * 2,
        )
        for i, item in enumerate(parents + children + parents + children)
    )
    return meeting, minutes


def _time(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup()
    import logging

    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from django.contrib.auth.models import AnonymousUser

    from meetings import pdf

    reader = AnonymousUser()
    # The first rendering pays for loading fonts and hyphenation dictionaries.
    warm, _ = _meeting(3)
    pdf.render_pdf(html=pdf.agenda_source(meeting=warm, user=reader).html)
    print(f"{'document':<10}{'items':>7}{'entries':>9}{'html s':>9}{'pdf s':>9}{'pages':>7}")
    for size in args.sizes:
        meeting, minutes = _meeting(size)
        for kind, build in (
            ("agenda", lambda m=meeting: pdf.agenda_source(meeting=m, user=reader)),
            (
                "minutes",
                lambda m=meeting, n=minutes: pdf.minutes_source(meeting=m, minutes=n, user=reader),
            ),
        ):
            html_seconds, source = _time(build, args.repeat)
            pdf_seconds, rendered = _time(lambda s=source: pdf.render_pdf(html=s.html), args.repeat)
            entries = minutes.entries.count() if kind == "minutes" else 0
            print(
                f"{kind:<10}{size:>7}{entries:>9}{html_seconds:>9.3f}{pdf_seconds:>9.3f}"
                f"{rendered.pages:>7}"
            )
    DATABASE.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
